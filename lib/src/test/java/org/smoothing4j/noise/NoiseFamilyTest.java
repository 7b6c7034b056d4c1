package org.smoothing4j.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.LaplaceDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.UniformContinuousDistribution;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each noise family's stream at sigma = 0.5, 400,000 values over several fills (chunk boundaries crossed). The
 * per-coordinate standard deviation is sigma by construction (Yang et al.'s parameterisation): the sample variance
 * must be within 5 standard errors of sigma^2 (SE of the variance = sqrt((mu4 - sigma^4) / N), mu4 = 3 sigma^4
 * Gaussian, 6 sigma^4 Laplace, 9/5 sigma^4 uniform), the mean within 5 SE (sigma / sqrt N); the Kolmogorov-Smirnov test
 * against the exact distribution must not reject at 0.001 (fixed seed: deterministic; a correct sampler fails with
 * probability below 0.001).
 */
class NoiseFamilyTest {
    private static final int N = 400_000;
    private static final double SIGMA = 0.5;

    /** The family's indexed stream: the ziggurat Gaussian, the Laplace or uniform inversion stream. */
    private static IndexedNoiseSource source(NoiseFamily family) {
        return family == NoiseFamily.GAUSSIAN ? new ZigguratNoise() : new InverseCdfNoise(family);
    }

    private static double[] sample(NoiseFamily family, long seed) {
        NoiseSource noise = source(family);
        noise.reseed(seed);
        INDArray buffer = Nd4j.create(DataType.FLOAT, 100, 1000);
        double[] z = new double[N];
        for (int at = 0; at < N; at += (int) buffer.length()) {
            noise.fill(buffer, SIGMA);
            float[] v = buffer.data().asFloat();
            for (int i = 0; i < v.length; i++) {
                z[at + i] = v[i];
            }
        }
        return z;
    }

    private static ContinuousDistribution exact(NoiseFamily family) {
        double scale = family.scale(SIGMA);
        return switch (family) {
            case GAUSSIAN -> NormalDistribution.of(0, scale);
            case LAPLACE -> LaplaceDistribution.of(0, scale);
            case UNIFORM -> UniformContinuousDistribution.of(-scale, scale);
        };
    }

    @ParameterizedTest
    @EnumSource(NoiseFamily.class)
    void meanVarianceAndDistributionAreTheFamilys(NoiseFamily family) {
        double[] z = sample(family, 77);
        double mean = Arrays.stream(z).average().orElseThrow();
        double var = Arrays.stream(z).map(v -> (v - mean) * (v - mean)).sum() / N;
        double s4 = Math.pow(SIGMA, 4);
        double mu4 = switch (family) {
            case GAUSSIAN -> 3 * s4;
            case LAPLACE -> 6 * s4;
            case UNIFORM -> 1.8 * s4;
        };
        assertEquals(0, mean, 5 * SIGMA / Math.sqrt(N), family + " mean");
        assertEquals(SIGMA * SIGMA, var, 5 * Math.sqrt((mu4 - s4) / N), family + " variance");
        double p = KolmogorovSmirnovTest.withDefaults().test(z, exact(family)::cumulativeProbability).getPValue();
        assertTrue(p > 0.001, family + ": KS p-value " + p);
        if (family == NoiseFamily.UNIFORM) {
            double lambda = family.scale(SIGMA);
            assertTrue(Arrays.stream(z).allMatch(v -> Math.abs(v) <= lambda * (1 + 1e-6)), "uniform beyond lambda");
        }
    }

    @Test
    void theKsCheckRejectsAnotherFamilyOfTheSameVariance() {
        // the check above can fail: Laplace draws are not uniform (nor Gaussian) at equal variance
        double[] z = sample(NoiseFamily.LAPLACE, 78);
        for (NoiseFamily other : new NoiseFamily[] {NoiseFamily.UNIFORM, NoiseFamily.GAUSSIAN}) {
            double p = KolmogorovSmirnovTest.withDefaults().test(z, exact(other)::cumulativeProbability).getPValue();
            assertTrue(p < 1e-6, "Laplace draws pass as " + other + ": p " + p);
        }
    }

    @ParameterizedTest
    @EnumSource(NoiseFamily.class)
    void fillKDependsOnlyOnTheSeedAndK(NoiseFamily family) {
        IndexedNoiseSource a = source(family), b = source(family);
        a.reseed(5);
        b.reseed(5);
        INDArray x = Nd4j.create(DataType.FLOAT, 3, 100_000), y = x.like();
        a.fill(x, SIGMA);
        a.fill(x, SIGMA); // fill 1
        b.fillAt(y, SIGMA, 1);
        assertArrayEquals(x.data().asFloat(), y.data().asFloat());
        b.fillAt(y, SIGMA, 2);
        assertTrue(!Arrays.equals(x.data().asFloat(), y.data().asFloat()), "fills 1 and 2 are equal");
        assertEquals(family == NoiseFamily.GAUSSIAN ? "ziggurat" : family.id(), a.name());
    }

    @Test
    void namesParseAndBadNamesAreRefusedWithTheFlag() {
        assertEquals(NoiseFamily.UNIFORM, NoiseFamily.parse("Uniform", "--noise"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NoiseFamily.parse("cauchy", "--noise"));
        assertEquals("--noise must be one of [gaussian, laplace, uniform], got 'cauchy'", e.getMessage());
        assertEquals(Math.sqrt(3) * 0.5, NoiseFamily.UNIFORM.scale(0.5), 1e-15);
        assertEquals(0.5 / Math.sqrt(2), NoiseFamily.LAPLACE.scale(0.5), 1e-15);
    }
}
