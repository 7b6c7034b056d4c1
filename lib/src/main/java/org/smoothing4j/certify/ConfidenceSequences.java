package org.smoothing4j.certify;

/**
 * The confidence bounds of sequential certification by the name {@code --bound} gives them: Clopper-Pearson
 * intervals with Bonferroni's correction over the looks, or a betting confidence sequence ({@link BettingSequence}).
 */
public final class ConfidenceSequences {
    private ConfidenceSequences() {}

    /** The names --bound takes. */
    public static final String CP = "cp", BETTING = "betting";

    /** The bound named by --bound: {@value #CP} (Clopper-Pearson at alpha / K, Bonferroni) or {@value #BETTING}. */
    public static ConfidenceBounds of(String name, Looks looks, double alpha) {
        return checkName(name).equals(CP) ? bonferroni(looks, alpha) : new BettingSequence(alpha);
    }

    /** The one check of {@code --bound}: returns the name when it is {@value #CP} or {@value #BETTING}. */
    public static String checkName(String name) {
        if (!CP.equals(name) && !BETTING.equals(name)) {
            throw new IllegalArgumentException("--bound must be cp or betting, got '" + name + "'");
        }
        return name;
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
