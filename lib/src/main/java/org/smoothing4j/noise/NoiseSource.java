package org.smoothing4j.noise;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A seeded stream of Gaussian noise. Not thread-safe: one per thread. */
public interface NoiseSource {

    /** Restarts the stream at a seed; the same seed gives the same sequence of fills. */
    void reseed(long seed);

    /** Overwrites every element of {@code target} with an independent N(0, sigma^2) draw. */
    void fill(INDArray target, double sigma);

    /** The generator's name, recorded in run settings (streams of different generators differ). */
    String name();

    /** ND4J's native Gaussian generator. */
    static NoiseSource nd4j() {
        return new Nd4jGaussianNoise();
    }

    /** The ziggurat generator (faster than ND4J's, indexed; see {@link ZigguratNoise}). */
    static IndexedNoiseSource ziggurat() {
        return new ZigguratNoise();
    }

    /**
     * Sound noise for images on the grid m / levels: the exact rounded Gaussian from fair bits ({@link GridNoise}).
     */
    static GridNoise onGrid(double sigma, int levels) {
        return new GridNoise(sigma, levels);
    }
}
