package org.smoothing4j.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.Seeds;

/**
 * Soundness of CERTIFY and PREDICT on a base classifier whose smoothed classifier is known in closed form.
 *
 * <p>Base classifier: f(z) = 1 if z_0 &gt;= t else 0 (a half-space on the first pixel of a 1x1x2 image). For an input
 * with first pixel a, P(f(x + delta) = 1) = Phi((a - t) / sigma) exactly, so g is the same half-space and the true
 * L2 radius of g at x is |a - t| = sigma * |Phi^-1(pA)|, the largest radius any certificate may claim.
 *
 * <p>Tolerance: each certificate is wrong with probability at most alpha, independently across examples (each has
 * its own noise stream), so over N examples the wrong-rate has mean &lt;= alpha and standard error
 * sqrt(alpha (1 - alpha) / N); the test allows alpha + 3 standard errors.
 */
class SmoothedClassifierSoundnessTest {
    private static final double SIGMA = 0.5;
    private static final double THRESHOLD = 0.5;

    private static final Classifier HALF_SPACE = Classifier.of(batch -> {
        INDArray first = batch.reshape(batch.size(0), 2).getColumn(0);
        INDArray one = Nd4j.zeros(DataType.FLOAT, batch.size(0), 1);
        one.assign(first.reshape(batch.size(0), 1));
        BooleanIndexing.replaceWhere(one, 1.0, Conditions.greaterThanOrEqual(THRESHOLD));
        BooleanIndexing.replaceWhere(one, 0.0, Conditions.lessThan(THRESHOLD));
        return Nd4j.hstack(one.rsub(1.0), one); // scores [1 - f, f]
    }, 2, 1, 1, 2);

    private static INDArray input(double a) {
        return Nd4j.create(new float[] {(float) a, 0.3f}, new long[] {1, 1, 2});
    }

    private static double bound(double alpha, int examples) {
        return alpha + 3 * Math.sqrt(alpha * (1 - alpha) / examples);
    }

    @Test
    void certifiedRadiusExceedsTheTrueRadiusAtMostAlphaOfTheTime() {
        int examples = 2000, n0 = 100, n = 1000;
        double alpha = 0.01;
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, SIGMA).withBatchSize(250);
        SplittableRandom pick = new SplittableRandom(7);
        int wrong = 0, certified = 0, pointEstimateWrong = 0;
        for (int i = 0; i < examples; i++) {
            // pA between 0.5 and 0.99: where the bound is tight and mistakes are possible
            double pA = 0.5 + 0.49 * pick.nextDouble();
            int label = pick.nextBoolean() ? 1 : 0;
            double a = THRESHOLD + (label == 1 ? 1 : -1) * SIGMA * Statistics.normalQuantile(pA);
            double trueRadius = Math.abs(a - THRESHOLD);
            Certificate c = g.certify(input(a), n0, n, alpha, Seeds.forExample(11, i));
            if (!c.abstained()) {
                certified++;
                if (c.prediction() != label || c.radius() > trueRadius + 1e-6) {
                    wrong++;
                }
                // the same counts with the point estimate nA/n instead of the lower bound: an unsound certifier
                double naive = SIGMA * Statistics.normalQuantile(Math.min(c.nA() / (double) n, 1 - 1e-9));
                if (c.prediction() != label || naive > trueRadius + 1e-6) {
                    pointEstimateWrong++;
                }
            }
        }
        double rate = wrong / (double) examples;
        assertTrue(rate <= bound(alpha, examples), "wrong-radius rate " + rate + " > " + bound(alpha, examples));
        assertTrue(certified > examples / 2, "too few certified (" + certified + "): the test would prove nothing");
        // the test can fail: the point-estimate radius is too large about half the time
        assertTrue(pointEstimateWrong / (double) examples > 0.3,
                "the check cannot tell a sound certifier from an unsound one: " + pointEstimateWrong);
    }

    @Test
    void predictReturnsAWrongClassAtMostAlphaOfTheTime() {
        int examples = 2000, n = 500;
        double alpha = 0.05;
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, SIGMA).withBatchSize(500);
        SplittableRandom pick = new SplittableRandom(8);
        int wrong = 0, answered = 0;
        for (int i = 0; i < examples; i++) {
            double pA = 0.5 + 0.1 * pick.nextDouble(); // close to 1/2: the hard case for PREDICT
            int label = pick.nextBoolean() ? 1 : 0;
            double a = THRESHOLD + (label == 1 ? 1 : -1) * SIGMA * Statistics.normalQuantile(pA);
            Prediction p = g.predict(input(a), n, alpha, Seeds.forExample(12, i));
            if (!p.abstained()) {
                answered++;
                if (p.prediction() != label) {
                    wrong++;
                }
            }
        }
        double rate = wrong / (double) examples;
        assertTrue(rate <= bound(alpha, examples), "wrong-class rate " + rate + " > " + bound(alpha, examples));
        assertTrue(answered > examples / 10, "PREDICT almost always abstained (" + answered + ")");
    }

    @Test
    void largestRadiusWithReferenceDefaultsIs381Sigma() {
        // a constant base classifier: nA = n = 100,000, pALower = 0.001^(1/100000), radius = sigma * 3.8115
        Classifier constant = Classifier.of(b -> Nd4j.hstack(Nd4j.ones(DataType.FLOAT, b.size(0), 1),
                Nd4j.zeros(DataType.FLOAT, b.size(0), 1)), 2, 1, 1, 2);
        for (double sigma : new double[] {0.25, 0.5, 1.0}) {
            Certificate c = SmoothedClassifier.of(constant, sigma).certify(input(0.1), 100, 100_000, 0.001, 1);
            assertEquals(100_000, c.nA());
            assertEquals(3.8114565633899145 * sigma, c.radius(), 1e-9 * sigma);
            assertEquals(3.81, c.radius() / sigma, 0.005);
        }
    }

    @Test
    void sameSeedGivesTheSameCertificateAndDifferentSeedsDiffer() {
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, SIGMA).withBatchSize(64);
        INDArray x = input(0.6);
        Certificate a = g.certify(x, 100, 1000, 0.001, 5);
        Certificate b = g.certify(x, 100, 1000, 0.001, 5);
        assertEquals(a, b);
        long distinct = java.util.stream.LongStream.range(0, 10)
                .map(s -> g.certify(x, 100, 1000, 0.001, s).nA()).distinct().count();
        assertTrue(distinct > 3, "noise does not depend on the seed");
    }

    @Test
    void samplesAreCountedExactlyIncludingTheRemainderBatch() {
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, SIGMA).withBatchSize(400);
        long[] counts = g.sampleCounts(input(0.2), 1001);
        assertEquals(1001, counts[0] + counts[1]);
    }

    @Test
    void badParametersAreRejectedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmoothedClassifier.of(HALF_SPACE, -0.5));
        assertEquals("--sigma must be a finite number > 0, got -0.5", e.getMessage());
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, SIGMA);
        assertEquals("n0 must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> g.certify(input(0), 0, 10, 0.01, 1)).getMessage());
        assertEquals("alpha must be in (0, 1), got 0.0",
                assertThrows(IllegalArgumentException.class, () -> g.predict(input(0), 10, 0, 1)).getMessage());
    }
}
