package org.smoothing4j.certify;

import org.apache.commons.statistics.interval.BinomialConfidenceInterval;
import org.apache.commons.statistics.interval.Interval;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.noise.Seeds;

/**
 * The Lipschitz view of the certificate (Salman et al., appendix): for the soft or hard smoothed classifier,
 * x -> Phi^-1(G_y(x)) is (1/sigma)-Lipschitz in L2, which is where the radius sigma * Phi^-1(pA) comes from. This
 * measures G_y along x + t * d (d a unit direction) by Monte Carlo, with Clopper-Pearson bands that hold
 * simultaneously at all points (level alpha split over the points), and checks whether any pair of points forces
 * a slope above 1/sigma even at the edges of the bands.
 *
 * @param t      positions along the direction (L2 distance from x)
 * @param counts samples classified as {@code label} at each position, of {@code n}
 * @param lower  lower band on G_y at each position
 * @param upper  upper band on G_y at each position
 */
public record LipschitzProfile(double sigma, int label, double[] t, long[] counts, long n, double[] lower,
        double[] upper, double alpha) {

    /**
     * Estimates G_label(x + t_k d / ||d||) for each t_k with n noise samples each (an independent stream per
     * position derived from {@code seed}); bands at simultaneous level 1 - alpha.
     */
    public static LipschitzProfile along(SmoothedClassifier g, INDArray x, INDArray direction, int label, double[] t,
            long n, double alpha, long seed) {
        Statistics.checkAlpha(alpha);
        if (t.length < 2) {
            throw new IllegalArgumentException("a profile needs at least 2 positions, got " + t.length);
        }
        double norm = direction.norm2Number().doubleValue();
        if (!(norm > 0)) {
            throw new IllegalArgumentException("the direction must be non-zero");
        }
        INDArray unit = direction.castTo(DataType.DOUBLE).reshape(x.shape()).div(norm);
        INDArray base = x.castTo(DataType.DOUBLE);
        long[] counts = new long[t.length];
        double[] lo = new double[t.length], hi = new double[t.length];
        double perPoint = alpha / t.length;
        for (int k = 0; k < t.length; k++) {
            INDArray at = base.add(unit.mul(t[k])).castTo(DataType.FLOAT);
            counts[k] = g.sampleCounts(at, n, Seeds.forExample(seed, k))[label];
            Interval ci = BinomialConfidenceInterval.CLOPPER_PEARSON.fromErrorRate(Math.toIntExact(n),
                    Math.toIntExact(counts[k]), perPoint);
            lo[k] = ci.getLowerBound();
            hi[k] = ci.getUpperBound();
        }
        return new LipschitzProfile(g.sigma(), label, t.clone(), counts, n, lo, hi, alpha);
    }

    /** Phi^-1 of the estimated G_y at each position (+-infinity where the count is n or 0). */
    public double[] z() {
        double[] z = new double[t.length];
        for (int k = 0; k < t.length; k++) {
            z[k] = Statistics.normalQuantile((double) counts[k] / n);
        }
        return z;
    }

    public double[] zLower() {
        return quantiles(lower);
    }

    public double[] zUpper() {
        return quantiles(upper);
    }

    private static double[] quantiles(double[] p) {
        double[] z = new double[p.length];
        for (int k = 0; k < p.length; k++) {
            z[k] = Statistics.normalQuantile(p[k]);
        }
        return z;
    }

    /**
     * The smallest slope of Phi^-1(G_y) compatible with the bands, maximised over pairs of positions: above
     * 1/sigma the theory is contradicted (beyond the band).
     */
    public double steepestSlopeLowerBound() {
        double[] zl = zLower(), zu = zUpper();
        double steepest = 0;
        for (int i = 0; i < t.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (t[j] > t[i]) {
                    double gap = Math.max(zl[j] - zu[i], zl[i] - zu[j]);
                    if (gap > 0 && Double.isFinite(gap)) {
                        steepest = Math.max(steepest, gap / (t[j] - t[i]));
                    }
                }
            }
        }
        return steepest;
    }

    /** Pairs of positions whose bands force a slope above 1/{@code claimedSigma}. */
    public int violations(double claimedSigma) {
        double[] zl = zLower(), zu = zUpper();
        int count = 0;
        for (int i = 0; i < t.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (t[j] > t[i]) {
                    double gap = Math.max(zl[j] - zu[i], zl[i] - zu[j]);
                    if (gap > (t[j] - t[i]) / claimedSigma) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /** Pairs whose bands contradict the (1/sigma)-Lipschitz property of this smoothed classifier. */
    public int violations() {
        return violations(sigma);
    }
}
