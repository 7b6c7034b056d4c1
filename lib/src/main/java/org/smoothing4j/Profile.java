package org.smoothing4j;

import java.util.Locale;

/**
 * The compute budget of the notebooks, from one place: the environment variable {@code SMOOTHING4J_PROFILE}
 * ({@code quick} by default, {@code paper} for the reference budgets, {@code test} for the tiny budgets CI uses to
 * check that every notebook runs).
 *
 * @param name        profile name
 * @param n           CERTIFY samples n (n0 = 100 except in {@code test})
 * @param n0          CERTIFY selection samples
 * @param skip        certify every skip-th test image
 * @param epochs      training epochs
 * @param trainSize   training images (-1: all)
 * @param attackN     PREDICT samples after an attack
 */
public record Profile(String name, int n, int n0, int skip, int epochs, int trainSize, int attackN) {

    public static final Profile TEST = new Profile("test", 200, 50, 1000, 1, 1024, 200);
    public static final Profile QUICK = new Profile("quick", 2000, 100, 100, 3, 10_000, 1000);
    public static final Profile PAPER = new Profile("paper", 100_000, 100, 20, 30, -1, 100_000);

    public static Profile current() {
        String p = System.getenv().getOrDefault("SMOOTHING4J_PROFILE", "quick").toLowerCase(Locale.ROOT);
        return switch (p) {
            case "test" -> TEST;
            case "quick" -> QUICK;
            case "paper" -> PAPER;
            default -> throw new IllegalArgumentException("SMOOTHING4J_PROFILE must be test, quick or paper, got '" + p
                    + "'");
        };
    }
}
