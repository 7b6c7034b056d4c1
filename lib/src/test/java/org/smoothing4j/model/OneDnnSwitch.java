package org.smoothing4j.model;

import java.util.function.Supplier;

/** Builds a network with DL4J's oneDNN layer helpers switched on or off, restoring the setting afterwards. */
final class OneDnnSwitch {
    private OneDnnSwitch() {}

    static Network build(boolean oneDnn, Supplier<Network> builder) {
        String old = System.getProperty(OneDnn.DISABLE);
        System.setProperty(OneDnn.DISABLE, oneDnn ? "false" : "true");
        try {
            return builder.get();
        } finally {
            if (old == null) {
                System.clearProperty(OneDnn.DISABLE);
            } else {
                System.setProperty(OneDnn.DISABLE, old);
            }
        }
    }
}
