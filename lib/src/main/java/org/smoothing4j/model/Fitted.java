package org.smoothing4j.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a training step returns, whichever backend took it: the batch's mean loss with the regularisation term (as
 * DL4J's score) and the softmax probabilities F(x) of the inputs before the step (for the training accuracy).
 */
public record Fitted(double loss, INDArray probabilities) {}
