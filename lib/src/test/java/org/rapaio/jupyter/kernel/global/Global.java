package org.rapaio.jupyter.kernel.global;

import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for rapaio-jupyter-kernel's {@code Global} with the signature its 3.0.1 release has, recording what
 * {@link org.smoothing4j.plot.Display} sends (the real kernel is exercised by the notebook runs).
 */
public final class Global {
    public static final List<Object[]> SENT = new ArrayList<>();

    private Global() {}

    public static void display(String mime, Object value) {
        SENT.add(new Object[] {mime, value});
    }

    public static void display(Object value) {
        SENT.add(new Object[] {null, value});
    }
}
