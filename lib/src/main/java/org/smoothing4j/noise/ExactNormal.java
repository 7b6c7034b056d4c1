package org.smoothing4j.noise;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The standard normal distribution function in {@value #DIGITS}-digit decimal arithmetic, for tables whose
 * soundness must not rest on the rounding of double-precision library functions (the thresholds of {@link
 * RoundedGaussian}, the checks of the certificates' last rounding). Phi(-x) = 1/2 - phi(x) S(x) with the series
 * S(x) = sum_n x^(2n+1) / (1 * 3 * ... * (2n+1)) (Abramowitz &amp; Stegun 26.2.11; all terms positive), phi(x) =
 * exp(-x^2/2) / sqrt(2 pi) from the exponential series of x^2/2 (positive terms). For x &lt;= {@value #MAX_X} the
 * terms stay below e^(x^2/2) ~ 10^22, so the cancellation in 1/2 - phi S costs at most 22 of the digits: the result
 * is within {@link #ERROR} of the true value (a bound with a wide margin: each of the few hundred operations errs by
 * at most 10^-{@value #DIGITS} relative, times magnitudes below 10^22).
 */
public final class ExactNormal {
    static final int DIGITS = 100;
    /** Largest argument of the series; beyond it {@link #upperTailBound} gives the Mills-ratio bound. */
    public static final double MAX_X = 10.0;
    /** A bound on the absolute error of {@link #lowerTail}. */
    public static final BigDecimal ERROR = new BigDecimal("1e-60");
    private static final MathContext MC = new MathContext(DIGITS);
    // pi to 110 digits (a constant, e.g. OEIS A000796)
    private static final BigDecimal PI = new BigDecimal("3.14159265358979323846264338327950288419716939937510"
            + "58209749445923078164062862089986280348253421170679821480865132823066470938446");
    private static final BigDecimal SQRT_TWO_PI = PI.multiply(BigDecimal.valueOf(2)).sqrt(MC);
    private static final BigDecimal TINY = new BigDecimal("1e-110");

    private ExactNormal() {}

    /** Phi(-x) for 0 &lt;= x &lt;= {@value #MAX_X}, within {@link #ERROR}. */
    public static BigDecimal lowerTail(BigDecimal x) {
        if (x.signum() < 0 || x.compareTo(BigDecimal.valueOf(MAX_X)) > 0) {
            throw new IllegalArgumentException("lowerTail needs 0 <= x <= " + MAX_X + ", got " + x);
        }
        BigDecimal x2 = x.multiply(x, MC);
        BigDecimal term = x, sum = x;
        for (int n = 1; ; n++) {
            term = term.multiply(x2, MC).divide(BigDecimal.valueOf(2L * n + 1), MC);
            sum = sum.add(term, MC);
            if (n > x2.doubleValue() && term.compareTo(TINY) < 0) {
                break;
            }
        }
        BigDecimal density = BigDecimal.ONE.divide(exp(x2.divide(BigDecimal.valueOf(2), MC)).multiply(SQRT_TWO_PI, MC),
                MC);
        return new BigDecimal("0.5").subtract(density.multiply(sum, MC), MC);
    }

    /** Phi(z) for |z| &lt;= {@value #MAX_X}, within {@link #ERROR}. */
    public static BigDecimal cdf(BigDecimal z) {
        return z.signum() <= 0 ? lowerTail(z.negate()) : BigDecimal.ONE.subtract(lowerTail(z), MC);
    }

    /** An upper bound on Phi(-x) for x &gt; 0: phi(x) / x (Mills' ratio), in double, rounded up by a margin. */
    public static double upperTailBound(double x) {
        if (!(x > 0)) {
            throw new IllegalArgumentException("upperTailBound needs x > 0, got " + x);
        }
        return Math.exp(-x * x / 2) / (x * Math.sqrt(2 * Math.PI)) * (1 + 1e-9);
    }

    /** e^a for a &gt;= 0, by its series (positive terms). */
    private static BigDecimal exp(BigDecimal a) {
        BigDecimal term = BigDecimal.ONE, sum = BigDecimal.ONE;
        for (int n = 1; ; n++) {
            term = term.multiply(a, MC).divide(BigDecimal.valueOf(n), MC);
            sum = sum.add(term, MC);
            if (n > a.doubleValue() && term.compareTo(sum.multiply(TINY, MC)) < 0) {
                return sum;
            }
        }
    }
}
