package org.smoothing4j.certify;

import org.apache.commons.statistics.distribution.BetaDistribution;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.interval.BinomialConfidenceInterval;

/** The three statistics behind PREDICT and CERTIFY, through Apache Commons Statistics. */
public final class Statistics {
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private Statistics() {}

    /**
     * One-sided (1 - alpha) Clopper-Pearson lower confidence bound on a binomial proportion after
     * {@code successes} in {@code trials}: BetaInv(alpha; successes, trials - successes + 1), and 0 when
     * successes = 0. It is the lower end of the two-sided Clopper-Pearson interval at level 2 alpha.
     */
    public static double lowerConfidenceBound(long successes, long trials, double alpha) {
        checkCounts(successes, trials);
        checkAlpha(alpha);
        if (successes == 0) {
            return 0.0;
        }
        if (2 * alpha >= 1) {
            // the two-sided interval is undefined at level >= 1; use the Beta quantile directly
            return BetaDistribution.of(successes, trials - successes + 1)
                    .inverseCumulativeProbability(alpha);
        }
        return BinomialConfidenceInterval.CLOPPER_PEARSON
                .fromErrorRate(Math.toIntExact(trials), Math.toIntExact(successes), 2 * alpha).getLowerBound();
    }

    /**
     * One-sided (1 - alpha) Clopper-Pearson upper confidence bound: 1 - the lower bound of the failures,
     * BetaInv(1 - alpha; successes + 1, trials - successes), and 1 when successes = trials.
     */
    public static double upperConfidenceBound(long successes, long trials, double alpha) {
        checkCounts(successes, trials);
        return 1 - lowerConfidenceBound(trials - successes, trials, alpha);
    }

    /**
     * The smallest count k of n trials whose lower confidence bound reaches 1/2 (the least nA with which CERTIFY
     * does not abstain), or n + 1 when none does. The bound is increasing in k, so this is a binary search.
     */
    public static long minimumCountToCertify(long n, double alpha) {
        checkCounts(0, n);
        long lo = 0, hi = n + 1; // invariant: the bound at lo - 1 is < 1/2 (or lo = 0); at hi it is >= 1/2 (or hi = n+1)
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (lowerConfidenceBound(mid, n, alpha) >= 0.5) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * Exact two-sided binomial test p-value of {@code successes} in {@code trials} against p = 1/2 (PREDICT's
     * test): min(1, 2 P(X &gt;= max(k, n - k))), the sum of the probabilities of all outcomes no more likely than
     * the one observed. (Commons Statistics 1.2's {@code BinomialTest} is not used: at p = 1/2 its two-sided
     * p-value drops the mirror outcome n - k when floating-point rounding makes P(n - k) a hair larger than
     * P(k), e.g. 0.0460 instead of 0.0569 for 60 of 100.)
     */
    public static double binomialTestPValueAtOneHalf(long successes, long trials) {
        checkCounts(successes, trials);
        if (2 * successes == trials) {
            return 1.0;
        }
        long hi = Math.max(successes, trials - successes);
        double upperTail = BinomialDistribution.of(Math.toIntExact(trials), 0.5).survivalProbability((int) hi - 1);
        return Math.min(1.0, 2 * upperTail);
    }

    /** Phi^-1(p), the standard normal quantile. */
    public static double normalQuantile(double p) {
        return STANDARD_NORMAL.inverseCumulativeProbability(p);
    }

    /** Phi(z), the standard normal distribution function. */
    public static double normalCdf(double z) {
        return STANDARD_NORMAL.cumulativeProbability(z);
    }

    static void checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
    }

    private static void checkCounts(long successes, long trials) {
        if (trials < 1 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials and trials >= 1, got " + successes
                    + " of " + trials);
        }
    }
}
