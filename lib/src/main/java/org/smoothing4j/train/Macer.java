package org.smoothing4j.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.attack.NoisyCopies;
import org.smoothing4j.model.Fitted;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.noise.NoiseSource;

/**
 * MACER (Zhai et al., ICLR 2020): attack-free training that maximises the certified radius, on k noisy copies of every
 * image ({@link MacerLoss}). The public code trains CIFAR-10 with k = 16, beta = 16, gamma = 8, lambda = 12, batch 64,
 * SGD lr 0.01, momentum 0.9, weight decay 5e-4, lr x0.1 at epochs 200 and 400 of 440. With a delay of d epochs
 * ({@link RecipeConfig#macerDelay}) the first d epochs (0-based epoch < d) train on the classification loss alone.
 */
record Macer(double sigma, int k, RecipeConfig recipe) implements Trainer {

    @Override
    public StepResult step(Network net, INDArray x, int[] labels, int epoch, NoiseSource noise) {
        INDArray copies = Recipes.noisyCopies(x, k, sigma, noise);
        double lambda = epoch < recipe.macer().delay() ? 0 : recipe.macer().lambda();
        Fitted fitted = net.fit(copies, new MacerLoss(labels, k, sigma, recipe.macer().beta(), recipe.macer().gamma(),
                lambda));
        return Recipes.result(fitted, labels, k, 0, copies.size(0));
    }
}

/** What the recipes share: noisy copies, and the step's accuracy on the copies trained on. */
final class Recipes {
    private Recipes() {}

    /** m noisy copies of each image [B*m, ...], example-major, with noise from the source. */
    static INDArray noisyCopies(INDArray x, int m, double sigma, NoiseSource noise) {
        return NoisyCopies.add(x, noise(x, m, sigma, noise), m);
    }

    /** Noise [B*m, ...] for m copies of each image. */
    static INDArray noise(INDArray x, int m, double sigma, NoiseSource noise) {
        long[] shape = x.shape().clone();
        shape[0] = x.size(0) * m;
        INDArray n = Nd4j.create(x.dataType(), shape);
        noise.fill(n, sigma);
        return n;
    }

    /**
     * The loss and the accuracy on {@code count} copies trained on from row {@code from} of the probabilities
     * (example-major, m copies per label).
     */
    static Trainer.StepResult result(Fitted fitted, int[] labels, int m, long from, long count) {
        int[] predicted = fitted.probabilities().argMax(1).toIntVector();
        int correct = 0;
        for (long r = 0; r < count; r++) {
            correct += predicted[(int) (from + r)] == labels[(int) (r / m)] ? 1 : 0;
        }
        return new Trainer.StepResult(fitted.loss(), correct, (int) count);
    }
}
