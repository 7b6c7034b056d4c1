package org.smoothing4j.certify;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.SplitNoise;

/**
 * The deterministic L1 certificate of Levine &amp; Feizi, "Improved, Deterministic Smoothing for L1 Certified
 * Robustness" (ICML 2021; DSSN, code alevine0/smoothingSplittingNoise): no sampling, no confidence level, exact.
 * <p>
 * The base classifier is evaluated on the split inputs of x at all L shifts ({@link SplitNoise}; L forward passes:
 * 220 at sigma 0.25, 441 at 0.5, 883 at 1.0 on the 8-bit grid), giving counts c_1 &gt;= c_2 of the top class (ties:
 * the lowest index) and the runner-up (likewise). Certificate: the top class is the smoothed classifier's at every
 * grid image x' with ||x' - x||_1 &lt;= m / Q, m = floor((c_1 - c_2 - [idx_2 &lt; idx_1]) / 2). Reason (Levine &amp;
 * Feizi, Thm 2): moving pixel i by one grid step, k to k + 1, changes 1[x_i &gt; s_i(t)] at the one shift with (v_i +
 * t) mod L = k (none when k &gt;= L), so m steps change at most m of the L inputs, each taking at most one vote from
 * c_1 and giving at most one to another class, and a class at c_2 with a lower index than the top wins a tie. The
 * comparison is made in the grid integers, so floating point cannot move it; inputs off the grid are refused.
 * DeterministicL1Test checks every certificate against the exhaustive minimum on small grids.
 */
public final class DeterministicL1 {
    private final Classifier base;
    private final SplitNoise split;
    private final int batchSize;

    private DeterministicL1(Classifier base, SplitNoise split, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batchSize);
        }
        long[] shape = base.inputShape();
        if (shape[0] * shape[1] * shape[2] != split.dimension()) {
            throw new IllegalArgumentException("splitting noise for " + split.dimension() + " pixels, classifier of "
                    + java.util.Arrays.toString(shape));
        }
        this.base = base;
        this.split = split;
        this.batchSize = batchSize;
    }

    /** The certificate for base classifier f at sigma on the 8-bit grid, batches of 400. */
    public static DeterministicL1 of(Classifier base, double sigma) {
        return withGrid(base, sigma, 255);
    }

    /** The certificate on the grid k / levels. */
    public static DeterministicL1 withGrid(Classifier base, double sigma, int levels) {
        long[] shape = base.inputShape();
        return new DeterministicL1(base, SplitNoise.of(sigma, levels, Math.toIntExact(shape[0] * shape[1] * shape[2])),
                SmoothedClassifier.DEFAULT_BATCH);
    }

    public DeterministicL1 withBatchSize(int batchSize) {
        return new DeterministicL1(base, split, batchSize);
    }

    /** A radius as the log prints it: rounded down to 3 significant digits (an exact certificate stays valid). */
    public String formatRadius(double radius) {
        return Claims.formatDown(radius);
    }

    public SplitNoise split() {
        return split;
    }

    public Classifier base() {
        return base;
    }

    /** The counts of the base classifier's classes over the L split inputs of x. */
    public long[] counts(INDArray x) {
        int[] grid = split.gridOf(x);
        long[] shape = base.inputShape();
        int shifts = split.shifts();
        long[] counts = new long[base.numClasses()];
        INDArray buffer = Nd4j.create(DataType.FLOAT, Math.min(batchSize, shifts), grid.length);
        for (int t0 = 0; t0 < shifts; t0 += batchSize) {
            int b = Math.min(batchSize, shifts - t0);
            INDArray batch = b == buffer.size(0) ? buffer
                    : buffer.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
            int[] t = new int[b];
            for (int r = 0; r < b; r++) {
                t[r] = t0 + r;
            }
            split.fillInputs(batch, grid, t);
            INDArray scores = base.scoresOfScratch(batch.reshape(b, shape[0], shape[1], shape[2]));
            for (long c : scores.argMax(1).toLongVector()) {
                counts[(int) c]++;
            }
        }
        return counts;
    }

    /**
     * The certificate at x: the top class and the L1 radius m / Q (see the class comment), rounded down; nA = c_1,
     * n = L, and in place of a confidence bound the exact fraction c_1 / L. Never abstains (radius 0 certifies x).
     */
    public Certificate certify(INDArray x) {
        long[] counts = counts(x);
        long m = steps(counts);
        int top = top(counts);
        return new Certificate(top, radius(m, split.levels()), counts[top], split.shifts(),
                counts[top] / (double) split.shifts());
    }

    /** m = floor((c_1 - c_2 - [idx_2 &lt; idx_1]) / 2), the certified grid steps for these counts. */
    static long steps(long[] counts) {
        int top = top(counts);
        int second = -1;
        for (int c = 0; c < counts.length; c++) {
            if (c != top && (second < 0 || counts[c] > counts[second])) {
                second = c;
            }
        }
        long c2 = second < 0 ? 0 : counts[second];
        return Math.floorDiv(counts[top] - c2 - (second >= 0 && second < top ? 1 : 0), 2);
    }

    static int top(long[] counts) {
        int top = 0;
        for (int c = 1; c < counts.length; c++) {
            if (counts[c] > counts[top]) {
                top = c;
            }
        }
        return top;
    }

    /** m grid steps as an L1 radius m / Q, rounded down to a double. */
    static double radius(long m, int levels) {
        double r = m / (double) levels;
        return r * levels > m ? Math.nextDown(r) : r;
    }
}
