package org.smoothing4j.certify;

/**
 * The outcome of sequential certification at target radii for one input ({@link
 * SmoothedClassifier#certifyAtRadii}).
 *
 * @param prediction the class cAHat, or {@link Certificate#ABSTAIN} when the final lower bound is below 1/2
 * @param radius     sigma * Phi^-1(pALower) at the stopping time (0 when abstaining): a valid certificate; the
 *                   decisions at the target radii agree with it (radius &gt;= r_j exactly when r_j is certified)
 * @param nA         count of cAHat among the second-stage samples drawn
 * @param drawn      second-stage samples drawn (the first stage's n0 come on top)
 * @param pALower    lower end of the confidence sequence at the stopping time
 * @param pAUpper    upper end of the confidence sequence at the stopping time
 * @param decisions  per target radius: {@link #CERTIFIED}, {@link #NOT_CERTIFIABLE} or {@link #UNDECIDED}
 */
public record SequentialCertificate(int prediction, double radius, long nA, long drawn, double pALower,
        double pAUpper, int[] decisions) {
    public static final int CERTIFIED = 1;
    public static final int NOT_CERTIFIABLE = -1;
    public static final int UNDECIDED = 0;

    public boolean abstained() {
        return prediction == Certificate.ABSTAIN;
    }

    /** Whether every target radius was decided before n_max ran out. */
    public boolean decided() {
        for (int d : decisions) {
            if (d == UNDECIDED) {
                return false;
            }
        }
        return true;
    }
}
