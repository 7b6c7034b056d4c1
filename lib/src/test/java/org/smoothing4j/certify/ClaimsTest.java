package org.smoothing4j.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;
import org.smoothing4j.noise.ExactNormal;

/** The sound mode's last roundings: each claim, recomputed in exact arithmetic, holds. */
class ClaimsTest {
    private static final MathContext MC = new MathContext(80);
    private static final Claims SOUND = Claims.sound(1.0);

    /** P(X >= k) for X ~ Binomial(n, p), exactly (p as its double's exact binary value). */
    private static BigDecimal upperTail(int k, int n, double p) {
        BigDecimal q = new BigDecimal(p), one = BigDecimal.ONE, sum = BigDecimal.ZERO;
        BigDecimal choose = BigDecimal.ONE;
        for (int i = 0; i <= n; i++) {
            if (i > 0) {
                choose = choose.multiply(BigDecimal.valueOf(n - i + 1)).divide(BigDecimal.valueOf(i), MC);
            }
            if (i >= k) {
                sum = sum.add(choose.multiply(q.pow(i, MC), MC).multiply(one.subtract(q).pow(n - i, MC), MC), MC);
            }
        }
        return sum;
    }

    @Test
    void soundLowerBoundIsAValidClopperPearsonBound() {
        // the one-sided bound L at level alpha must satisfy P(X >= nA; L) <= alpha (the tail grows with p, and the
        // exact Clopper-Pearson bound is where it equals alpha)
        int checked = 0;
        for (int n : new int[] {10, 57, 200}) {
            for (int nA = 1; nA <= n; nA += Math.max(1, n / 13)) {
                for (double alpha : new double[] {0.001, 0.05}) {
                    double lower = SOUND.lower(Statistics.lowerConfidenceBound(nA, n, alpha));
                    BigDecimal tail = upperTail(nA, n, lower);
                    assertTrue(tail.compareTo(new BigDecimal(alpha)) <= 0, "n " + n + " nA " + nA + " alpha " + alpha
                            + ": tail " + tail + " at " + lower);
                    checked++;
                }
            }
        }
        assertTrue(checked > 60);
    }

    @Test
    void soundRadiusNeverExceedsTheExactOne() {
        // Phi(r / sigma) <= pALower in 100-digit arithmetic, for pALower from 1/2 to 1 - 10^-9
        for (double sigma : new double[] {0.12, 0.25, 0.5, 1.0}) {
            for (double p = 0.5; p < 1; p += 0.0173) {
                for (double pl : new double[] {p, 1 - (1 - p) * 1e-8}) {
                    double r = SOUND.radius(NormRadius.of(org.smoothing4j.noise.NoiseFamily.GAUSSIAN, Norm.L2, sigma, 784).radius(pl));
                    BigDecimal z = new BigDecimal(r).divide(new BigDecimal(sigma), MC);
                    assertTrue(ExactNormal.cdf(z).compareTo(new BigDecimal(pl)) <= 0, "sigma " + sigma + " p " + pl);
                }
            }
        }
    }

    @Test
    void correctionsAreSmallAndInTheSafeDirection() {
        Claims sound = Claims.sound(1 - 1e-11);
        double standard = Statistics.lowerConfidenceBound(990, 1000, 0.001);
        assertTrue(sound.lower(standard) < standard && sound.lower(standard) > standard * (1 - 2e-9));
        assertTrue(sound.threshold(0.9) > 0.9 && sound.threshold(0.9) < 0.9 + 1e-8);
        assertEquals(0.001 - 1e5 * 1e-11, sound.predictLevel(0.001, 100_000), 1e-12);
        assertEquals(0.001, Claims.STANDARD.predictLevel(0.001, 100_000), 0.0);
        assertThrows(IllegalArgumentException.class, () -> Claims.sound(0.3));
    }

    @Test
    void soundLogRoundsTheRadiusDown() {
        assertEquals("1.24", Claims.STANDARD.format(1.2389));
        assertEquals("1.23", SOUND.format(1.2389));
        assertEquals("0.0999", SOUND.format(0.099999));
        assertEquals("0.1", Claims.STANDARD.format(0.099999));
        assertEquals("0.0", SOUND.format(0.0));
    }
}
