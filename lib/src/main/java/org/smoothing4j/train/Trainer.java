package org.smoothing4j.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.noise.NoiseSource;

/** One recipe for training a base classifier for smoothing: what a training step does with a batch. */
public interface Trainer {

    /**
     * One optimiser step on clean images x [B, c, h, w] with classes {@code labels}, drawing its noise from
     * {@code noise}. Returns the training loss and the number of correct predictions on the inputs trained on.
     */
    StepResult step(Network net, INDArray x, int[] labels, int epoch, NoiseSource noise);

    record StepResult(double loss, int correct, int seen) {}
}
