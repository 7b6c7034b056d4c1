package org.smoothing4j.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smoothing4j.noise.NoiseSource;

class NoisyCopiesTest {

    /** The copies are example-major: row b*m + i is x[b] + noise[b*m + i], bit for bit as repeat + add. */
    @Test
    void addRepeatsEachExampleMTimesPlusItsNoise() {
        for (int m : new int[] {1, 2, 3}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 3, 3);
            INDArray noise = Nd4j.randn(DataType.FLOAT, 4L * m, 2, 3, 3);
            INDArray copies = NoisyCopies.add(x, noise, m);
            assertArrayEquals(noise.shape(), copies.shape());
            // exactly (INDArray.equals would allow 1e-5)
            assertArrayEquals(x.repeat(0, m).addi(noise).dup('c').data().asFloat(), copies.data().asFloat(), "m = " + m);
            for (int b = 0; b < 4; b++) {
                for (int i = 0; i < m; i++) {
                    long row = (long) b * m + i;
                    assertEquals(x.get(point(b)).add(noise.get(point(row))), copies.get(point(row)));
                }
            }
        }
    }

    /** Views: at an offset into a larger buffer (the Java pass) and strided (libnd4j's operations) give the same. */
    @Test
    void addOfViewsEqualsAddOfCopies() {
        INDArray big = Nd4j.rand(DataType.FLOAT, 10, 1, 3, 3);
        INDArray offsetView = big.get(NDArrayIndex.interval(3, 7));
        INDArray strided = Nd4j.rand(DataType.FLOAT, 3, 3, 1, 4).permute(3, 2, 0, 1);
        INDArray noise = Nd4j.randn(DataType.FLOAT, 8, 1, 3, 3);
        for (INDArray x : new INDArray[] {offsetView, strided}) {
            assertArrayEquals(NoisyCopies.add(x.dup('c'), noise, 2).data().asFloat(),
                    NoisyCopies.add(x, noise, 2).data().asFloat());
        }
        INDArray doubles = Nd4j.rand(DataType.DOUBLE, 4, 1, 3, 3);
        INDArray doubleNoise = Nd4j.randn(DataType.DOUBLE, 8, 1, 3, 3);
        assertEquals(doubles.repeat(0, 2).addi(doubleNoise), NoisyCopies.add(doubles, doubleNoise, 2));
    }

    /**
     * Row b of the weighted sum is sum_i w[b, i] g[b*m + i], as ND4J's multiply and sum over the copies' axis;
     * float sums of at most 3 terms of size ~1 agree to a few ulps (1e-6 absolute is 8 ulps at 1). The values are
     * the same in every run (seeded normals, weights i/(5m) ... in [0, 1)), so their size stays as stated.
     */
    @Test
    void weightedSumAddsEachExamplesCopiesWithTheirWeights() {
        NoiseSource normals = NoiseSource.nd4j();
        for (int m : new int[] {1, 2, 3}) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                normals.reseed(m);
                INDArray perCopy = Nd4j.create(type, 5L * m, 7);
                normals.fill(perCopy, 1.0);
                INDArray weights = Nd4j.linspace(0, 1 - 1.0 / (5 * m), 5L * m, type).reshape(5, m);
                INDArray expected = perCopy.mulColumnVector(weights.reshape(5L * m, 1)).reshape(5, m, 7).sum(1);
                INDArray sum = NoisyCopies.weightedSum(perCopy, weights);
                assertArrayEquals(new long[] {5, 7}, sum.shape());
                assertTrue(expected.equalsWithEps(sum, 1e-6), type + ", m = " + m);
                double byHand = 0;
                for (int i = 0; i < m; i++) {
                    byHand += weights.getDouble(2, i) * perCopy.getDouble(2L * m + i, 4);
                }
                assertEquals(byHand, sum.getDouble(2, 4), 1e-6);
            }
        }
    }

    @Test
    void addRejectsNoiseOfAnotherSize() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 2, 2);
        INDArray sevenCopies = Nd4j.rand(DataType.FLOAT, 7, 1, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> NoisyCopies.add(x, sevenCopies, 2));
    }
}
