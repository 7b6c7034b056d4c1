package org.smoothing4j.certify;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * The sample counts t_1 &lt; t_2 &lt; ... &lt; t_K = n_max at which a sequential procedure looks at its counts, and
 * the error level of each look: a two-sided Clopper-Pearson interval at level alpha / K at every look, so that by
 * Bonferroni's inequality all K intervals cover pA together with probability at least 1 - alpha (SPEC 12). Looking
 * at fixed-level intervals after every batch instead is unsound (SequentialCertificationTest shows it).
 *
 * @param at the look counts, ascending, the last being n_max
 */
public record Looks(long[] at) {
    /** The default schedule: from 800 samples, each look 1.25 times the last (22 looks up to 100,000). */
    public static final long FIRST = 800;
    public static final double RATIO = 1.25;

    public Looks {
        if (at.length == 0) {
            throw new IllegalArgumentException("a look schedule needs at least one look");
        }
        for (int i = 0; i < at.length; i++) {
            if (at[i] < 1 || i > 0 && at[i] <= at[i - 1]) {
                throw new IllegalArgumentException("looks must be ascending counts >= 1, got " + Arrays.toString(at));
            }
        }
        at = at.clone();
    }

    /**
     * Looks at first, first * ratio, first * ratio^2, ... rounded up to whole batches, and at nMax. Whole batches make
     * the samples seen at a look exactly those CERTIFY draws first (the same fills of the example's noise stream).
     */
    public static Looks geometric(long first, double ratio, long nMax, int batch) {
        if (nMax < 1) {
            throw new IllegalArgumentException("--n-max must be >= 1, got " + nMax);
        }
        if (first < 1 || !(ratio > 1) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("--first-look must be >= 1 and --look-ratio > 1, got " + first + " and "
                    + ratio);
        }
        TreeSet<Long> looks = new TreeSet<>();
        for (double t = first; t < nMax; t *= ratio) {
            long whole = (long) Math.ceil(t / batch) * batch;
            if (whole < nMax) {
                looks.add(whole);
            }
        }
        looks.add(nMax);
        return new Looks(looks.stream().mapToLong(Long::longValue).toArray());
    }

    /** The default schedule for a maximum sample count and batch size. */
    public static Looks defaults(long nMax, int batch) {
        return geometric(FIRST, RATIO, nMax, batch);
    }

    public int count() {
        return at.length;
    }

    public long last() {
        return at[at.length - 1];
    }

    /** The two-sided error level of each look's interval. */
    public double levelPerLook(double alpha) {
        return alpha / at.length;
    }

    /** As stored in run settings. */
    public String describe() {
        return at.length + " looks: " + Arrays.toString(at);
    }
}
