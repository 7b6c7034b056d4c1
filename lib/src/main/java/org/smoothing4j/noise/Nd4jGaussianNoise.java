package org.smoothing4j.noise;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** Noise from ND4J's native generator, with a private generator instance (not the global one). */
final class Nd4jGaussianNoise implements NoiseSource {
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
}
