package org.smoothing4j.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NoisyCopiesTest {

    /** The copies are example-major: row b*m + i is x[b] + noise[b*m + i], bit for bit as repeat + add. */
    @Test
    void addRepeatsEachExampleMTimesPlusItsNoise() {
        Nd4j.getRandom().setSeed(7);
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

    @Test
    void addRejectsNoiseOfAnotherSize() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 2, 2);
        INDArray sevenCopies = Nd4j.rand(DataType.FLOAT, 7, 1, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> NoisyCopies.add(x, sevenCopies, 2));
    }
}
