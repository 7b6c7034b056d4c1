package org.smoothing4j.noise;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Laplace noise with standard deviation sigma (scale lambda = sigma / sqrt 2, {@link NoiseFamily#LAPLACE}) by
 * inversion: with u uniform on (0, 1) from the top 53 bits of a SplitMix64 word and a sign from its lowest bit,
 * z = -lambda log(u) is exponential with mean lambda and +-z is Laplace. Streams as {@link ZigguratNoise}'s
 * ({@link ChunkedStream}).
 */
final class LaplaceNoise extends ChunkedStream {

    @Override
    public String name() {
        return "laplace";
    }

    @Override
    public void fillAt(INDArray target, double sigma, long fill) {
        double lambda = NoiseFamily.LAPLACE.scale(sigma);
        write(target, fill, (from, len, random, values, at) -> {
            for (int i = 0; i < len; i++) {
                values[at + i] = (float) (lambda * next(random.nextLong()));
            }
        });
    }

    /** One standard Laplace draw (scale 1) from a 64-bit word: the sign from bit 0, u = (top 53 bits + 1/2) 2^-53. */
    static double next(long bits) {
        double u = ((bits >>> 11) + 0.5) * 0x1.0p-53; // in (0, 1), never 0: log(u) is finite
        double z = -Math.log(u);
        return (bits & 1) == 0 ? z : -z;
    }
}
