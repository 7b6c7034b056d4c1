package org.smoothing4j.model.dl4j;

import java.util.function.Supplier;
import org.smoothing4j.model.layerstack.LayerStack;

/**
 * Builds networks on a chosen code path, for tests that compare paths: DL4J's own forward and backward with or
 * without its oneDNN layer helpers ({@link #dl4j}), or the direct {@link LayerStack} path ({@link #direct}).
 */
public final class CodePaths {
    private CodePaths() {}

    /** On DL4J's own path (never the direct layer stack), with or without oneDNN helpers. */
    public static Network dl4j(boolean oneDnn, Supplier<Network> builder) {
        return with(OneDnn.DISABLE, oneDnn ? "false" : "true", () -> with(LayerStack.PROPERTY, "false", builder));
    }

    /** On the direct layer-stack path where the network supports it, else DL4J's with oneDNN helpers. */
    public static Network direct(Supplier<Network> builder) {
        return with(OneDnn.DISABLE, "false", () -> with(LayerStack.PROPERTY, "true", builder));
    }

    private static Network with(String property, String value, Supplier<Network> builder) {
        String old = System.getProperty(property);
        System.setProperty(property, value);
        try {
            return builder.get();
        } finally {
            if (old == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, old);
            }
        }
    }
}
