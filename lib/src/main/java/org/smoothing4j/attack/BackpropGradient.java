package org.smoothing4j.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.model.Differentiable;
import org.smoothing4j.model.ScoredGradient;

/**
 * The exact gradient of the Monte Carlo objective: per-copy cross-entropy gradients by backpropagation
 * (DL4J's gradient of the summed losses has one row per copy), combined with the objective's copy weights.
 */
final class BackpropGradient implements GradientSource {
    @Override
    public Evaluation evaluate(Classifier f, INDArray adv, INDArray noise, int[] labels, Objective objective) {
        if (!(f instanceof Differentiable net)) {
            throw new IllegalArgumentException("backprop gradients need a DL4J network, got " + f.getClass().getName()
                    + "; use --grad stein for other classifiers");
        }
        int batch = labels.length;
        int m = (int) (noise.size(0) / batch);
        INDArray z = NoisyCopies.add(adv, noise, m);
        INDArray oneHot = NoisyCopies.oneHot(labels, m, f.numClasses(), z.dataType());
        // a network's own backward pass; through a denoiser, the classifier's gradient at D(z), then back through D
        ScoredGradient both = net.scoresAndInputGradient(z, oneHot);
        INDArray probs = both.probabilities();
        INDArray fy = NoisyCopies.trueClassProbabilities(probs, labels, m);
        INDArray perCopy = both.inputGradient();
        long d = adv.length() / batch;
        INDArray gradient = NoisyCopies.weightedSum(perCopy.reshape((long) batch * m, d), objective.copyWeights(fy))
                .reshape(adv.shape());
        return new Evaluation(objective.loss(fy), gradient, NoisyCopies.smoothedPredictions(probs, batch, m));
    }

    @Override
    public String toString() {
        return "backprop";
    }
}
