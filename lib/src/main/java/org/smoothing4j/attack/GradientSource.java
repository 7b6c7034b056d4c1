package org.smoothing4j.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.model.Classifier;

/**
 * Where an attack gets the gradient of its objective with respect to the perturbed inputs: backpropagation
 * through the network, or forward-only estimators.
 */
public interface GradientSource {

    /**
     * The objective and its gradient at x' = {@code adv} [B, c, h, w], estimated with the noise copies
     * {@code noise} [B*m, c, h, w] (example-major), for true classes {@code labels}.
     */
    Evaluation evaluate(Classifier f, INDArray adv, INDArray noise, int[] labels, Objective objective);

    /**
     * @param loss        objective value per example [B]
     * @param gradient    d objective / d x' [B, c, h, w]
     * @param predictions argmax of the mean softmax over the copies, per example (the soft smoothed prediction)
     */
    record Evaluation(INDArray loss, INDArray gradient, int[] predictions) {}

    /** Exact gradient of the Monte Carlo objective by backpropagation. */
    static GradientSource backprop() {
        return new BackpropGradient();
    }

    /** The names {@link #named} accepts. */
    java.util.List<String> NAMES = java.util.List.of("backprop", "stein", "stein-baseline", "stein-antithetic");

    /**
     * The source named by the {@code --grad} flag (noise level sigma): {@code backprop}, {@code stein} (the
     * reference's estimator), {@code stein-baseline} or {@code stein-antithetic} (with a variance reduction).
     */
    static GradientSource named(String name, double sigma) {
        requireKnown(name);
        return switch (name) {
            case "backprop" -> backprop();
            case "stein" -> SteinGradient.plain(sigma);
            case "stein-baseline" -> new SteinGradient(sigma, true, false);
            case "stein-antithetic" -> new SteinGradient(sigma, false, true);
            default -> throw new AssertionError(name + " is in NAMES but has no source");
        };
    }

    /** Fails with a message naming the flag unless {@code name} is one of {@link #NAMES}. */
    static void requireKnown(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("--grad must be one of " + NAMES + ", got '" + name + "'");
        }
    }
}
