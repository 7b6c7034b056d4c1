package org.smoothing4j.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The statistics of PREDICT and CERTIFY against closed forms and the reference tool, to 1e-9 relative. */
class StatisticsTest {
    private static final double REL = 1e-9;

    private static void assertRel(double expected, double actual) {
        assertEquals(expected, actual, Math.abs(expected) * REL, () -> "expected " + expected + " got " + actual);
    }

    @Test
    void lowerBoundAtAllSuccessesIsAlphaToTheOneOverN() {
        // P(X = n | p) = p^n = alpha  =>  p = alpha^(1/n)
        for (int n : new int[] {1, 10, 100, 1000, 100_000}) {
            for (double alpha : new double[] {0.001, 0.01, 0.05}) {
                assertRel(Math.pow(alpha, 1.0 / n), Statistics.lowerConfidenceBound(n, n, alpha));
            }
        }
    }

    @Test
    void lowerBoundAtOneSuccessSolvesOneMinusQToTheN() {
        // P(X >= 1 | p) = 1 - (1 - p)^n = alpha  =>  p = 1 - (1 - alpha)^(1/n)
        for (int n : new int[] {1, 10, 1000}) {
            double alpha = 0.01;
            assertRel(-Math.expm1(Math.log1p(-alpha) / n), Statistics.lowerConfidenceBound(1, n, alpha));
        }
    }

    @Test
    void lowerBoundIsZeroWithoutSuccesses() {
        assertEquals(0.0, Statistics.lowerConfidenceBound(0, 100, 0.001));
    }

    @ParameterizedTest
    @CsvSource({
        // scipy 1.17: beta.ppf(alpha, nA, n - nA + 1)
        "50, 100, 0.05, 0.41362171463091174",
        "990, 1000, 0.001, 0.9760361871553114",
        "99990, 100000, 0.001, 0.9997586773435911",
        "70, 100, 0.01, 0.5819060383879295",
        "1, 10, 0.05, 0.005116196891823701",
    })
    void lowerBoundMatchesTheReferenceBetaQuantile(long nA, long n, double alpha, double expected) {
        assertRel(expected, Statistics.lowerConfidenceBound(nA, n, alpha));
    }

    @Test
    void lowerBoundGrowsWithSuccessesAndConfidenceLevelOrdersIt() {
        double previous = -1;
        for (int k = 0; k <= 50; k++) {
            double lb = Statistics.lowerConfidenceBound(k, 50, 0.01);
            assertTrue(lb > previous && lb <= k / 50.0, "k=" + k);
            previous = lb;
        }
        assertTrue(Statistics.lowerConfidenceBound(30, 50, 0.001) < Statistics.lowerConfidenceBound(30, 50, 0.05));
    }

    @ParameterizedTest
    @CsvSource({
        // scipy 1.17: binomtest(k, n, 0.5).pvalue
        "60, 100, 0.05688793364098089",
        "55, 100, 0.36820161732669615",
        "7, 10, 0.34375",
        "520, 1000, 0.2174482932041415",
        "0, 5, 0.0625",
        "50, 100, 1.0",
    })
    void binomialTestMatchesTheReference(long k, long n, double expected) {
        assertRel(expected, Statistics.binomialTestPValueAtOneHalf(k, n));
    }

    @Test
    void binomialTestAtOneHalfIsTwiceTheExactUpperTailAndSymmetric() {
        // at p = 1/2: p-value = min(1, 2 * sum_{i >= max(k, n-k)} C(n, i) / 2^n), computed exactly
        int n = 61;
        for (int k = 0; k <= n; k++) {
            int hi = Math.max(k, n - k);
            BigInteger tail = BigInteger.ZERO;
            for (int i = hi; i <= n; i++) {
                tail = tail.add(binomial(n, i));
            }
            double expected = Math.min(1.0, 2 * tail.doubleValue() / Math.pow(2, n));
            assertRel(expected, Statistics.binomialTestPValueAtOneHalf(k, n));
            assertRel(Statistics.binomialTestPValueAtOneHalf(n - k, n), Statistics.binomialTestPValueAtOneHalf(k, n));
        }
    }

    private static BigInteger binomial(int n, int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return r;
    }

    @Test
    void normalQuantileMatchesPublishedValues() {
        // standard tables; the last one is Phi^-1(0.001^(1/100000)) from scipy 1.17 norm.ppf
        assertRel(1.959963984540054, Statistics.normalQuantile(0.975));
        assertRel(3.090232306167813, Statistics.normalQuantile(0.999));
        assertRel(3.8114565633899145, Statistics.normalQuantile(Math.pow(0.001, 1e-5)));
        assertEquals(0.0, Statistics.normalQuantile(0.5), 1e-15);
    }

    @Test
    void badArgumentsAreRejectedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Statistics.lowerConfidenceBound(5, 10, 1.5));
        assertTrue(e.getMessage().contains("alpha must be in (0, 1), got 1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Statistics.lowerConfidenceBound(11, 10, 0.01));
        assertThrows(IllegalArgumentException.class, () -> Statistics.binomialTestPValueAtOneHalf(1, 0));
    }

    @Test
    void minimumCountToCertifyIsTheFirstCountWhoseBoundReachesOneHalf() {
        for (long n : new long[] {1, 10, 100, 1000, 10_000, 100_000}) {
            for (double alpha : new double[] {0.001, 0.01, 0.1}) {
                long k = Statistics.minimumCountToCertify(n, alpha);
                if (k <= n) {
                    assertTrue(Statistics.lowerConfidenceBound(k, n, alpha) >= 0.5, n + " " + alpha);
                }
                if (k > 0) {
                    assertTrue(Statistics.lowerConfidenceBound(k - 1, n, alpha) < 0.5, n + " " + alpha);
                }
            }
        }
        // closed forms: LCB(n, n, alpha) = alpha^(1/n); 0.001^(1/1) < 1/2 (never certifies), 0.001^(1/10) = 0.501
        assertEquals(2, Statistics.minimumCountToCertify(1, 0.001));
        assertEquals(10, Statistics.minimumCountToCertify(10, 0.001));
    }
}
