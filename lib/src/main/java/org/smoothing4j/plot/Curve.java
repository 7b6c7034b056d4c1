package org.smoothing4j.plot;

/**
 * One series of an accuracy-vs-radius chart.
 *
 * @param label   legend text
 * @param style   how it is drawn: {@code SOLID} (SmoothAdv, certified), {@code DASHED} (Gaussian), {@code DOTTED}
 *                (empirical / attacked)
 * @param sigma   noise level, which picks the colour (NaN: by position)
 */
public record Curve(String label, double[] radii, double[] accuracy, Style style, double sigma) {

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
    }
}
