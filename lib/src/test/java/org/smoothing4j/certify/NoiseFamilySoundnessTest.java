package org.smoothing4j.certify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.NoiseFamily;
import org.smoothing4j.noise.Seeds;

/**
 * Soundness of CERTIFY and sequential CERTIFY with Laplace and uniform noise, 2,000 examples each, on the half-space
 * f(z) = 1[z_0 &gt;= t] of a 1x1x2 image, whose smoothed classifier is f itself (symmetric noise) with exact radius
 * |a - t| in every norm at first pixel a; pA = 1 - exp(-m / lambda) / 2 (Laplace) and (m + lambda) / (2 lambda)
 * (uniform) for margin m = |a - t| (NormRadiusTest). Where the L1 formula is exact (both families here), a claim
 * above the truth happens exactly when the confidence bound misses pA, at most alpha of the time.
 * <p>
 * Tolerance, as SmoothedClassifierSoundnessTest's: the wrong-claim rate over N independent examples has mean &lt;=
 * alpha and standard error sqrt(alpha (1 - alpha) / N); the test allows alpha + 3 standard errors. It can fail: the
 * same counts with the point estimate nA / n in place of the bound claim too much in more than 30% of the examples.
 */
@Tag("slow") // over 15 s: in make test, not in make check
class NoiseFamilySoundnessTest {
    private static final double SIGMA = 0.5;
    private static final double THRESHOLD = 0.5;
    private static final int EXAMPLES = 2000;
    private static final double ALPHA = 0.01;

    /** Scores [1 - f, f], computed in Java on the batch's values (two ND4J calls per batch, not ten). */
    private static final Classifier HALF_SPACE = Classifier.of(batch -> {
        int b = (int) batch.size(0);
        float[] v = batch.dup('c').data().asFloat();
        float[] scores = new float[2 * b];
        for (int i = 0; i < b; i++) {
            int f = v[2 * i] >= THRESHOLD ? 1 : 0;
            scores[2 * i] = 1 - f;
            scores[2 * i + 1] = f;
        }
        return Nd4j.create(scores, new long[] {b, 2});
    }, 2, 1, 1, 2);

    private static double bound() {
        return ALPHA + 3 * Math.sqrt(ALPHA * (1 - ALPHA) / EXAMPLES);
    }

    /** The margin m with P(f(x + delta) = label) = pA. */
    private static double margin(NoiseFamily f, double pA) {
        double l = f.scale(SIGMA);
        return f == NoiseFamily.LAPLACE ? -l * Math.log(2 * (1 - pA)) : l * (2 * pA - 1);
    }

    private static INDArray input(double a) {
        return Nd4j.create(new float[] {(float) a, 0.3f}, new long[] {1, 1, 2});
    }

    @ParameterizedTest
    @EnumSource(value = NoiseFamily.class, names = {"LAPLACE", "UNIFORM"})
    void certifiedL1RadiusExceedsTheTruthAtMostAlphaOfTheTime(NoiseFamily family) {
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, Smoothing.of(family, SIGMA, Norm.L1))
                .withBatchSize(250);
        NormRadius l1 = NormRadius.of(family, Norm.L1, SIGMA, 2);
        SplittableRandom pick = new SplittableRandom(family.ordinal() + 40);
        int wrong = 0, certified = 0, naiveWrong = 0, otherNormsWrong = 0;
        for (int i = 0; i < EXAMPLES; i++) {
            double pA = 0.5 + 0.49 * pick.nextDouble();
            int label = pick.nextBoolean() ? 1 : 0;
            double m = margin(family, pA);
            double a = THRESHOLD + (label == 1 ? m : -m);
            double truth = Math.abs(a - THRESHOLD);
            Certificate c = g.certify(input(a), 100, 1000, ALPHA, Seeds.forExample(13, i));
            if (!c.abstained()) {
                certified++;
                if (c.prediction() != label || c.radius() > truth + 1e-6) {
                    wrong++;
                }
                double naive = l1.radius(Math.min(c.nA() / 1000.0, 1 - 1e-9));
                if (c.prediction() != label || naive > truth + 1e-6) {
                    naiveWrong++;
                }
                // the same bound in the other norms (looser formulas): never above the truth when L1's is not
                for (Norm other : new Norm[] {Norm.L2, Norm.LINF}) {
                    double r = NormRadius.of(family, other, SIGMA, 2).radius(c.pALower());
                    if (c.radius() <= truth + 1e-6 && r > truth + 1e-6) {
                        otherNormsWrong++;
                    }
                }
                if (family == NoiseFamily.UNIFORM && a >= 0 && a <= 1) { // the box certificate needs [0,1] pixels
                    double box = NormRadius.uniformL1InBox(SIGMA, new float[] {(float) a, 0.3f}).radius(c.pALower());
                    if (c.radius() <= truth + 1e-6 && box > truth + 1e-6) {
                        otherNormsWrong++;
                    }
                }
            }
        }
        double rate = wrong / (double) EXAMPLES;
        assertTrue(rate <= bound(), family + ": wrong-radius rate " + rate + " > " + bound());
        assertTrue(otherNormsWrong == 0, family + ": L2/L-infinity/box claims above the truth: " + otherNormsWrong);
        assertTrue(certified > EXAMPLES / 2, "too few certified (" + certified + ")");
        assertTrue(naiveWrong / (double) EXAMPLES > 0.3, "the check cannot fail: " + naiveWrong);
        System.out.printf(java.util.Locale.ROOT, "%s L1 CERTIFY: wrong-radius rate %.4f (bound %.4f), "
                + "point estimate %.3f%n", family.id(), rate, bound(), naiveWrong / (double) EXAMPLES);
    }

    @ParameterizedTest
    @EnumSource(value = NoiseFamily.class, names = {"LAPLACE", "UNIFORM"})
    void sequentialCertifyMakesOnlyTrueClaimsAboutTheHalfSpace(NoiseFamily family) {
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, Smoothing.of(family, SIGMA, Norm.L1))
                .withBatchSize(200);
        double l = family.scale(SIGMA);
        double[] radii = {0.05 * l, 0.1 * l, 0.2 * l, 0.4 * l, 0.6 * l};
        Looks looks = Looks.geometric(400, 1.25, 4000, 200);
        SplittableRandom pick = new SplittableRandom(family.ordinal() + 50);
        int wrong = 0, certifiedSomething = 0;
        for (int i = 0; i < EXAMPLES; i++) {
            double pA = 0.5 + 0.49 * pick.nextDouble();
            int label = pick.nextBoolean() ? 1 : 0;
            double m = margin(family, pA);
            double a = THRESHOLD + (label == 1 ? m : -m);
            SequentialCertificate c = g.certifyAtRadii(input(a), radii, 100, looks, ALPHA, 0,
                    Seeds.forExample(14, i));
            boolean bad = false;
            for (int j = 0; j < radii.length; j++) {
                // certified r_j false: wrong class or r_j beyond the truth; "not certifiable" false: r_j below it
                if (c.decisions()[j] == SequentialCertificate.CERTIFIED) {
                    certifiedSomething++;
                    bad |= c.prediction() != label || radii[j] > m;
                }
                if (c.decisions()[j] == SequentialCertificate.NOT_CERTIFIABLE && c.prediction() == label) {
                    bad |= radii[j] < m * 0.999; // the truth certifies it (pA above its level)
                }
            }
            bad |= !c.abstained() && (c.prediction() != label || c.radius() > m + 1e-6);
            if (bad) {
                wrong++;
            }
        }
        double rate = wrong / (double) EXAMPLES;
        assertTrue(rate <= bound(), family + ": sequential wrong-claim rate " + rate + " > " + bound());
        assertTrue(certifiedSomething > EXAMPLES, "too few certified radii (" + certifiedSomething + ")");
        System.out.printf(java.util.Locale.ROOT, "%s L1 sequential: wrong-claim rate %.4f (bound %.4f)%n",
                family.id(), rate, bound());
    }
}
