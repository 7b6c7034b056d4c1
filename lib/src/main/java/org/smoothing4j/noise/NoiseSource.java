package org.smoothing4j.noise;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A seeded stream of Gaussian noise. Not thread-safe: one per thread. */
public interface NoiseSource {

    /** Restarts the stream at a seed; the same seed gives the same sequence of fills. */
    void reseed(long seed);

    /** Overwrites every element of {@code target} with an independent N(0, sigma^2) draw. */
    void fill(INDArray target, double sigma);

    /**
     * Whether fills can be drawn out of order ({@link #fillAt}, {@link #position}, {@link #skip}), e.g. by several
     * threads at once: fill number k of a stream then depends only on the seed and k.
     */
    default boolean indexed() {
        return false;
    }

    /** The number of fills drawn since the last {@link #reseed} (the index of the next {@link #fill}). */
    default long position() {
        throw new UnsupportedOperationException(name() + " noise is not indexed");
    }

    /**
     * Writes fill number {@code index} of the current stream into {@code target}, as the {@code index}-th call of
     * {@link #fill} after the last reseed would, without moving the stream; safe to call from several threads.
     */
    default void fillAt(INDArray target, double sigma, long index) {
        throw new UnsupportedOperationException(name() + " noise is not indexed");
    }

    /** Moves the stream on by {@code fills} fills, as if they had been drawn. */
    default void skip(long fills) {
        throw new UnsupportedOperationException(name() + " noise is not indexed");
    }

    /** The generator's name, recorded in run settings (streams of different generators differ). */
    String name();

    /** ND4J's native Gaussian generator. */
    static NoiseSource nd4j() {
        return new Nd4jGaussianNoise();
    }

    /** The ziggurat generator (faster than ND4J's; see {@link ZigguratNoise}). */
    static NoiseSource ziggurat() {
        return new ZigguratNoise();
    }
}
