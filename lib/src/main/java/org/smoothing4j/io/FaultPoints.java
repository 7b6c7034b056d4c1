package org.smoothing4j.io;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named points between the writes of a run (a checkpoint's rename, a log row), where the fault-injection tests stop
 * the process as {@code kill -9} would, or make the write fail as a full disk would. Off unless the system property
 * {@value #PROPERTY} is set to {@code NAME[@K][:ACTION]}: at the K-th time (default 1) the point NAME is reached, the
 * JVM halts at once with exit code 137 ({@code halt}, the default: no shutdown hooks, no flushing, like SIGKILL) or
 * the write throws "No space left on device" ({@code enospc}). With the property unset a point costs one property
 * lookup. The property is read when a point is passed, so a JVM that runs many tests can set it between them.
 */
public final class FaultPoints {
    public static final String PROPERTY = "smoothing4j.fault";
    private static final ConcurrentHashMap<String, AtomicInteger> REACHED = new ConcurrentHashMap<>();
    /** The property's value and its parse, replaced together. */
    private record Parsed(String from, String[] spec) {}

    private static volatile Parsed parsed = new Parsed(null, null);

    private FaultPoints() {}

    /** Passes point {@code name}: halts or fails there if the property says so. */
    public static void reach(String name) throws IOException {
        String[] spec = spec();
        if (spec == null || !spec[0].equals(name)) {
            return;
        }
        int count = REACHED.computeIfAbsent(spec[0] + "@" + spec[1] + ":" + spec[2], k -> new AtomicInteger())
                .incrementAndGet();
        if (count != Integer.parseInt(spec[1])) {
            return;
        }
        if (spec[2].equals("enospc")) {
            throw new IOException("No space left on device (injected at " + name + ")");
        }
        Runtime.getRuntime().halt(137);
    }

    /** Whether the property names this point (the caller may then write in smaller steps to expose it). */
    public static boolean armed(String name) {
        String[] spec = spec();
        return spec != null && spec[0].equals(name);
    }

    /** The parsed property (cached while it stays the same). */
    private static String[] spec() {
        String now = System.getProperty(PROPERTY);
        Parsed p = parsed;
        if (!java.util.Objects.equals(now, p.from())) {
            p = new Parsed(now, parse(now));
            parsed = p;
        }
        return p.spec();
    }

    private static String[] parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return null;
        }
        String action = "halt";
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            action = spec.substring(colon + 1);
            spec = spec.substring(0, colon);
        }
        String count = "1";
        int at = spec.indexOf('@');
        if (at >= 0) {
            count = spec.substring(at + 1);
            spec = spec.substring(0, at);
        }
        if (!action.equals("halt") && !action.equals("enospc") || !count.matches("[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException("system property " + PROPERTY + " must be NAME[@K][:halt|enospc], got '"
                    + System.getProperty(PROPERTY) + "'");
        }
        return new String[] {spec, count, action};
    }
}
