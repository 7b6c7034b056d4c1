package org.smoothing4j.certify;

/**
 * Confidence bounds on a binomial proportion p seen at the looks of sequential certification: after k successes in t
 * trials, [lower(k, t), upper(k, t)] contains p at every look at once with probability at least 1 - alpha, whatever
 * the (data-dependent) look at which sampling stops.
 */
public interface ConfidenceBounds {
    double lower(long k, long t);

    double upper(long k, long t);

    /**
     * About how far below an estimate p the lower bound lies after t trials (for futility stopping's forecast, which
     * affects no claim's validity): p - lower(round(p t), t).
     */
    default double halfWidth(double p, long t) {
        return p - lower(Math.round(p * t), t);
    }

    /** What the settings file says of the bound. */
    String describe();

    /** The names --bound takes. */
    String CP = "cp", BETTING = "betting";

    /** The bound named by --bound: {@value #CP} (Clopper-Pearson at alpha / K, Bonferroni) or {@value #BETTING}. */
    static ConfidenceBounds of(String name, Looks looks, double alpha) {
        return switch (name) {
            case CP -> bonferroni(looks, alpha);
            case BETTING -> new BettingSequence(alpha);
            default -> throw new IllegalArgumentException("--bound must be cp or betting, got '" + name + "'");
        };
    }

    /**
     * The two-sided Clopper-Pearson interval at level alpha / K at each of the K looks: by Bonferroni's inequality
     * all K cover p at once with probability at least 1 - alpha.
     */
    static ConfidenceBounds bonferroni(Looks looks, double alpha) {
        double level = looks.levelPerLook(alpha);
        return new ConfidenceBounds() {
            @Override
            public double lower(long k, long t) {
                return Statistics.lowerConfidenceBound(k, t, level / 2);
            }

            @Override
            public double upper(long k, long t) {
                return Statistics.upperConfidenceBound(k, t, level / 2);
            }

            @Override
            public double halfWidth(double p, long t) { // the normal approximation (futility as before)
                return Statistics.normalQuantile(1 - level / 2) * Math.sqrt(p * (1 - p) / t);
            }

            @Override
            public String describe() {
                return "two-sided Clopper-Pearson at alpha/K per look, Bonferroni over the K looks";
            }
        };
    }
}
