package org.smoothing4j.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.model.Classifier;

/**
 * Where an attack gets the gradient of its objective with respect to the perturbed inputs: backpropagation
 * through the network, or forward-only estimators ({@link Gradients}).
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

    /** The names of the sources ({@link Gradients#named}). */
    java.util.List<String> NAMES = java.util.List.of("backprop", "stein", "stein-baseline", "stein-antithetic");

    /** Fails with a message naming the flag unless {@code name} is one of {@link #NAMES}. */
    static void requireKnown(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("--grad must be one of " + NAMES + ", got '" + name + "'");
        }
    }
}
