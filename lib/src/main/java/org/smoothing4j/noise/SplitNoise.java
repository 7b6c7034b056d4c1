package org.smoothing4j.noise;

import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Levine &amp; Feizi's deterministic splitting noise (ICML 2021, "Improved, Deterministic Smoothing for L1 Certified
 * Robustness"; code alevine0/smoothingSplittingNoise {@code SplitMethodDerandomized}) for images on the grid k / Q:
 * with lambda = sqrt 3 sigma there are L = floor(2 lambda Q) shifts; pixel i has a fixed offset v_i in [0, L) (the
 * template, from {@link #TEMPLATE_SEED}), and at shift t its split value is s_i(t) = (((v_i + t) mod L) + 1/2) / Q and
 * its input x~_i = (1[x_i &gt; s_i(t)] + min(s_i(t), 1)) / 2, computed from the grid integers (k &gt; j + 1/2 exactly
 * when k &gt; j). Each s_i(t) is uniform over the L levels as t runs over the shifts. Training draws t at random per
 * image; the deterministic certificate evaluates every t ({@code org.smoothing4j.certify.DeterministicL1}).
 */
public final class SplitNoise {
    /** The template's seed: fixed, so that every model trained for it and every certificate agree. */
    public static final long TEMPLATE_SEED = 0;
    private static final org.apache.commons.statistics.distribution.NormalDistribution STANDARD_NORMAL =
            org.apache.commons.statistics.distribution.NormalDistribution.of(0, 1);

    private final double sigma;
    private final int levels;
    private final int shifts;
    private final int[] template;

    private SplitNoise(double sigma, int levels, int d) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        }
        GridLevels.check(levels);
        this.sigma = sigma;
        this.levels = levels;
        this.shifts = shifts(sigma, levels);
        SplittableRandom random = new SplittableRandom(TEMPLATE_SEED);
        this.template = new int[d];
        for (int i = 0; i < d; i++) {
            template[i] = random.nextInt(shifts);
        }
    }

    /** The splitting noise at sigma on the grid of {@code levels} levels for images of d pixels. */
    public static SplitNoise of(double sigma, int levels, int d) {
        return new SplitNoise(sigma, levels, d);
    }

    /** L = floor(2 lambda Q), lambda = sqrt 3 sigma: the shifts (forward passes per certified image). */
    public static int shifts(double sigma, int levels) {
        double l = Math.floor(2 * NoiseFamily.UNIFORM.scale(sigma) * levels);
        if (!(l >= 1) || l > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "sigma %s on a grid of %d levels gives %s "
                    + "shifts; need 1 .. 2^31 - 1", sigma, levels, l));
        }
        return (int) l;
    }

    public int shifts() {
        return shifts;
    }

    public int levels() {
        return levels;
    }

    public double sigma() {
        return sigma;
    }

    public int dimension() {
        return template.length;
    }

    /** The split input of grid image k at shift t, written at values[at .. at + d). */
    public void splitInput(int[] grid, int t, float[] values, int at) {
        for (int i = 0; i < grid.length; i++) {
            int j = (template[i] + t) % shifts; // s_i = (j + 1/2) / Q
            double s = Math.min((j + 0.5) / levels, 1.0);
            values[at + i] = (float) (((grid[i] > j ? 1 : 0) + s) / 2);
        }
    }

    /** Writes the split inputs of grid image k at shifts t[r] into the rows r of {@code target} [b, d]. */
    public void fillInputs(INDArray target, int[] grid, int[] t) {
        int b = (int) target.size(0), d = grid.length;
        float[] values = new float[b * d];
        for (int r = 0; r < b; r++) {
            splitInput(grid, t[r], values, r * d);
        }
        target.assign(Nd4j.create(values, new long[] {b, d}));
    }

    /** The image's grid integers k = Q x, or an error naming the first pixel off the grid. */
    public int[] gridOf(INDArray x) {
        if (x.length() != template.length) {
            throw new IllegalArgumentException("image of " + x.length() + " pixels, splitting noise for "
                    + template.length);
        }
        return GridNoise.gridIntegers(x, levels, "pixel %d is %s, not on the grid k/%d (k = 0..%d) that splitting "
                + "noise assumes: give the images as stored (8-bit pixels scaled to [0,1])");
    }

    /**
     * The split inputs of a batch x [B, ...] (each image on this grid) at one random shift per image, as Levine &amp;
     * Feizi train (the shift is random per image, the template fixed): t_r = floor(Phi(u_r) L) from B standard normal
     * draws u_r of {@code noise} (Phi(u) is uniform on (0, 1)), so a reseeded source gives the same shifts.
     */
    public INDArray atRandomShifts(INDArray x, NoiseSource noise) {
        int b = (int) x.size(0), d = template.length;
        INDArray u = Nd4j.create(DataType.FLOAT, b);
        noise.fill(u, 1.0);
        float[] draws = u.dup().data().asFloat();
        float[] values = new float[b * d];
        for (int r = 0; r < b; r++) {
            int t = (int) Math.min(shifts - 1, Math.floor(STANDARD_NORMAL.cumulativeProbability(draws[r]) * shifts));
            splitInput(gridOf(x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(r))), Math.max(0, t), values, r * d);
        }
        return Nd4j.create(values, x.shape());
    }
}
