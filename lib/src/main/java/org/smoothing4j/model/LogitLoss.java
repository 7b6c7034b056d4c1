package org.smoothing4j.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training loss computed from a whole batch's logits (the pre-softmax outputs), for recipes whose loss couples the
 * rows of a batch (the noisy copies of one image in MACER, Consistency regularisation, SmoothMix). Networks train on
 * it with {@code Network.fit(features, loss)}: DL4J's softmax output layer's own cross-entropy is replaced by it for
 * that step.
 */
public interface LogitLoss {

    /**
     * The loss L of the batch (as the recipe defines it: usually a mean over its images) and dL/d(logits) [N,
     * classes] in the logits' data type.
     *
     * @param logits [N, classes], not to be modified
     */
    Evaluation evaluate(INDArray logits);

    record Evaluation(double loss, INDArray gradient) {}
}
