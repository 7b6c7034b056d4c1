package org.smoothing4j.certify;

/**
 * The outcome of CERTIFY for one input: the smoothed classifier's class and an L2 radius within which it is
 * constant (with probability at least 1 - alpha over the sampling), or {@link #ABSTAIN} with radius 0.
 *
 * @param prediction the class cA, or {@link #ABSTAIN}
 * @param radius     sigma * Phi^-1(pALower), 0 when abstaining
 * @param nA         count of cA among the n samples of the second stage
 * @param n          number of samples of the second stage
 * @param pALower    one-sided Clopper-Pearson lower bound on P(f(x + delta) = cA)
 */
public record Certificate(int prediction, double radius, long nA, long n, double pALower) {
    public static final int ABSTAIN = -1;

    public boolean abstained() {
        return prediction == ABSTAIN;
    }
}
