package org.smoothing4j.noise;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded stream of noise. Not thread-safe: one per thread. The streams: {@link #nd4j} (ND4J's native Gaussian
 * generator), {@link ZigguratNoise} (Gaussian, faster, indexed), {@link InverseCdfNoise} (Laplace, uniform) and
 * {@link GridNoise} (the sound mode's exact rounded Gaussian).
 */
public interface NoiseSource {

    /** Restarts the stream at a seed; the same seed gives the same sequence of fills. */
    void reseed(long seed);

    /** Overwrites every element of {@code target} with an independent N(0, sigma^2) draw. */
    void fill(INDArray target, double sigma);

    /** The generator's name, recorded in run settings (streams of different generators differ). */
    String name();

    /** ND4J's native Gaussian generator, with a private generator instance (not the global one). */
    static NoiseSource nd4j() {
        return new NoiseSource() {
            private final Random rng = Nd4j.getRandomFactory().getNewRandomInstance(0);

            @Override
            public String name() {
                return "nd4j";
            }

            @Override
            public void reseed(long seed) {
                rng.setSeed(seed);
            }

            @Override
            public void fill(INDArray target, double sigma) {
                Nd4j.getExecutioner().exec(new GaussianDistribution(target, 0.0, sigma), rng);
            }
        };
    }
}
