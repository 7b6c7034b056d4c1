package org.smoothing4j.denoise;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smoothing4j.attack.NoisyCopies;
import org.smoothing4j.attack.SteinGradient;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.model.Differentiable;
import org.smoothing4j.model.ScoredGradient;
import org.smoothing4j.noise.NoiseSource;

/**
 * A denoiser's training objective on one batch (Salman et al. 2020, {@code code/train_denoiser.py}, METHODS 4a): the
 * loss L (a mean over the batch) of the denoised images D(x + delta) and dL/dD, which {@link DnCnn#step} carries
 * into the weights.
 * <ul>
 *   <li>{@link Mse}: the mean over pixels of (D(x + delta) - x)^2 (PyTorch's MSELoss, reduction 'mean');</li>
 *   <li>{@link StabilityBackprop}: CE(f(D(x + delta)), argmax f(x)), the classifier's own clean prediction as the
 *   label, with the gradient through f by backprop (f a DL4J network);</li>
 *   <li>{@link StabilityStein}: the same loss through a black box: Stein's lemma on the Gaussian smoothing of the
 *   loss at D(x + delta), grad E[l(z + mu u)] = E[u (l(z + mu u) - b)] / mu for u ~ N(0, I), from q queries per image
 *   with the leave-one-out baseline b ({@link SteinGradient}, unbiased for the smoothed loss). Zhang et al. 2022
 *   (ZO-AE-DS) use the same forward-difference form with u on the sphere (RGE, q + 1 queries) and mu = 0.005;
 *   their autoencoder, which estimates in a 192-dimensional latent space instead of the pixels, is not built
 *   here: the estimate is in the 784 pixels, ZO-DS in their Table 1.</li>
 * </ul>
 */
public sealed interface DenoiserLoss permits DenoiserLoss.Mse, DenoiserLoss.StabilityBackprop,
        DenoiserLoss.StabilityStein {

    /** The loss, dL/dD of each image [b, c, h, w] and how many classifier queries (images) it cost. */
    record Value(double loss, INDArray gradient, long queries) {}

    /**
     * @param denoised D(x + delta), [b, c, h, w]
     * @param clean    x
     * @param labels   the classifier's predictions on x (the stability objective's labels)
     */
    Value evaluate(INDArray denoised, INDArray clean, int[] labels);

    List<String> GRADIENTS = List.of("backprop", "stein");

    record Mse() implements DenoiserLoss {
        @Override
        public Value evaluate(INDArray denoised, INDArray clean, int[] labels) {
            INDArray diff = denoised.sub(clean.castTo(denoised.dataType()));
            double loss = diff.norm2Number().doubleValue();
            loss = loss * loss / diff.length();
            return new Value(loss, diff.muli(2.0 / diff.length()), 0);
        }
    }

    record StabilityBackprop(Differentiable classifier) implements DenoiserLoss {
        @Override
        public Value evaluate(INDArray denoised, INDArray clean, int[] labels) {
            INDArray oneHot = NoisyCopies.oneHot(labels, 1, classifier.numClasses(), denoised.dataType());
            ScoredGradient s = classifier.scoresAndInputGradient(denoised, oneHot);
            double loss = crossEntropy(s.probabilities(), labels);
            return new Value(loss, s.inputGradient().reshape(denoised.shape()).divi(labels.length), labels.length);
        }
    }

    /**
     * @param queries q, the noisy queries per image and step
     * @param mu      the smoothing radius of the estimate (0.005 as Zhang et al.)
     */
    record StabilityStein(Classifier classifier, int queries, double mu, NoiseSource noise) implements DenoiserLoss {
        public StabilityStein {
            if (queries < 2) {
                throw new IllegalArgumentException("--queries must be at least 2 (the leave-one-out baseline), got "
                        + queries);
            }
            if (!(mu > 0) || Double.isInfinite(mu)) {
                throw new IllegalArgumentException("--mu must be a finite number > 0, got " + mu);
            }
        }

        @Override
        public Value evaluate(INDArray denoised, INDArray clean, int[] labels) {
            long[] shape = denoised.shape();
            INDArray deltas = Nd4j.create(denoised.dataType(), (long) labels.length * queries, shape[1], shape[2],
                    shape[3]);
            noise.fill(deltas, mu);
            SteinGradient.Estimate e = new SteinGradient(mu, true, false).estimate(classifier, denoised, deltas, labels,
                    SteinGradient.Target.LOSS);
            double loss = Transforms.log(e.fy(), true).negi().meanNumber().doubleValue();
            return new Value(loss, e.gradient().reshape(shape).divi(labels.length), (long) labels.length * queries);
        }
    }

    /** Mean over the rows of -log p[label], p clamped at 1e-12. */
    static double crossEntropy(INDArray probabilities, int[] labels) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum -= Math.log(Math.max(1e-12, probabilities.getDouble(i, labels[i])));
        }
        return sum / labels.length;
    }
}
