package org.smoothing4j.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A base classifier whose input gradient is computed by backpropagation (smoothing4j's networks, and pipelines in
 * front of one): what the attacks' and the denoisers' backprop gradients need. Imported models (ONNX) are not: their
 * gradients come from forward-only estimators.
 */
public interface Differentiable extends Classifier {

    /**
     * Softmax probabilities F(x) and d(sum over the batch of the cross-entropy losses)/d(input) of one batch
     * [b, c, h, w] against one-hot labels [b, classes], in inference mode.
     */
    ScoredGradient scoresAndInputGradient(INDArray features, INDArray oneHotLabels);
}
