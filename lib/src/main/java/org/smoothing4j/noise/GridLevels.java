package org.smoothing4j.noise;

/**
 * The grid m / L (m = 0..L) that images lie on, as the sound mode and the deterministic L1 certificate need it: 255
 * levels for 8-bit images. The one check of {@code --grid-levels}.
 */
public final class GridLevels {
    /** 8-bit images. */
    public static final int EIGHT_BIT = 255;

    private GridLevels() {}

    /** Returns {@code levels} when it is in [1, 65535], else fails naming the flag. */
    public static int check(int levels) {
        if (levels < 1 || levels > 65535) {
            throw new IllegalArgumentException("--grid-levels must be in [1, 65535], got " + levels);
        }
        return levels;
    }
}
