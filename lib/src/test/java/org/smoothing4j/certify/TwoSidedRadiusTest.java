package org.smoothing4j.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.Seeds;
import org.smoothing4j.run.Plans;

/**
 * CERTIFY's two-class radius (Cohen et al., Theorem 1) on three-class base classifiers with known class
 * probabilities: f(z) is class 0, 1 or 2 as z_0 falls below t1, between t1 and t2, or above, so at x_0 = 0 the
 * probabilities are Phi(t1 / sigma), Phi(t2 / sigma) - Phi(t1 / sigma) and the rest. A claim is false when its class
 * is not the top class or its radius exceeds sigma / 2 (Phi^-1(pA) - Phi^-1(pB)) at the true probabilities, the
 * largest radius the theorem supports. Tolerance as in SmoothedClassifierSoundnessTest: alpha + 3 standard errors.
 */
class TwoSidedRadiusTest {
    private static final double SIGMA = 0.5;

    private static Classifier intervals(double t1, double t2) {
        return Classifier.of(batch -> {
            float[] v = batch.dup('c').data().asFloat();
            INDArray scores = Nd4j.create(DataType.FLOAT, batch.size(0), 3);
            for (int r = 0; r < batch.size(0); r++) {
                float z = v[2 * r];
                scores.putScalar(r, z < t1 ? 0 : z < t2 ? 1 : 2, 1f);
            }
            return scores;
        }, 3, 1, 1, 2);
    }

    @Test
    void twoClassRadiusExceedsTheTheoremsRadiusAtMostAlphaOfTheTime() {
        int trials = 2000, n0 = 50, n = 1000;
        double alpha = 0.01;
        INDArray x = Nd4j.create(new float[] {0f, 0.3f}, new long[] {1, 1, 2});
        SplittableRandom pick = new SplittableRandom(41);
        int wrong = 0, certified = 0, pointWrong = 0, larger = 0;
        for (int i = 0; i < trials; i++) {
            // class 0 on top, the rest split between classes 1 and 2 (three classes: pB well below 1 - pA)
            double pA = 0.35 + 0.6 * pick.nextDouble();
            double split = 0.2 + 0.6 * pick.nextDouble();
            double p1 = (1 - pA) * split, p2 = 1 - pA - p1;
            double pB = Math.max(p1, p2);
            double t1 = SIGMA * Statistics.normalQuantile(pA), t2 = SIGMA * Statistics.normalQuantile(pA + p1);
            Classifier f = intervals((float) t1, (float) t2);
            SmoothedClassifier g = SmoothedClassifier.of(f, SIGMA).withBatchSize(500);
            SmoothedClassifier twoSided = SmoothedClassifier.of(f, Smoothing.gaussian(SIGMA).withTwoSidedRadius())
                    .withBatchSize(500);
            double truth = SIGMA / 2 * (Statistics.normalQuantile(pA) - Statistics.normalQuantile(pB));
            long seed = Seeds.forExample(42, i);
            Certificate c = twoSided.certify(x, n0, n, alpha, seed);
            if (!c.abstained()) {
                certified++;
                wrong += c.prediction() != 0 || c.radius() > truth ? 1 : 0;
                Certificate one = g.certify(x, n0, n, alpha, seed);
                larger += c.radius() > (one.abstained() ? 0 : one.radius()) ? 1 : 0;
                // the point estimates in the same formula: unsound
                long[] counts = twoSided.sampleCounts(x, 0 + n); // fresh draws of the stream's continuation
                double hatA = counts[0] / (double) n, hatB = Math.max(counts[1], counts[2]) / (double) n;
                double naive = SIGMA / 2 * (Statistics.normalQuantile(Math.min(hatA, 1 - 1e-9))
                        - Statistics.normalQuantile(Math.max(hatB, 1e-9)));
                pointWrong += naive > truth ? 1 : 0;
            }
        }
        double bound = alpha + 3 * Math.sqrt(alpha * (1 - alpha) / trials);
        assertTrue(wrong / (double) trials <= bound, "false claims " + wrong + " of " + trials);
        assertTrue(certified > trials / 2, "too few certified: " + certified);
        assertTrue(pointWrong / (double) trials > 0.3, "the check cannot fail: " + pointWrong);
        // where the mass is spread, the two-class radius is the larger one in most certified examples
        assertTrue(larger > certified * 0.8, "two-class radius larger in " + larger + " of " + certified);
    }

    @Test
    void twoClassesGiveAboutTheOneSidedRadiusAndSettingsSayIt() {
        // two classes: pB = 1 - pA, so the radius equals sigma Phi^-1(pA) up to the alpha / 2 bounds (METHODS 3a:
        // 1.265 vs 1.264 sigma at pA = 0.9, n = 10^5)
        Classifier f = intervals(-0.64f, 1e9f); // pA = Phi(1.28) = 0.9
        SmoothedClassifier g = SmoothedClassifier.of(f, SIGMA);
        SmoothedClassifier twoSided = SmoothedClassifier.of(f, Smoothing.gaussian(SIGMA).withTwoSidedRadius());
        INDArray x = Nd4j.create(new float[] {0f, 0.3f}, new long[] {1, 1, 2});
        Certificate two = twoSided.certify(x, 100, 100_000, 0.001, 3), one = g.certify(x, 100, 100_000, 0.001, 3);
        assertEquals(1, two.prediction());
        assertTrue(two.radius() <= one.radius() && two.radius() > one.radius() - 0.01 * SIGMA,
                two.radius() + " vs " + one.radius());
        var settings = Plans.settings("certify", twoSided, CertifyConfig.defaults(), java.util.Map.of());
        assertTrue(settings.get("radius").toString().startsWith("two-sided"));
        assertTrue(!Plans.settings("certify", g, CertifyConfig.defaults(), java.util.Map.of()).containsKey("radius"));
    }
}
