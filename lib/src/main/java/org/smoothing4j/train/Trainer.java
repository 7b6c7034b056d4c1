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

    static Trainer of(TrainConfig config) {
        return switch (config.method()) {
            case "gaussian" -> new GaussianAugmentation(config.sigma());
            case "smoothadv", "smoothadv-consistency" -> SmoothAdv.of(config);
            case "macer" -> new Macer(config.sigma(), config.noiseSamples(), config.recipe());
            case "consistency" -> new Consistency(config.sigma(), config.noiseSamples(), config.recipe());
            case "smoothmix" -> SmoothMix.of(config);
            case "dssn" -> new SplitNoiseTraining(config.sigma());
            default -> throw new IllegalArgumentException("--method must be one of " + TrainConfig.METHODS + ", got '"
                    + config.method() + "'");
        };
    }
}
