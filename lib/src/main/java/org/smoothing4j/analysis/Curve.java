package org.smoothing4j.analysis;

/**
 * One series of an accuracy-vs-radius chart.
 *
 * @param label   legend text
 * @param style   how it is drawn: {@code SOLID} (SmoothAdv, certified), {@code DASHED} (Gaussian), {@code DOTTED}
 *                (empirical / attacked)
 * @param sigma   noise level, which picks the colour (NaN: by position)
 * @param lower   the lower end of the curve's uncertainty band at each radius, or null for none
 * @param upper   the upper end, or null
 */
public record Curve(String label, double[] radii, double[] accuracy, Style style, double sigma, double[] lower,
        double[] upper) {

    /** A curve without a band. */
    public Curve(String label, double[] radii, double[] accuracy, Style style, double sigma) {
        this(label, radii, accuracy, style, sigma, null, null);
    }

    /** The same curve with a band. */
    public Curve withBand(double[] lower, double[] upper) {
        return new Curve(label, radii, accuracy, style, sigma, lower, upper);
    }

    /** The same curve drawn in another style (e.g. all solid where no curve is a Gaussian-vs-recipe comparison). */
    public Curve withStyle(Style newStyle) {
        return new Curve(label, radii, accuracy, newStyle, sigma, lower, upper);
    }

    public boolean hasBand() {
        return lower != null && upper != null;
    }

    public enum Style {
        SOLID, DASHED, DOTTED;

        /** The paper's convention: SmoothAdv solid, Gaussian (Cohen) dashed. */
        public static Style forMethod(String method) {
            return "gaussian".equalsIgnoreCase(method) ? DASHED : SOLID;
        }
    }

    public Curve {
        if (radii.length != accuracy.length) {
            throw new IllegalArgumentException(label + ": " + radii.length + " radii but " + accuracy.length
                    + " accuracies");
        }
        if ((lower == null) != (upper == null) || lower != null && (lower.length != radii.length
                || upper.length != radii.length)) {
            throw new IllegalArgumentException(label + ": a band needs a lower and an upper end at every radius");
        }
    }
}
