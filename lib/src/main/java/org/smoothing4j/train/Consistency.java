package org.smoothing4j.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.model.Fitted;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.noise.NoiseSource;

/**
 * Consistency regularisation on Gaussian augmentation (Jeong &amp; Shin, NeurIPS 2020): cross-entropy on m noisy
 * copies of every image plus lambda times the KL divergence of each copy's softmax from their mean and eta times the
 * mean's entropy ({@link ConsistencyLoss}; public code: m = 2, eta = 0.5, lambda 5, 10 or 20 by sigma). On SmoothAdv it
 * is {@link SmoothAdv} with a consistency lambda.
 */
record Consistency(double sigma, int m, RecipeConfig recipe) implements Trainer {

    @Override
    public StepResult step(Network net, INDArray x, int[] labels, int epoch, NoiseSource noise) {
        INDArray copies = Recipes.noisyCopies(x, m, sigma, noise);
        Fitted fitted = net.fit(copies, new ConsistencyLoss(labels, m, recipe.consistency().lambda(),
                recipe.consistency().eta()));
        return Recipes.result(fitted, labels, m, 0, copies.size(0));
    }
}
