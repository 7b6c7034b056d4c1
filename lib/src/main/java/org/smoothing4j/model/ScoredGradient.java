package org.smoothing4j.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax probabilities F(x) of a batch and d(sum over the batch of the cross-entropy losses)/d(input), from one
 * forward and one backward pass where the backend allows.
 */
public record ScoredGradient(INDArray probabilities, INDArray inputGradient) {}
