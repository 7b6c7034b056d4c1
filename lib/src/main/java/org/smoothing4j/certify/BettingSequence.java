package org.smoothing4j.certify;

import org.apache.commons.numbers.gamma.LogBeta;

/**
 * A time-uniform confidence sequence for a binomial proportion from the Krichevsky-Trofimov mixture martingale (a
 * Beta(1/2, 1/2) mixture of likelihood ratios, the wealth of a KT bettor): after k successes in t trials,
 * M_t(p) = B(k + 1/2, t - k + 1/2) / (B(1/2, 1/2) p^k (1 - p)^(t - k)) is a nonnegative martingale with mean 1 under
 * p, so by Ville's inequality P(M_t(p) &gt;= 1/alpha for some t) &lt;= alpha, and {p : M_t(p) &lt; 1/alpha} covers p at
 * every t at once with probability at least 1 - alpha (Robbins 1970; Waudby-Smith &amp; Ramdas, "Estimating means of
 * bounded random variables by betting", JRSS-B 2023; the test of Voracek, NeurIPS 2024, vvoracek/RS_conf_seq
 * thresholds.py, where METHODS 5.1 found the level log(1/(2 alpha)) in place of log(1/alpha): here 1/alpha, once, for
 * both sides together). log M_t is convex in p, so the set is an interval; its ends are found by bisection and
 * rounded outwards. Unlike Bonferroni over looks, it spends nothing per look: looking after every batch costs the same
 * as looking rarely. (METHODS 3c.2: with every trial a success, p* = 0.8 is excluded from below first at t = 42 for
 * alpha = 0.001.)
 */
final class BettingSequence implements ConfidenceBounds {
    static final String DESCRIPTION = "betting: Krichevsky-Trofimov mixture confidence sequence at level alpha "
            + "(time-uniform, by Ville's inequality; no cost per look)";
    private static final double LOG_B_HALF_HALF = Math.log(Math.PI);
    private final double logLevel;

    BettingSequence(double alpha) {
        Statistics.checkAlpha(alpha);
        this.logLevel = Math.log(1 / alpha);
    }

    /** log M_t(p). */
    double logWealth(long k, long t, double p) {
        double mixture = LogBeta.value(k + 0.5, t - k + 0.5) - LOG_B_HALF_HALF;
        double null_ = (k == 0 ? 0 : k * Math.log(p)) + (t - k == 0 ? 0 : (t - k) * Math.log1p(-p));
        return mixture - null_;
    }

    /** Whether p is outside the sequence's interval after k of t (with a margin against rounding: outside surely). */
    private boolean excluded(long k, long t, double p) {
        return logWealth(k, t, p) >= logLevel + 1e-9;
    }

    @Override
    public double lower(long k, long t) {
        check(k, t);
        double hat = k / (double) t;
        if (k == 0 || !excluded(k, t, Double.MIN_NORMAL)) {
            return 0;
        }
        double lo = Double.MIN_NORMAL, hi = hat; // excluded(lo), not excluded(hi) (M_t(hat) <= 1 < 1/alpha)
        for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
            double mid = (lo + hi) / 2;
            if (excluded(k, t, mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo; // excluded: the true lower end is above it
    }

    @Override
    public double upper(long k, long t) {
        check(k, t);
        return 1 - lower(t - k, t); // M_t is symmetric in (k, p) <-> (t - k, 1 - p)
    }

    @Override
    public String describe() {
        return DESCRIPTION;
    }

    private static void check(long k, long t) {
        if (t < 1 || k < 0 || k > t) {
            throw new IllegalArgumentException("need 0 <= k <= t and t >= 1, got " + k + " of " + t);
        }
    }
}
