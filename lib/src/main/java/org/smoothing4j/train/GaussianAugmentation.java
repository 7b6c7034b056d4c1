package org.smoothing4j.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.attack.NoisyCopies;
import org.smoothing4j.model.Fitted;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.noise.NoiseSource;

/** Gaussian data augmentation (Cohen et al. 2019): train on x + N(0, sigma^2 I), fresh noise for every batch. */
public record GaussianAugmentation(double sigma) implements Trainer {

    @Override
    public StepResult step(Network net, INDArray x, int[] labels, int epoch, NoiseSource noise) {
        INDArray noisy = x.like();
        noise.fill(noisy, sigma);
        noisy.addi(x);
        return Steps.fit(net, noisy, labels, 1);
    }
}

/** The shared training step: cross-entropy on given inputs, with accuracy measured on them. */
final class Steps {
    private Steps() {}

    /** Fits inputs [B*copies, ...] whose labels are {@code labels} each repeated {@code copies} times. */
    static Trainer.StepResult fit(Network net, INDArray inputs, int[] labels, int copies) {
        INDArray y = NoisyCopies.oneHot(labels, copies, net.numClasses(), inputs.dataType());
        Fitted fitted = net.fit(inputs, y);
        INDArray predicted = fitted.probabilities().argMax(1);
        int correct = 0;
        for (int i = 0; i < inputs.size(0); i++) {
            if (predicted.getInt(i) == labels[i / copies]) {
                correct++;
            }
        }
        return new Trainer.StepResult(fitted.loss(), correct, (int) inputs.size(0));
    }
}
