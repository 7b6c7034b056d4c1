package org.smoothing4j.noise;

/**
 * Derives independent seeds from a run seed, so that every example gets its own noise stream: a run that is
 * sharded, resumed or reordered draws the same noise for example i as one uninterrupted run.
 */
public final class Seeds {
    private Seeds() {}

    /** The seed of example {@code index} in a run with seed {@code runSeed} (SplitMix64 finaliser). */
    public static long forExample(long runSeed, long index) {
        return mix(runSeed * 0x9E3779B97F4A7C15L + mix(index + 0x632BE59BD9B4E019L));
    }

    /** A seed for a named purpose (e.g. "shuffle", "init") of a run, distinct from every example seed. */
    public static long forPurpose(long runSeed, String purpose) {
        return mix(runSeed ^ mix(purpose.hashCode() * 0xD1B54A32D192ED03L + 0x5851F42D4C957F2DL));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
