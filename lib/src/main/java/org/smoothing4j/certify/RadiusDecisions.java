package org.smoothing4j.certify;

import java.util.Arrays;

/**
 * The decisions of sequential certification for one example (SPEC 12): at each look t of the schedule, an
 * interval [L_t, U_t] for pA that holds at every look at once with probability 1 - alpha ({@link ConfidenceBounds};
 * by default the two-sided Clopper-Pearson interval at level alpha / K) (nA successes of cAHat in t samples);
 * target radius r_j is certified once max_t L_t &gt;= Phi(r_j / sigma) and not certifiable once min_t U_t &lt;
 * Phi(r_j / sigma). Why the claims hold together with probability at least 1 - alpha: every claim follows from pA
 * lying in every look's interval, and by Bonferroni's inequality the K intervals all cover pA with probability at
 * least 1 - K (alpha / K) = 1 - alpha, whatever the data-dependent stopping time (it can only stop at a look). If
 * cAHat is not the top class of g, pA here is its probability, below 1/2: a certified claim then needs L_t &gt;= 1/2
 * &gt; pA, again excluded by the coverage, so the guess can only make claims fail safe.
 * <p>
 * Optional futility stopping ({@code futility} in (0, 1)): stop before n_max when, for every undecided radius, a
 * normal approximation around the current estimate gives a chance below {@code futility} that the interval at n_max
 * would decide it. It changes only how many samples are drawn and which radii stay undecided, never the validity of
 * a claim (any stopping time is allowed); 0 turns it off, leaving the stop rule "all decided, or n_max".
 * <p>
 * A radius the estimate is on track to certify (nA / t at least its threshold plus the half-width of the interval at
 * n_max) is never given up. The normal approximation cannot see this where every sample so far is cAHat: it
 * estimates pA as 1 - 0.5 / t to have a spread at all, and for the top radius of a table (3 sigma: Phi(3) = 0.99865,
 * which all n_max = 100,000 samples right certify) its chance of deciding stays below 0.8 at the early looks, so
 * futility 0.8 gave up the top radius of every all-correct example (measured: sigma 0.25, radii 0 to 0.75, 200
 * Fashion-MNIST images: 0 certified at 0.75 against 123 with futility 0.2; docs/sequential.md). Below futility 0.5
 * the rule changes nothing where nA &lt; t (an unclamped estimate on track has a chance of at least 1/2), and where
 * nA = t only if the threshold plus that half-width lies within 0.5 / t of 1.
 */
final class RadiusDecisions {
    private final double[] thresholds;
    private final Looks looks;
    private final ConfidenceBounds bounds;
    private final double futility;
    private final int[] decisions;
    private final Claims claims;
    private double lower = 0;
    private double upper = 1;
    private int used;

    /** @param thresholds Phi(r_j / sigma), ascending */
    RadiusDecisions(double[] thresholds, Looks looks, double alpha, double futility) {
        this(thresholds, looks, checked(alpha, looks), futility, Claims.STANDARD);
    }

    private static ConfidenceBounds checked(double alpha, Looks looks) {
        Statistics.checkAlpha(alpha);
        return ConfidenceSequences.bonferroni(looks, alpha);
    }

    /**
     * As above, with other confidence bounds ({@link ConfidenceBounds}: Bonferroni's or a betting sequence, valid at
     * every look at once) and the claims of a mode (the sound one corrects bounds and thresholds, {@link Claims}).
     */
    RadiusDecisions(double[] thresholds, Looks looks, ConfidenceBounds bounds, double futility, Claims claims) {
        if (!(futility >= 0 && futility < 1)) {
            throw new IllegalArgumentException("--futility must be in [0, 1), got " + futility);
        }
        this.thresholds = thresholds.clone();
        for (int j = 0; j < thresholds.length; j++) {
            this.thresholds[j] = claims.threshold(thresholds[j]);
        }
        this.claims = claims;
        this.looks = looks;
        this.bounds = bounds;
        this.futility = futility;
        this.decisions = new int[thresholds.length];
    }

    /** Whether t samples reach the next look not yet taken (a caller's batches may step over look counts). */
    boolean due(long t) {
        return used < looks.count() && t >= looks.at()[used];
    }

    /**
     * Takes the counts nA of t samples at the next look (t at least its count: looks passed over by one batch are
     * taken as one, which spends less than their share of alpha); returns whether sampling may stop: every radius
     * decided, the last look, or (with futility stopping) no undecided radius likely to be decided by n_max.
     */
    boolean look(long nA, long t) {
        if (!due(t)) {
            throw new IllegalStateException(t + " samples reach no look left of " + looks.describe());
        }
        while (due(t)) {
            used++;
        }
        lower = Math.max(lower, claims.lower(bounds.lower(nA, t)));
        upper = Math.min(upper, bounds.upper(nA, t));
        boolean all = true;
        for (int j = 0; j < thresholds.length; j++) {
            if (decisions[j] == SequentialCertificate.UNDECIDED) {
                if (lower >= thresholds[j]) {
                    decisions[j] = SequentialCertificate.CERTIFIED;
                } else if (upper < thresholds[j]) {
                    decisions[j] = SequentialCertificate.NOT_CERTIFIABLE;
                } else {
                    all = false;
                }
            }
        }
        return all || used == looks.count() || futility > 0 && hopeless(nA, t);
    }

    /**
     * Whether every undecided radius has a chance below {@code futility} of being decided at n_max and none is on
     * track to be certified.
     */
    private boolean hopeless(long nA, long t) {
        long n = looks.last();
        double p = Math.min(Math.max(nA / (double) t, 0.5 / t), 1 - 0.5 / t);
        double halfWidthAtEnd = bounds.halfWidth(p, n); // of the interval at n_max around p
        double spread = Math.sqrt(p * (1 - p) / t * (1 - t / (double) n)); // of the estimate at n given that at t
        for (int j = 0; j < thresholds.length; j++) {
            if (decisions[j] == SequentialCertificate.UNDECIDED) {
                if (nA >= (thresholds[j] + halfWidthAtEnd) * t) {
                    return false; // on track to be certified
                }
                double above = 1 - Statistics.normalCdf((thresholds[j] + halfWidthAtEnd - p) / spread);
                double below = Statistics.normalCdf((thresholds[j] - halfWidthAtEnd - p) / spread);
                if (above + below >= futility) {
                    return false;
                }
            }
        }
        return true;
    }

    double lower() {
        return lower;
    }

    double upper() {
        return upper;
    }

    int[] decisions() {
        return decisions.clone();
    }

    /** Phi(r / sigma) of each radius, checked ascending, finite and >= 0. */
    static double[] thresholds(double[] radii, double sigma) {
        return thresholds(radii, NormRadius.of(org.smoothing4j.noise.NoiseFamily.GAUSSIAN, Norm.L2, sigma, 1));
    }

    /** The levels of pA that certify the radii under a radius formula ({@link NormRadius#level}), ascending. */
    static double[] thresholds(double[] radii, NormRadius formula) {
        if (radii.length == 0) {
            throw new IllegalArgumentException("--radii needs at least one radius");
        }
        double[] p = new double[radii.length];
        for (int j = 0; j < radii.length; j++) {
            if (!(radii[j] >= 0) || Double.isInfinite(radii[j]) || j > 0 && radii[j] <= radii[j - 1]) {
                throw new IllegalArgumentException("--radii must be finite, >= 0 and ascending, got "
                        + Arrays.toString(radii));
            }
            p[j] = formula.level(radii[j]);
        }
        return p;
    }
}
