package org.smoothing4j.certify;

/**
 * The outcome of CERTIFY for one input: the smoothed classifier's class and an L2 radius within which it is
 * constant (with probability at least 1 - alpha over the sampling), or {@link #ABSTAIN} with radius 0.
 *
 * @param prediction the class cA, or {@link #ABSTAIN}
 * @param radius     sigma * Phi^-1(pALower), 0 when abstaining
 * @param nA         count of cA among the samples drawn in the second stage
 * @param n          number of samples of the second stage
 * @param pALower    one-sided Clopper-Pearson lower bound on P(f(x + delta) = cA); after an early abstention,
 *                   the bound the most favourable remaining samples could have reached (below 1/2)
 * @param drawn      samples of the second stage actually drawn: n, or fewer after an early abstention
 */
public record Certificate(int prediction, double radius, long nA, long n, double pALower, long drawn) {
    public static final int ABSTAIN = -1;

    /** A certificate whose second stage drew all n samples. */
    public Certificate(int prediction, double radius, long nA, long n, double pALower) {
        this(prediction, radius, nA, n, pALower, n);
    }

    public boolean abstained() {
        return prediction == ABSTAIN;
    }
}
