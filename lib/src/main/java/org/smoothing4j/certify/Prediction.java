package org.smoothing4j.certify;

/**
 * The outcome of PREDICT for one input: the top class, or {@link Certificate#ABSTAIN} when the binomial test
 * cannot tell the top two classes apart at level alpha.
 *
 * @param prediction the top class cA, or {@link Certificate#ABSTAIN}
 * @param nA         count of the top class
 * @param nB         count of the runner-up class
 * @param pValue     two-sided binomial test p-value of nA successes in nA + nB trials at p = 1/2
 * @param drawn      samples drawn (n, or fewer when sequential PREDICT stopped early)
 */
public record Prediction(int prediction, long nA, long nB, double pValue, long drawn) {
    public boolean abstained() {
        return prediction == Certificate.ABSTAIN;
    }
}
