package org.smoothing4j.model.layerstack;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer of a {@link LayerStack}: forward into its own buffer; backward writes its parameter gradients and returns
 * dL/d(input).
 */
interface Stage {
    INDArray forward(INDArray in);

    /**
     * dL/d(input) from dL/d(output), or null when {@code inputGradient} is false; writes the stage's parameter
     * gradients when {@code parameterGradients} is true (a training step), not for an input gradient alone.
     */
    INDArray backward(INDArray dOut, boolean inputGradient, boolean parameterGradients);

    boolean hasParameters();
}
