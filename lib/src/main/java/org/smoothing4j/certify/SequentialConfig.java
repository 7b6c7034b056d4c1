package org.smoothing4j.certify;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of sequential certification (SPEC 12) on top of a {@link CertifyConfig} (whose n0, alpha, batch, seed and
 * selection it uses; its n is replaced by n_max).
 *
 * @param radii    the target radii r_1 &lt; ... &lt; r_k, where certified accuracy is exact
 * @param nMax     the most second-stage samples per example
 * @param first    the first look's sample count (then each look {@code ratio} times the last, in whole batches)
 * @param ratio    growth of the look counts
 * @param futility 0 (stop when every radius is decided or at n_max), or the chance of a decision by n_max below
 *                 which sampling gives up early ({@link RadiusDecisions})
 * @param bound    {@code cp} (Clopper-Pearson at alpha / K per look, Bonferroni; the default) or {@code betting}
 *                 (a time-uniform betting confidence sequence at alpha, {@link BettingSequence})
 */
public record SequentialConfig(double[] radii, long nMax, long first, double ratio, double futility, String bound)
        implements java.io.Serializable {

    /** With the default bound, Clopper-Pearson with Bonferroni over the looks. */
    public SequentialConfig(double[] radii, long nMax, long first, double ratio, double futility) {
        this(radii, nMax, first, ratio, futility, ConfidenceSequences.CP);
    }

    public SequentialConfig {
        ConfidenceSequences.checkName(bound);
        radii = radii.clone();
        RadiusDecisions.thresholds(radii, 1.0); // checks the radii
        if (nMax < 1) {
            throw new IllegalArgumentException("--n-max must be >= 1, got " + nMax);
        }
        if (!(futility >= 0 && futility < 1)) {
            throw new IllegalArgumentException("--futility must be in [0, 1), got " + futility);
        }
    }

    /** Radii 0, 0.25, ..., 1.5 (the grid), n_max 100,000, the default looks, no futility stopping. */
    public static SequentialConfig defaults() {
        return new SequentialConfig(new double[] {0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5}, 100_000, Looks.FIRST,
                Looks.RATIO, 0);
    }

    public SequentialConfig withRadii(double... v) {
        return new SequentialConfig(v, nMax, first, ratio, futility, bound);
    }

    public SequentialConfig withNMax(long v) {
        return new SequentialConfig(radii, v, first, ratio, futility, bound);
    }

    public SequentialConfig withFutility(double v) {
        return new SequentialConfig(radii, nMax, first, ratio, v, bound);
    }

    /** The confidence bounds of this schedule at level alpha. */
    ConfidenceBounds bounds(int batch, double alpha) {
        return ConfidenceSequences.of(bound, looks(batch), alpha);
    }

    @Override
    public double[] radii() {
        return radii.clone();
    }

    /** The look schedule for a batch size. */
    public Looks looks(int batch) {
        return Looks.geometric(first, ratio, nMax, batch);
    }

    /**
     * The largest radius any example can be certified at by n_max (all n_max samples of its top class, at the last
     * look's level): sigma Phi^-1(L) with L the one-sided bound (alpha / 2K)^(1 / n_max). Target radii beyond it can
     * never be certified.
     */
    public double largestRadius(double sigma, double alpha, int batch) {
        Looks l = looks(batch);
        return sigma * Statistics.normalQuantile(bounds(batch, alpha).lower(l.last(), l.last()));
    }

    /** The settings as stored beside a log. */
    public Map<String, Object> toMap(int batch) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("radii", radii);
        m.put("nMax", nMax);
        m.put("looks", looks(batch).describe());
        m.put("bound", bounds(batch, 0.5).describe()); // the descriptions name alpha, not its value
        m.put("futility", futility);
        m.put("exactAt", "certified accuracy is exact at the radii " + Arrays.toString(radii)
                + " only; the radius column is a valid certificate at the stopping time");
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequentialConfig c && Arrays.equals(radii, c.radii) && nMax == c.nMax && first == c.first
                && ratio == c.ratio && futility == c.futility && bound.equals(c.bound);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(radii) * 31 + Long.hashCode(nMax);
    }

    @Override
    public String toString() {
        return "SequentialConfig[radii=" + Arrays.toString(radii) + ", nMax=" + nMax + ", first=" + first + ", ratio="
                + ratio + ", futility=" + futility + ", bound=" + bound + "]";
    }
}
