package org.smoothing4j.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ziggurat sampler at the sizes certification uses (fills of 400 x 784 values; 2,000,000 values in all, over
 * several fills so chunk and fill boundaries are crossed). Moment checks allow 5 standard errors (SE of the mean
 * 1/sqrt(N), of the variance sqrt(2/N), of the skewness sqrt(6/N), of the excess kurtosis sqrt(24/N)); the
 * distribution and independence tests (Kolmogorov-Smirnov, chi-square on 100 equiprobable bins, on 10 x 10 bins
 * of consecutive pairs) must not reject at level 0.001. With the fixed seed the outcome is deterministic; with a
 * correct sampler each check fails with probability below 0.001.
 */
class ZigguratNoiseTest {
    private static final int N = 2_000_000;
    private static double[] z;
    private static final NormalDistribution STD = NormalDistribution.of(0, 1);

    @BeforeAll
    static void sample() {
        NoiseSource noise = new ZigguratNoise();
        noise.reseed(12345);
        INDArray buffer = Nd4j.create(DataType.FLOAT, 400, 784);
        z = new double[N];
        for (int at = 0; at < N; at += (int) buffer.length()) {
            noise.fill(buffer, 1.0);
            float[] v = buffer.data().asFloat();
            for (int i = 0; i < v.length && at + i < N; i++) {
                z[at + i] = v[i];
            }
        }
    }

    @Test
    void momentsAreThoseOfAStandardNormal() {
        double mean = 0, m2 = 0, m3 = 0, m4 = 0;
        for (double v : z) {
            mean += v;
        }
        mean /= N;
        for (double v : z) {
            double d = v - mean;
            m2 += d * d;
            m3 += d * d * d;
            m4 += d * d * d * d;
        }
        m2 /= N;
        m3 /= N;
        m4 /= N;
        assertEquals(0, mean, 5 / Math.sqrt(N), "mean");
        assertEquals(1, m2, 5 * Math.sqrt(2.0 / N), "variance");
        assertEquals(0, m3 / Math.pow(m2, 1.5), 5 * Math.sqrt(6.0 / N), "skewness");
        assertEquals(0, m4 / (m2 * m2) - 3, 5 * Math.sqrt(24.0 / N), "excess kurtosis");
    }

    @Test
    void distributionPassesKolmogorovSmirnovAndChiSquare() {
        double ks = KolmogorovSmirnovTest.withDefaults().test(z, STD::cumulativeProbability).getPValue();
        assertTrue(ks > 0.001, "Kolmogorov-Smirnov p = " + ks);
        long[] bins = new long[100];
        for (double v : z) {
            bins[bin(v, 100)]++;
        }
        double chi = ChiSquareTest.withDefaults().test(bins).getPValue();
        assertTrue(chi > 0.001, "chi-square p = " + chi);
        // the tails, where the ziggurat has its special cases (beyond R = 3.44 and the wedges)
        long beyond3 = 0, beyond4 = 0;
        for (double v : z) {
            beyond3 += Math.abs(v) > 3 ? 1 : 0;
            beyond4 += Math.abs(v) > 4 ? 1 : 0;
        }
        double p3 = 2 * STD.survivalProbability(3), p4 = 2 * STD.survivalProbability(4);
        assertEquals(p3 * N, beyond3, 5 * Math.sqrt(p3 * N), "|z| > 3");
        assertEquals(p4 * N, beyond4, 5 * Math.sqrt(p4 * N), "|z| > 4");
    }

    @Test
    void consecutiveValuesAreIndependent() {
        double lag1 = 0;
        for (int i = 1; i < N; i++) {
            lag1 += z[i] * z[i - 1];
        }
        lag1 /= N - 1;
        assertEquals(0, lag1, 5 / Math.sqrt(N), "lag-1 autocorrelation");
        long[][] pairs = new long[10][10];
        for (int i = 0; i + 1 < N; i += 2) {
            pairs[bin(z[i], 10)][bin(z[i + 1], 10)]++;
        }
        long[] flat = new long[100];
        for (int a = 0; a < 10; a++) {
            System.arraycopy(pairs[a], 0, flat, 10 * a, 10);
        }
        double p = ChiSquareTest.withDefaults().test(flat).getPValue();
        assertTrue(p > 0.001, "pairs chi-square p = " + p);
    }

    private static int bin(double v, int bins) {
        return Math.min(bins - 1, (int) (STD.cumulativeProbability(v) * bins));
    }

    @Test
    void sameSeedSameValuesWhateverTheLayoutAndSigmaScales() {
        NoiseSource a = new ZigguratNoise(), b = new ZigguratNoise();
        a.reseed(7);
        b.reseed(7);
        INDArray c = Nd4j.create(DataType.FLOAT, new long[] {3, 50_000}, 'c');
        INDArray f = Nd4j.create(DataType.FLOAT, new long[] {3, 50_000}, 'f'); // written through the staging copy
        a.fill(c, 0.5);
        b.fill(f, 0.5);
        assertEquals(c, f);
        INDArray view = Nd4j.create(DataType.FLOAT, 400, 784).get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3), org.nd4j.linalg.indexing.NDArrayIndex.all());
        NoiseSource v = new ZigguratNoise();
        v.reseed(7);
        v.fill(view, 0.5);
        assertEquals(c.reshape(150_000).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3 * 784)),
                view.reshape(3 * 784), "a row view of a larger buffer gets the first values of the stream");
        a.fill(c, 0.5); // the next fill continues the stream
        assertNotEquals(f, c);
        double sd = c.stdNumber().doubleValue();
        assertEquals(0.5, sd, 5 * 0.5 * Math.sqrt(2.0 / c.length()) / 2 + 1e-3);
    }

    @Test
    void fillAtIndexEqualsThatFillOfTheStreamWithoutMovingIt() {
        IndexedNoiseSource stream = new ZigguratNoise(), indexed = new ZigguratNoise();
        assertFalse(NoiseSource.nd4j() instanceof IndexedNoiseSource);
        stream.reseed(9);
        indexed.reseed(9);
        INDArray[] fills = new INDArray[4];
        for (int k = 0; k < fills.length; k++) {
            fills[k] = Nd4j.create(DataType.FLOAT, 2, 70_000); // two chunks and a bit
            stream.fill(fills[k], 1.0);
        }
        assertEquals(4, stream.position());
        INDArray out = fills[0].like();
        for (int k = fills.length - 1; k >= 0; k--) { // any order
            indexed.fillAt(out, 1.0, k);
            assertEquals(fills[k], out, "fill " + k);
        }
        assertEquals(0, indexed.position(), "fillAt does not move the stream");
        indexed.skip(3);
        indexed.fill(out, 1.0);
        assertEquals(fills[3], out, "after skipping 3 fills the next is fill 3");
        assertThrows(IllegalArgumentException.class, () -> indexed.skip(-1));
    }
}
