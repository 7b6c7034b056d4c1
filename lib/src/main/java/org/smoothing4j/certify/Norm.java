package org.smoothing4j.certify;

import java.util.Arrays;
import java.util.Locale;

/** The norm a certified radius is measured in: the adversary may move the input by at most the radius in it. */
public enum Norm {
    L2, L1, LINF;

    /** The norm's name on the command line and in run settings: l2, l1, linf. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The norm named {@code name} (l2, l1 or linf), or an error naming {@code flag}. */
    public static Norm parse(String name, String flag) {
        for (Norm n : values()) {
            if (n.id().equalsIgnoreCase(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException(flag + " must be one of " + Arrays.stream(values()).map(Norm::id).toList()
                + ", got '" + name + "'");
    }
}
