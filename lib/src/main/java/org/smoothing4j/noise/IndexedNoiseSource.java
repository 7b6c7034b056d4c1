package org.smoothing4j.noise;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A noise stream whose fills can be drawn out of order, e.g. by several threads at once: fill number k of a stream
 * depends only on the seed and k.
 */
public interface IndexedNoiseSource extends NoiseSource {

    /** The number of fills drawn since the last {@link #reseed} (the index of the next {@link #fill}). */
    long position();

    /**
     * Writes fill number {@code index} of the current stream into {@code target}, as the {@code index}-th call of
     * {@link #fill} after the last reseed would, without moving the stream; safe to call from several threads.
     */
    void fillAt(INDArray target, double sigma, long index);

    /** Moves the stream on by {@code fills} fills, as if they had been drawn. */
    void skip(long fills);
}
