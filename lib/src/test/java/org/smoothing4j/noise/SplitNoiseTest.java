package org.smoothing4j.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The random-shift split inputs that {@code train --method dssn} trains on. */
class SplitNoiseTest {

    /**
     * Every row is the split input of its image at one shift of the certificate's set, the shifts come from the
     * seeded source (same seed, same rows) and are uniform over the L shifts. Sigma 0.3 on a grid of 8 levels gives
     * L = floor(2 sqrt3 0.3 8) = 8 shifts; 4,000 draws put a binomial(4000, 1/8) count on each, mean 500 and
     * standard deviation 20.9: the test allows 5 standard deviations (105), which a wrong mapping of the draws to
     * shifts (for example floor(u L) of a normal u, which never reaches half the shifts) exceeds by far.
     */
    @Test
    void randomShiftsGiveTheCertificatesSplitInputsUniformlyOverTheShifts() {
        SplitNoise split = SplitNoise.of(0.3, 8, 3);
        assertEquals(8, split.shifts());
        int[] grid = {0, 5, 8};
        int b = 4000;
        float[] images = new float[b * 3];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < 3; i++) {
                images[3 * r + i] = grid[i] / 8f;
            }
        }
        INDArray x = Nd4j.create(images, new long[] {b, 1, 1, 3});
        float[][] byShift = new float[8][3];
        for (int t = 0; t < 8; t++) {
            split.splitInput(grid, t, byShift[t], 0);
        }
        NoiseSource noise = new ZigguratNoise();
        noise.reseed(7);
        float[] rows = split.atRandomShifts(x, noise).data().asFloat();
        noise.reseed(7);
        assertArrayEquals(rows, split.atRandomShifts(x, noise).data().asFloat());
        int[] counts = new int[8];
        for (int r = 0; r < b; r++) {
            float[] row = Arrays.copyOfRange(rows, 3 * r, 3 * r + 3);
            int found = -1;
            for (int t = 0; t < 8 && found < 0; t++) {
                found = Arrays.equals(row, byShift[t]) ? t : -1;
            }
            assertTrue(found >= 0, "row " + r + " is no shift's split input: " + Arrays.toString(row));
            counts[found]++;
        }
        for (int t = 0; t < 8; t++) {
            assertTrue(Math.abs(counts[t] - 500) <= 105, "shift counts " + Arrays.toString(counts));
        }
    }
}
