package org.smoothing4j.certify;

import java.util.stream.IntStream;

/**
 * Which test examples a run visits, as the reference code's flags: every {@code skip}-th index, stopping at the
 * index cutoff {@code max} (an index, not a count; -1 for none), restricted to the shard [{@code start},
 * {@code end}) (-1 for the end of the data set).
 */
public record ExampleSelection(int skip, int max, int start, int end) implements java.io.Serializable {

    public ExampleSelection {
        if (skip < 1) {
            throw new IllegalArgumentException("--skip must be >= 1, got " + skip);
        }
        if (start < 0) {
            throw new IllegalArgumentException("--start must be >= 0, got " + start);
        }
        if (end != -1 && end < start) {
            throw new IllegalArgumentException("--end must be >= --start (" + start + ") or -1, got " + end);
        }
        if (max < -1) {
            throw new IllegalArgumentException("--max must be >= 0 or -1, got " + max);
        }
    }

    public static ExampleSelection all() {
        return new ExampleSelection(1, -1, 0, -1);
    }

    /** Every k-th example, as Cohen et al. (every 20th CIFAR-10 test image = 500 images). */
    public static ExampleSelection everyKth(int k) {
        return new ExampleSelection(k, -1, 0, -1);
    }

    /** Whether example {@code idx} of a data set of {@code size} examples is visited. */
    public boolean includes(int idx, int size) {
        int stop = size;
        if (max >= 0) {
            stop = Math.min(stop, max);
        }
        if (end >= 0) {
            stop = Math.min(stop, end);
        }
        return idx >= start && idx < stop && idx % skip == 0;
    }

    /** The indices to visit in a data set of {@code size} examples, ascending. */
    public IntStream indices(int size) {
        int stop = size;
        if (max >= 0) {
            stop = Math.min(stop, max);
        }
        if (end >= 0) {
            stop = Math.min(stop, end);
        }
        return IntStream.range(Math.min(start, stop), stop).filter(i -> includes(i, size));
    }
}
