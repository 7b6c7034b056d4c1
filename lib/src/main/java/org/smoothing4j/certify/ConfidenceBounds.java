package org.smoothing4j.certify;

/**
 * Confidence bounds on a binomial proportion p seen at the looks of sequential certification: after k successes in t
 * trials, [lower(k, t), upper(k, t)] contains p at every look at once with probability at least 1 - alpha, whatever
 * the (data-dependent) look at which sampling stops. The bounds by name: {@link ConfidenceSequences}.
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
}
