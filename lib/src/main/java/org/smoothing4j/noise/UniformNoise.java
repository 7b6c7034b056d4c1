package org.smoothing4j.noise;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Uniform noise on [-lambda, lambda] with standard deviation sigma (half-width lambda = sqrt 3 sigma, {@link
 * NoiseFamily#UNIFORM}): lambda (2 u - 1) with u from the top 53 bits of a SplitMix64 word. Streams as {@link
 * ZigguratNoise}'s ({@link ChunkedStream}).
 */
final class UniformNoise extends ChunkedStream {

    @Override
    public String name() {
        return "uniform";
    }

    @Override
    public void fillAt(INDArray target, double sigma, long fill) {
        double lambda = NoiseFamily.UNIFORM.scale(sigma);
        write(target, fill, (from, len, random, values, at) -> {
            for (int i = 0; i < len; i++) {
                double u = ((random.nextLong() >>> 11) + 0.5) * 0x1.0p-53;
                values[at + i] = (float) (lambda * (2 * u - 1));
            }
        });
    }
}
