package org.smoothing4j.attack;

/** The gradient sources of the attacks by name ({@code --grad}). */
public final class Gradients {
    private Gradients() {}

    /** Exact gradient of the Monte Carlo objective by backpropagation. */
    public static GradientSource backprop() {
        return new BackpropGradient();
    }

    /**
     * The source named by the {@code --grad} flag (noise level sigma): {@code backprop}, {@code stein} (the
     * reference's estimator), {@code stein-baseline} or {@code stein-antithetic} (with a variance reduction).
     */
    public static GradientSource named(String name, double sigma) {
        GradientSource.requireKnown(name);
        return switch (name) {
            case "backprop" -> backprop();
            case "stein" -> SteinGradient.plain(sigma);
            case "stein-baseline" -> new SteinGradient(sigma, true, false);
            case "stein-antithetic" -> new SteinGradient(sigma, false, true);
            default -> throw new AssertionError(name + " is in NAMES but has no source");
        };
    }
}
