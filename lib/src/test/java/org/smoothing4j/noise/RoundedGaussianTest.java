package org.smoothing4j.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * The exact rounded Gaussian of sound certification (Voracek &amp; Hein 2023; METHODS 1.4-1.5): its support, its
 * masses against the rounded Gaussian, the domination that the certificate's correction relies on, exact symmetry
 * (which catches the reference's +1/L shift), and a chi-square test of its draws.
 */
class RoundedGaussianTest {
    private static final NormalDistribution STD = NormalDistribution.of(0, 1);

    /** P(e) = Phi((e + 1/2) / (L sigma)) - Phi((e - 1/2) / (L sigma)), the end atoms with the tails. */
    private static double roundedMass(RoundedGaussian g, int e) {
        double s = g.levels() * g.sigma();
        int big = g.maxNoise();
        double hi = e == big ? 1 : STD.cumulativeProbability((e + 0.5) / s);
        double lo = e == -big ? 0 : STD.cumulativeProbability((e - 0.5) / s);
        return e > 0 && e < big ? STD.survivalProbability((e - 0.5) / s) - STD.survivalProbability((e + 0.5) / s)
                : hi - lo;
    }

    @Test
    void supportIsTheReferencesAtomCount() {
        // the reference's k = max(1, int(6 sigma)), K = 255 (k + 1): 1021 / 2041 / 3571 atoms (METHODS 1.4)
        assertEquals(510, RoundedGaussian.of(0.25, 255).maxNoise());
        assertEquals(1020, RoundedGaussian.of(0.5, 255).maxNoise());
        assertEquals(1785, RoundedGaussian.of(1.0, 255).maxNoise());
        assertEquals(1, RoundedGaussian.of(0.12, 255).clipRange());
    }

    @Test
    void massesAreTheRoundedGaussiansAndExactlySymmetric() {
        for (double sigma : new double[] {0.12, 0.25, 0.5, 1.0}) {
            RoundedGaussian g = RoundedGaussian.of(sigma, 255);
            double total = 0;
            for (int e = -g.maxNoise(); e <= g.maxNoise(); e++) {
                double implemented = g.implementedMass(e);
                total += implemented;
                // Q = 2^60: each boundary moves by at most 1 / Q inside the exact one, and M / Q ~ 1 - 10^-15
                assertEquals(roundedMass(g, e), implemented, 1e-15 + 1e-12 * roundedMass(g, e), "sigma " + sigma
                        + ", e = " + e);
                assertEquals(implemented, g.implementedMass(-e), 0.0, "asymmetric at e = " + e);
            }
            assertEquals(1.0, total, 1e-12);
            assertEquals(0.0, g.implementedMass(g.maxNoise() + 1), 0.0);
        }
    }

    @Test
    void exactMassDominatesTheImplementedOneAtEveryAtom() {
        // w_e <= Q P(e) with P(e) in 100-digit arithmetic: the inequality the correction (M / Q)^d rests on
        RoundedGaussian g = RoundedGaussian.of(0.25, 255);
        BigDecimal q = BigDecimal.valueOf(2).pow(RoundedGaussian.BITS);
        MathContext mc = new MathContext(60);
        BigDecimal scale = new BigDecimal(g.sigma()).multiply(BigDecimal.valueOf(g.levels()));
        int checked = 0;
        for (int e = 0; e < g.maxNoise(); e++) {
            BigDecimal lo = ExactNormal.cdf(BigDecimal.valueOf(2L * e - 1).divide(scale.multiply(BigDecimal.valueOf(2)), mc));
            BigDecimal z = BigDecimal.valueOf(2L * e + 1).divide(scale.multiply(BigDecimal.valueOf(2)), mc);
            if (z.doubleValue() > ExactNormal.MAX_X) {
                break;
            }
            BigDecimal exact = ExactNormal.cdf(z).subtract(lo);
            // exact: rounding the boundaries to the nearest integer instead would fail about half of the atoms
            assertTrue(BigDecimal.valueOf(g.width(e)).compareTo(exact.multiply(q)) <= 0,
                    "atom " + e + " is heavier than its exact mass");
            assertTrue(BigDecimal.valueOf(g.width(e) + 3).compareTo(exact.multiply(q)) > 0, "atom " + e
                    + " lost more than 3 of its " + exact.multiply(q) + " values");
            checked++;
        }
        assertTrue(checked > 400, "checked only " + checked + " atoms");
        // the factor for a CIFAR-size image: close to 1, but below it
        double f = g.massFactor(3072);
        assertTrue(f < 1 && f > 1 - 1e-10, "mass factor " + f);
    }

    @Test
    void exactNormalAgreesWithCommonsStatistics() {
        for (double x = 0; x <= 9.5; x += 0.37) {
            double exact = ExactNormal.lowerTail(new BigDecimal(x)).doubleValue();
            assertEquals(STD.cumulativeProbability(-x), exact, 1e-14 * exact, "Phi(-" + x + ")");
        }
        assertTrue(ExactNormal.upperTailBound(10) > STD.cumulativeProbability(-10));
    }

    @Test
    void drawsFollowTheImplementedMassesAndHaveMeanZero() {
        // 10^6 draws at sigma 0.5 (sd 127.5 grid units); chi-square over bins pooled to >= 50 expected draws must not
        // reject at level 0.001; the mean must be within 4 standard errors (0.13 each) of 0: the reference's +1/255
        // shift would be 7.8 of them
        RoundedGaussian g = RoundedGaussian.of(0.5, 255);
        int n = 1_000_000, big = g.maxNoise();
        long[] counts = new long[2 * big + 1];
        SplittableRandom random = new SplittableRandom(2023);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int e = g.sample(random);
            counts[e + big]++;
            sum += e;
        }
        assertEquals(0, sum / n, 4 * 127.5 / Math.sqrt(n), "mean");
        double chi = 0, expected = 0, observed = 0;
        int bins = 0;
        for (int e = -big; e <= big; e++) {
            expected += n * g.implementedMass(e);
            observed += counts[e + big];
            if (expected >= 50 || e == big) {
                chi += (observed - expected) * (observed - expected) / expected;
                bins++;
                expected = observed = 0;
            }
        }
        double critical = ChiSquaredDistribution.of(bins - 1).inverseSurvivalProbability(0.001);
        assertTrue(chi < critical, "chi-square " + chi + " >= " + critical + " over " + bins + " bins");
        assertTrue(bins > 200, "bins " + bins);
    }
}
