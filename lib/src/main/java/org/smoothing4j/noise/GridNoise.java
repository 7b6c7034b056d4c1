package org.smoothing4j.noise;

import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sound noise for inputs on the grid m / L (m = 0..L): the exact {@link RoundedGaussian} in integer grid units,
 * added to the image's integers m, clipped to [-L k, L (k + 1)], and only then turned into the network's float
 * input s / L through one fixed table (Voracek &amp; Hein, ICLR 2023). The network therefore sees a function of the
 * lattice point m + e alone: whatever it does with the low bits of its float input, its predictions on the samples
 * are exact draws of f'(x + q(delta)) with q the rounding to the grid and f' = f o clip, and Cohen et al.'s
 * theorem holds for f' at every grid point (q(x + delta) = x + q(delta) on the grid). The rounding of x + noise in
 * float arithmetic that makes the standard pipeline unsound (METHODS 1.2) does not occur.
 * <p>
 * Streams as {@link ZigguratNoise}'s ({@link ChunkedStream}): fill k of seed s depends on (s, k) only, so that
 * sharding, resuming and the number of threads change nothing.
 */
public final class GridNoise extends ChunkedStream {
    private final RoundedGaussian noise;
    private final float[] inputs; // the network's input for lattice value s, at index s + L k
    private final int low, high; // the clip range in grid units

    public GridNoise(double sigma, int levels) {
        noise = RoundedGaussian.of(sigma, levels);
        low = -levels * noise.clipRange();
        high = levels * (noise.clipRange() + 1);
        inputs = new float[high - low + 1];
        for (int s = low; s <= high; s++) {
            inputs[s - low] = (float) (s / (double) levels);
        }
    }

    /** The distribution this noise draws from. */
    public RoundedGaussian distribution() {
        return noise;
    }

    @Override
    public String name() {
        return "rounded-gaussian-" + noise.levels();
    }

    /** Writes the noise itself, e / L (for callers that add it to the inputs themselves). */
    @Override
    public void fillAt(INDArray target, double sigma, long fill) {
        if (sigma != noise.sigma()) {
            throw new IllegalArgumentException("this grid noise has sigma " + noise.sigma() + ", asked for " + sigma);
        }
        float scale = 1f / noise.levels();
        write(target, fill, (from, len, random, values, at) -> {
            for (int i = 0; i < len; i++) {
                values[at + i] = noise.sample(random) * scale;
            }
        });
    }

    /**
     * Writes fill number {@code fill}'s noisy inputs of the grid image {@code grid} (its integers m, one per pixel,
     * from {@link #gridOf}) into the rows of {@code target} [b, d]: inputs[clip(m_j + e)] per element.
     */
    public void fillInputsAt(INDArray target, int[] grid, long fill) {
        if (target.length() % grid.length != 0) {
            throw new IllegalArgumentException("target of " + target.length() + " values is not rows of "
                    + grid.length + " pixels");
        }
        int d = grid.length;
        write(target, fill, (from, len, random, values, at) -> {
            int j = (int) (from % d);
            for (int i = 0; i < len; i++) {
                int s = Math.min(high, Math.max(low, grid[j] + noise.sample(random)));
                values[at + i] = inputs[s - low];
                if (++j == d) {
                    j = 0;
                }
            }
        });
    }

    /** The image's grid integers m = L x, or a clear error naming the first pixel off the grid. */
    public int[] gridOf(INDArray x) {
        return gridOf(x, noise.levels());
    }

    /** The integers m = L x of an image on the grid m / L, or a clear error naming the first pixel off the grid. */
    public static int[] gridOf(INDArray x, int levels) {
        return gridIntegers(x, levels, "pixel %d is %s, not on the grid m/%d (m = 0..%d) that sound "
                + "certification assumes: give the images as stored (8-bit pixels scaled to [0,1]), without "
                + "normalisation or resizing");
    }

    /**
     * The integers m = L x of an image on the grid m / L, or an error from {@code offGrid} (a format of the first
     * pixel off the grid: its index, its value, L, L). Float images store m / L rounded to float, within 2^-24 of it
     * (relative): the 1e-6 tolerance allows that and no more.
     */
    static int[] gridIntegers(INDArray x, int levels, String offGrid) {
        float[] v = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int[] grid = new int[v.length];
        for (int j = 0; j < v.length; j++) {
            long mj = Math.round(v[j] * (double) levels);
            if (mj < 0 || mj > levels || !(Math.abs(v[j] - mj / (double) levels) <= 1e-6)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, offGrid, j, Float.toString(v[j]),
                        levels, levels));
            }
            grid[j] = (int) mj;
        }
        return grid;
    }
}
