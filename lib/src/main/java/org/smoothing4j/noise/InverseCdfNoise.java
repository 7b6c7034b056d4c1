package org.smoothing4j.noise;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Laplace and uniform noise with standard deviation sigma by inversion, each value the family's scale lambda
 * ({@link NoiseFamily#scale}) times one standard draw from one SplitMix64 word, with u = (top 53 bits + 1/2) 2^-53
 * in (0, 1), never 0:
 * <ul>
 * <li>Laplace (lambda = sigma / sqrt 2): z = -log(u) is exponential with mean 1 and the word's lowest bit its sign,
 * so +-z is the standard Laplace;</li>
 * <li>uniform (lambda = sqrt 3 sigma): 2 u - 1, uniform on (-1, 1).</li>
 * </ul>
 * Streams as {@link ZigguratNoise}'s ({@link ChunkedStream}).
 */
public final class InverseCdfNoise extends ChunkedStream {
    private final NoiseFamily family;

    public InverseCdfNoise(NoiseFamily family) {
        if (family != NoiseFamily.LAPLACE && family != NoiseFamily.UNIFORM) {
            throw new IllegalArgumentException("inversion streams are for laplace and uniform noise, not "
                    + family.id());
        }
        this.family = family;
    }

    @Override
    public String name() {
        return family.id();
    }

    @Override
    public void fillAt(INDArray target, double sigma, long fill) {
        double lambda = family.scale(sigma);
        boolean laplace = family == NoiseFamily.LAPLACE;
        write(target, fill, (from, len, random, values, at) -> {
            for (int i = 0; i < len; i++) {
                long bits = random.nextLong();
                values[at + i] = (float) (lambda * (laplace ? laplace(bits) : uniform(bits)));
            }
        });
    }

    /** u in (0, 1) from the word's top 53 bits. */
    private static double unit(long bits) {
        return ((bits >>> 11) + 0.5) * 0x1.0p-53;
    }

    /** One standard Laplace draw (scale 1): -log(u), finite since u &gt; 0, with the sign from bit 0. */
    static double laplace(long bits) {
        double z = -Math.log(unit(bits));
        return (bits & 1) == 0 ? z : -z;
    }

    /** One draw uniform on (-1, 1). */
    static double uniform(long bits) {
        return 2 * unit(bits) - 1;
    }
}
