package org.smoothing4j.certify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Futility stopping of sequential certification ({@link RadiusDecisions}): it may give up a radius that is unlikely to
 * be decided, never one the estimate is on track to certify. The counts are fed by hand (no sampling), so the
 * outcomes are exact: the default looks (800, 1,000, ... up to n_max = 100,000, batch 400), alpha = 0.001.
 */
class RadiusDecisionsTest {
    private static final Looks LOOKS = SequentialConfig.defaults().looks(400);
    private static final int C = SequentialCertificate.CERTIFIED;
    private static final int U = SequentialCertificate.UNDECIDED;

    /** Feeds nA(t) at each look until the decisions say stop; returns the samples drawn then. */
    private static long run(RadiusDecisions d, LongUnaryOperator nA) {
        for (long t : LOOKS.at()) {
            if (d.look(nA.applyAsLong(t), t)) {
                return t;
            }
        }
        throw new AssertionError("the last look must stop");
    }

    @Test
    void anExampleWhoseEverySampleIsRightIsCertifiedAtThreeSigmaWithFutilityEightTenths() {
        // sigma 0.25, radii 0 to 0.75 = 3 sigma (the quick profile's table): Phi(3) = 0.99865 is certified once the
        // one-sided Clopper-Pearson bound of t right samples, (alpha / 2K)^(1/t), reaches it: t of about 7,900. The
        // normal approximation at 1 - 0.5 / t gives this radius a chance of about 0.67 at the first look, so futility
        // 0.8 gave it up there before the on-track rule (decisions C, C, C, U after 800 samples).
        double[] thresholds = RadiusDecisions.thresholds(new double[] {0, 0.25, 0.5, 0.75}, 0.25);
        RadiusDecisions d = new RadiusDecisions(thresholds, LOOKS, 0.001, 0.8);
        long stop = run(d, t -> t);
        assertArrayEquals(new int[] {C, C, C, C}, d.decisions());
        double a = 0.001 / (2.0 * LOOKS.count());
        long needed = (long) Math.ceil(Math.log(a) / Math.log(thresholds[3]));
        assertTrue(stop >= needed && stop < 2 * needed, "stopped at " + stop + ", certifiable from " + needed);
    }

    @Test
    void aRadiusTheEstimateIsNotOnTrackForIsStillGivenUp() {
        // pA-hat = 0.88 at every look against a threshold of Phi(1.2) = 0.885: at t = 800 the interval (about
        // +-0.04) decides nothing, and the normal approximation gives a chance of about 0.22 above and 0.54 below
        // (0.76 < 0.8) of deciding it by n_max: futility 0.8 stops at the first look, 0.2 does not.
        double[] thresholds = RadiusDecisions.thresholds(new double[] {0, 0.3}, 0.25);
        RadiusDecisions eager = new RadiusDecisions(thresholds, LOOKS, 0.001, 0.8);
        assertEquals(LOOKS.at()[0], run(eager, t -> Math.round(0.88 * t)));
        assertArrayEquals(new int[] {C, U}, eager.decisions());
        RadiusDecisions patient = new RadiusDecisions(thresholds, LOOKS, 0.001, 0.2);
        assertTrue(run(patient, t -> Math.round(0.88 * t)) > LOOKS.at()[0]);
    }
}
