package org.smoothing4j.certify;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How sampled bounds become claims: in the standard mode as in the reference code; in the sound mode
 * ({@link SmoothedClassifier#withSoundGrid}) every step that could round a claim upwards is moved to the safe side.
 * <ul>
 * <li>The lower bound on pA is multiplied by the noise's mass factor f = {@link
 * org.smoothing4j.noise.RoundedGaussian#massFactor} (the exact rounded Gaussian dominates f times the implemented
 * one, so pA &gt;= f pA') and lowered by a relative {@value #MARGIN}: far more than the error of the double-precision
 * Clopper-Pearson quantile (ClaimsTest checks it against the exact binomial tail).</li>
 * <li>The radius sigma Phi^-1(pALower) is lowered by a relative {@value #MARGIN} (covers the error of Phi^-1 and of
 * the product), and the log rounds it down to its 3 significant digits (the reference rounds half-even, which can
 * print a radius larger than the one computed).</li>
 * <li>A target radius r of sequential certification is certified when pALower &gt;= Phi(r / sigma) raised by a
 * relative {@value #MARGIN}.</li>
 * <li>PREDICT tests at level alpha - n (1 - f): the implemented samples are within total variation n (1 - f) of
 * exact ones, so its error probability stays at most alpha.</li>
 * </ul>
 * Each correction changes a radius by far less than its printed precision (about 10^-9 relative).
 */
final class Claims {
    static final double MARGIN = 1e-9;
    static final Claims STANDARD = new Claims(false, 1.0);

    private final boolean sound;
    private final double massFactor;

    private Claims(boolean sound, double massFactor) {
        this.sound = sound;
        this.massFactor = massFactor;
    }

    /** The sound mode's claims for noise whose exact distribution dominates {@code massFactor} times the sampled. */
    static Claims sound(double massFactor) {
        if (!(massFactor > 0.5 && massFactor <= 1)) {
            throw new IllegalArgumentException("mass factor must be in (0.5, 1], got " + massFactor);
        }
        return new Claims(true, massFactor);
    }

    boolean sound() {
        return sound;
    }

    /** A lower bound on pA for the exact noise, from one for the sampled noise. */
    double lower(double sampledLower) {
        return sound ? Math.max(0, sampledLower * massFactor * (1 - MARGIN)) : sampledLower;
    }

    /**
     * An upper bound on a class's probability for the exact noise, from one for the sampled noise: the two differ by at
     * most their total variation 1 - f (the exact distribution dominates f times the sampled one).
     */
    double upper(double sampledUpper) {
        return sound ? Math.min(1, (sampledUpper + (1 - massFactor)) * (1 + MARGIN)) : sampledUpper;
    }

    /** sigma / 2 (Phi^-1(pALower) - Phi^-1(pBUpper)), for pALower &gt; pBUpper (Cohen et al., Theorem 1). */
    double radius(double sigma, double pALower, double pBUpper) {
        double r = sigma / 2 * (Statistics.normalQuantile(pALower) - Statistics.normalQuantile(pBUpper));
        return sound ? Math.max(0, r * (1 - MARGIN) - 1e-12 * sigma) : r;
    }

    /** A radius computed from pALower ({@link NormRadius}), lowered by the margin in the sound mode. */
    double radius(double r) {
        return sound ? Math.max(0, r * (1 - MARGIN)) : r;
    }

    /** The level of Phi(r / sigma) that pALower must reach for radius r. */
    double threshold(double phi) {
        return sound ? Math.min(1, phi * (1 + MARGIN)) : phi;
    }

    /** The level at which PREDICT tests, so that n samples err with probability at most alpha. */
    double predictLevel(double alpha, long n) {
        if (!sound) {
            return alpha;
        }
        double level = alpha - n * (1 - massFactor) * (1 + MARGIN);
        if (!(level > 0)) {
            throw new IllegalArgumentException("alpha " + alpha + " is too small for " + n + " sound samples");
        }
        return level;
    }

    /** The radius as the log prints it: the reference's 3 significant digits, rounded down in the sound mode. */
    String format(double radius) {
        return sound ? formatDown(radius) : LogFormat.radius(radius);
    }

    /** The radius in the log's 3 significant digits, rounded down (so that the printed radius is still claimed). */
    static String formatDown(double radius) {
        if (!(radius > 0) || Double.isInfinite(radius)) {
            return LogFormat.radius(radius);
        }
        BigDecimal down = new BigDecimal(radius).round(new MathContext(3, RoundingMode.DOWN));
        return LogFormat.radius(down.doubleValue()); // prints the decimal down, which is <= radius
    }
}
