package org.smoothing4j.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.Seeds;

/**
 * Soundness of sequential certification at target radii (SPEC 12) and of sequential PREDICT.
 *
 * <p>Tolerance: every claim about an example holds together with probability at least 1 - alpha, independently
 * across examples (each has its own random stream), so over N examples the rate of examples with at least one false
 * claim has mean &lt;= alpha and standard error sqrt(alpha (1 - alpha) / N); the tests allow alpha + 3 standard
 * errors. alpha is 0.05 (not the reference's 0.001) so that a few thousand trials can tell a sound procedure from an
 * unsound one: looking at a fixed-level interval after every batch, the same data, makes false claims far more often.
 */
@Tag("slow") // over 15 s: in make test, not in make check
class SequentialCertificationTest {
    private static double bound(double alpha, int examples) {
        return alpha + 3 * Math.sqrt(alpha * (1 - alpha) / examples);
    }

    /** Radii 0, 0.1, ..., 2.0 at sigma 1: every pA in [0.55, 0.97] lies within 0.02 of a threshold (the hard case). */
    private static final double[] RADII = java.util.stream.IntStream.rangeClosed(0, 20).mapToDouble(i -> i / 10.0)
            .toArray();

    /** Whether a claim about pA is false: certified above it, not certifiable at or below it, or L above it. */
    private static boolean falseClaim(int[] decisions, double[] thresholds, double lower, double pA) {
        for (int j = 0; j < thresholds.length; j++) {
            if (decisions[j] == SequentialCertificate.CERTIFIED && thresholds[j] > pA
                    || decisions[j] == SequentialCertificate.NOT_CERTIFIABLE && thresholds[j] <= pA) {
                return true;
            }
        }
        return lower > pA;
    }

    @Test
    void theLargestCertifiableRadiusIsThatOfAllSamplesAtTheLastLook() {
        SequentialConfig c = SequentialConfig.defaults();
        Looks looks = c.looks(400);
        // all n successes: the one-sided Clopper-Pearson bound is BetaInv(a; n, 1) = a^(1/n), a = alpha / (2K)
        double a = 0.001 / (2.0 * looks.count());
        double expected = 0.5 * Statistics.normalQuantile(Math.pow(a, 1.0 / looks.last()));
        assertEquals(expected, c.largestRadius(0.5, 0.001, 400), 1e-6);
        assertEquals(2 * c.largestRadius(0.5, 0.001, 400), c.largestRadius(1.0, 0.001, 400), 1e-9);
        assertTrue(expected > 1.8 && expected < 1.9, "about 3.7 sigma at n_max = 100,000: " + expected);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"cp", "betting"})
    void everyClaimHoldsTogetherAtLeastOneMinusAlphaOfTheTimeAndPeekingIsCaught(String bound) {
        int trials = 2000, batch = 100, nMax = 10_000;
        double alpha = 0.05;
        double[] thresholds = RadiusDecisions.thresholds(RADII, 1.0);
        Looks looks = Looks.geometric(200, 1.25, nMax, batch);
        SplittableRandom pick = new SplittableRandom(21);
        int wrong = 0, peekingWrong = 0, decidedSome = 0;
        long drawn = 0;
        for (int i = 0; i < trials; i++) {
            double pA = 0.55 + 0.42 * pick.nextDouble();
            SplittableRandom bernoulli = new SplittableRandom(Seeds.forExample(22, i));
            RadiusDecisions sound = new RadiusDecisions(thresholds, looks, ConfidenceSequences.of(bound, looks, alpha), 0,
                    Claims.STANDARD);
            // the unsound rule: a fixed-level (alpha) two-sided interval after every batch, on the same samples
            int[] peeking = new int[thresholds.length];
            double peekLower = 0, peekUpper = 1;
            boolean soundDone = false;
            long nA = 0;
            for (long t = batch; t <= nMax; t += batch) {
                for (int s = 0; s < batch; s++) {
                    nA += bernoulli.nextDouble() < pA ? 1 : 0;
                }
                if (!soundDone && sound.due(t)) {
                    soundDone = sound.look(nA, t);
                    if (soundDone) {
                        drawn += t;
                    }
                }
                peekLower = Math.max(peekLower, Statistics.lowerConfidenceBound(nA, t, alpha / 2));
                peekUpper = Math.min(peekUpper, Statistics.upperConfidenceBound(nA, t, alpha / 2));
                for (int j = 0; j < thresholds.length; j++) {
                    if (peeking[j] == 0) {
                        peeking[j] = peekLower >= thresholds[j] ? 1 : peekUpper < thresholds[j] ? -1 : 0;
                    }
                }
            }
            assertTrue(soundDone, "the last look must end sampling");
            wrong += falseClaim(sound.decisions(), thresholds, sound.lower(), pA) ? 1 : 0;
            peekingWrong += falseClaim(peeking, thresholds, peekLower, pA) ? 1 : 0;
            decidedSome += java.util.Arrays.stream(sound.decisions()).filter(d -> d != 0).count() > 10 ? 1 : 0;
        }
        double rate = wrong / (double) trials, peekingRate = peekingWrong / (double) trials;
        assertTrue(rate <= bound(alpha, trials), "false-claim rate " + rate + " > " + bound(alpha, trials));
        assertTrue(peekingRate > bound(alpha, trials), "peeking after every batch looks sound (" + peekingRate
                + "): the check cannot fail");
        assertTrue(decidedSome > trials * 0.9, "too few decisions (" + decidedSome + "): the test proves nothing");
        assertTrue(drawn < (long) trials * nMax, "never stopped early");
    }

    private static final double SIGMA = 0.5;

    /** f(z) = 1 if z_0 &gt;= 0.5: P(f(x + delta) = 1) = Phi((a - 0.5) / sigma) for first pixel a. */
    private static final Classifier HALF_SPACE = Classifier.of(b -> {
        INDArray first = b.reshape(b.size(0), 2).getColumn(0).reshape(b.size(0), 1);
        INDArray one = first.gte(0.5).castTo(DataType.FLOAT);
        return Nd4j.hstack(one.rsub(1.0), one);
    }, 2, 1, 1, 2);

    private static INDArray input(double a) {
        return Nd4j.create(new float[] {(float) a, 0.3f}, new long[] {1, 1, 2});
    }

    @Test
    void certifyAtRadiiMakesOnlyTrueClaimsAboutTheHalfSpace() {
        int examples = 600, nMax = 4000;
        double alpha = 0.05;
        double[] radii = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
        double[] thresholds = RadiusDecisions.thresholds(radii, SIGMA);
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, SIGMA).withBatchSize(200);
        Looks looks = Looks.geometric(400, 1.25, nMax, 200);
        SplittableRandom pick = new SplittableRandom(23);
        int wrong = 0, stoppedEarly = 0;
        for (int i = 0; i < examples; i++) {
            double pA = 0.5 + 0.49 * pick.nextDouble();
            int label = pick.nextBoolean() ? 1 : 0;
            double a = 0.5 + (label == 1 ? 1 : -1) * SIGMA * Statistics.normalQuantile(pA);
            SequentialCertificate c = g.certifyAtRadii(input(a), radii, 100, looks, alpha, 0, Seeds.forExample(24, i));
            double truePA = c.prediction() == label || c.abstained() ? pA : 1 - pA; // pA of the guessed class
            boolean wrongClass = !c.abstained() && c.prediction() != label;
            wrong += wrongClass || falseClaim(c.decisions(), thresholds, c.pALower(), truePA) ? 1 : 0;
            stoppedEarly += c.drawn() < nMax ? 1 : 0;
            // the radius column agrees with the decisions: radius >= r_j exactly when r_j is certified
            for (int j = 0; j < radii.length; j++) {
                boolean certified = c.decisions()[j] == SequentialCertificate.CERTIFIED;
                assertEquals(certified, !c.abstained() && c.radius() >= radii[j] - 1e-12,
                        "radius " + c.radius() + " vs decision at " + radii[j]);
            }
        }
        double rate = wrong / (double) examples;
        assertTrue(rate <= bound(alpha, examples), "false-claim rate " + rate + " > " + bound(alpha, examples));
        // (on this fine grid most pA lie near a threshold, so many examples need n_max: about a third stop early)
        assertTrue(stoppedEarly > examples / 4, "stopped early only " + stoppedEarly + " times");
    }

    @Test
    void theSamplesSeenAtALookAreTheFirstSamplesOfCertify() {
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, SIGMA).withBatchSize(200);
        double[] radii = {0, 0.25, 0.5};
        Looks looks = Looks.geometric(400, 1.25, 20_000, 200);
        for (double a : new double[] {0.55, 0.7, 0.9, 1.3}) {
            SequentialCertificate s = g.certifyAtRadii(input(a), radii, 100, looks, 0.001, 0, 9);
            Certificate c = g.certify(input(a), 100, (int) s.drawn(), 0.001, 9);
            assertEquals(c.nA(), s.nA(), "at a = " + a);
            assertTrue(s.drawn() % 200 == 0 || s.drawn() == 20_000, "stopped between looks: " + s.drawn());
        }
    }

    @Test
    void predictSequentialReturnsAWrongClassAtMostAlphaOfTheTimeAndSavesSamples() {
        int examples = 1000, n = 5000;
        double alpha = 0.05;
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, SIGMA).withBatchSize(250);
        Looks looks = Looks.geometric(250, 1.5, n, 250);
        SplittableRandom pick = new SplittableRandom(25);
        int wrong = 0, answered = 0;
        long drawn = 0;
        for (int i = 0; i < examples; i++) {
            double pA = 0.5 + 0.2 * pick.nextDouble(); // close to 1/2: the hard case
            int label = pick.nextBoolean() ? 1 : 0;
            double a = 0.5 + (label == 1 ? 1 : -1) * SIGMA * Statistics.normalQuantile(pA);
            Prediction p = g.predictSequential(input(a), looks, alpha, Seeds.forExample(26, i));
            drawn += p.drawn();
            if (!p.abstained()) {
                answered++;
                wrong += p.prediction() != label ? 1 : 0;
            }
        }
        double rate = wrong / (double) examples;
        assertTrue(rate <= bound(alpha, examples), "wrong-class rate " + rate + " > " + bound(alpha, examples));
        assertTrue(answered > examples / 2, "answered only " + answered);
        assertTrue(drawn < (long) examples * n * 3 / 4, "no samples saved: " + drawn);
    }

    @Test
    void badSettingsNameTheFlag() {
        assertEquals("--radii must be finite, >= 0 and ascending, got [0.5, 0.25]",
                assertThrows(IllegalArgumentException.class, () -> RadiusDecisions.thresholds(new double[] {0.5, 0.25},
                        1)).getMessage());
        assertEquals("--n-max must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> Looks.geometric(100, 1.25, 0, 10)).getMessage());
        assertEquals("--futility must be in [0, 1), got 1.0", assertThrows(IllegalArgumentException.class,
                () -> SequentialConfig.defaults().withFutility(1)).getMessage());
    }
}
