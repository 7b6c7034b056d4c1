package org.smoothing4j.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;

/** What the backends need to know of DL4J's activations to run them their own way. */
public final class Activations {
    private Activations() {}

    /** Whether an activation is the plain ReLU max(0, x): no threshold, cap or negative slope. */
    public static boolean plainRelu(IActivation a) {
        return a instanceof ActivationReLU r && r.getMax() == null && zeroOrUnset(r.getThreshold())
                && zeroOrUnset(r.getNegativeSlope());
    }

    private static boolean zeroOrUnset(Double v) {
        return v == null || v == 0.0;
    }
}
