package org.smoothing4j.certify;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Number formats of the reference code's logs: radius with 3 significant digits as Python's {@code "{:.3}"}, and
 * elapsed time as {@code h:mm:ss.ss}. Parsing also accepts Python's {@code str(timedelta)} (e.g.
 * {@code 0:00:02.345678}, {@code 1 day, 2:03:04.5}) and plain seconds, the time formats of the public reference
 * implementations.
 */
public final class LogFormat {
    private static final Pattern CLOCK =
            Pattern.compile("(?:(\\d+) days?, )?(\\d+):(\\d{1,2}):(\\d{1,2}(?:\\.\\d+)?)");

    private LogFormat() {}

    /** Python's {@code format(v, ".3")}: 3 significant digits, trailing zeros dropped, at least one decimal. */
    public static String radius(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "nan" : (v > 0 ? "inf" : "-inf");
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0.0" : "0.0";
        }
        BigDecimal r = new BigDecimal(v).round(new MathContext(3, RoundingMode.HALF_EVEN));
        int exponent = r.precision() - r.scale() - 1;
        if (exponent < -4 || exponent >= 2) { // Python's "{:.3}" keeps one decimal, so 123 becomes 1.23e+02
            BigDecimal mantissa = r.movePointLeft(exponent).stripTrailingZeros();
            String m = mantissa.scale() <= 0 ? mantissa.toBigInteger().toString() : mantissa.toPlainString();
            return String.format(Locale.ROOT, "%se%s%02d", m, exponent < 0 ? "-" : "+", Math.abs(exponent));
        }
        String plain = r.stripTrailingZeros().toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    /** Elapsed seconds as {@code h:mm:ss.ss}. */
    public static String elapsed(double seconds) {
        long centis = Math.round(seconds * 100);
        long h = centis / 360_000, m = (centis / 6000) % 60;
        double s = (centis % 6000) / 100.0;
        return String.format(Locale.ROOT, "%d:%02d:%05.2f", h, m, s);
    }

    /** Seconds from {@code h:mm:ss[.f]}, {@code D day(s), h:mm:ss[.f]} or plain seconds. */
    public static double parseElapsed(String text) {
        String t = text.trim();
        Matcher m = CLOCK.matcher(t);
        if (m.matches()) {
            double days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
            return days * 86400 + Long.parseLong(m.group(2)) * 3600 + Long.parseLong(m.group(3)) * 60
                    + Double.parseDouble(m.group(4));
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an elapsed time: '" + text
                    + "' (expected h:mm:ss.ss, Python timedelta or seconds)");
        }
    }
}
