package org.smoothing4j.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Sound noise on the input grid: lattice closure, the clip, the grid check, and the per-(seed, fill) streams. */
class GridNoiseTest {
    private static INDArray image(int... m) {
        float[] v = new float[m.length];
        for (int j = 0; j < m.length; j++) {
            v[j] = m[j] / 255f; // as the data readers store 8-bit pixels
        }
        return Nd4j.create(v, new long[] {1, 1, m.length});
    }

    @Test
    void inputsAreAFunctionOfTheLatticePointAlone() {
        // METHODS 1.5.3: (m, e) pairs with the same clip(m + e) give bitwise-identical network inputs
        GridNoise noise = new GridNoise(0.5, 255);
        int d = 500;
        int[] m1 = new int[d], m2 = new int[d];
        for (int j = 0; j < d; j++) {
            m1[j] = j % 256;
            m2[j] = 255 - j % 256;
        }
        noise.reseed(9);
        INDArray e = Nd4j.create(DataType.FLOAT, 40, d);
        noise.fillAt(e, 0.5, 3);
        INDArray a = Nd4j.create(DataType.FLOAT, 40, d), b = Nd4j.create(DataType.FLOAT, 40, d);
        noise.fillInputsAt(a, m1, 3);
        noise.fillInputsAt(b, m2, 4);
        INDArray eb = Nd4j.create(DataType.FLOAT, 40, d);
        noise.fillAt(eb, 0.5, 4);
        java.util.Map<Integer, Integer> bitsOf = new java.util.HashMap<>();
        int k = noise.distribution().clipRange(), shared = 0;
        for (int r = 0; r < 40; r++) {
            for (int j = 0; j < d; j++) {
                for (int which = 0; which < 2; which++) {
                    int ej = Math.round((which == 0 ? e : eb).getFloat(r, j) * 255);
                    int s = Math.min(255 * (k + 1), Math.max(-255 * k, (which == 0 ? m1 : m2)[j] + ej));
                    int bits = Float.floatToRawIntBits((which == 0 ? a : b).getFloat(r, j));
                    Integer before = bitsOf.putIfAbsent(s, bits);
                    if (before != null) {
                        assertEquals(before.intValue(), bits, "lattice point " + s + " has two inputs");
                        shared++;
                    }
                    assertEquals(s / 255.0, Float.intBitsToFloat(bits), 1e-6);
                }
            }
        }
        assertTrue(shared > 30_000, "few repeated lattice points: " + shared);
    }

    @Test
    void inputsAreClippedToTheReferencesRange() {
        // sigma 1: k = 6, inputs in [-6, 7]; with m = 255 and noise up to K = 1785 grid units the top is reached
        GridNoise noise = new GridNoise(1.0, 255);
        noise.reseed(1);
        int[] m = new int[784];
        java.util.Arrays.fill(m, 255);
        INDArray a = Nd4j.create(DataType.FLOAT, 400, 784);
        noise.fillInputsAt(a, m, 0);
        assertTrue(a.maxNumber().doubleValue() <= 7.0 && a.minNumber().doubleValue() >= -6.0);
    }

    @Test
    void streamsDependOnSeedAndFillOnly() {
        GridNoise noise = new GridNoise(0.25, 255);
        int[] m = new int[70_000]; // more than one chunk: parallel chunks must not change the values
        noise.reseed(5);
        INDArray first = Nd4j.create(DataType.FLOAT, 2, 70_000), again = first.dup(), other = first.dup();
        noise.fillInputsAt(first, m, 7);
        noise.skip(3);
        noise.fillInputsAt(again, m, 7);
        noise.fillInputsAt(other, m, 8);
        assertArrayEquals(first.data().asFloat(), again.data().asFloat());
        assertTrue(!java.util.Arrays.equals(first.data().asFloat(), other.data().asFloat()));
        assertEquals(3, noise.position());
    }

    @Test
    void imagesOffTheGridAreRefusedWithThePixel() {
        GridNoise noise = new GridNoise(0.25, 255);
        assertArrayEquals(new int[] {0, 17, 255}, noise.gridOf(image(0, 17, 255)));
        INDArray normalized = Nd4j.create(new float[] {0.5f, 0.1307f}, new long[] {1, 1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> noise.gridOf(normalized));
        assertTrue(e.getMessage().startsWith("pixel 0 is 0.5, not on the grid m/255"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> noise.gridOf(Nd4j.create(new float[] {-1 / 255f},
                new long[] {1, 1, 1})));
        assertThrows(IllegalArgumentException.class, () -> noise.fillAt(Nd4j.create(DataType.FLOAT, 1, 2), 0.5, 0));
    }
}
