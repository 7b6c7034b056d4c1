package org.smoothing4j.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smoothing4j.model.Classifier;

/**
 * Gradients of the smoothed objective from forward passes only, by Stein's lemma (Salman et al., appendix): for
 * delta ~ N(0, sigma^2 I) and any h, grad_x E[h(x + delta)] = E[delta h(x + delta)] / sigma^2. With
 * h = F_y this estimates grad G_y, and the smooth objective's gradient is -grad G_y / G_y; with h = -log F_y it
 * is the naive objective's gradient directly. Two variance reductions, each keeping the estimate of grad E[h]
 * unbiased:
 * <ul>
 *   <li>{@code baseline}: subtract from each h_i the mean of the other copies' values (a leave-one-out control
 *       variate, independent of delta_i, so E[delta_i b_i] = 0);</li>
 *   <li>{@code antithetic}: use the pairs (+delta, -delta) built from the first half of the copies:
 *       delta (h(x + delta) - h(x - delta)) / 2 per pair (m must then be even). A constant baseline cancels
 *       within each pair, so with both flags no baseline is applied.</li>
 * </ul>
 * The reference implementation uses neither ({@link #plain}).
 */
public record SteinGradient(double sigma, boolean baseline, boolean antithetic) implements GradientSource {

    public SteinGradient {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        }
    }

    public static SteinGradient plain(double sigma) {
        return new SteinGradient(sigma, false, false);
    }

    @Override
    public Evaluation evaluate(Classifier f, INDArray adv, INDArray noise, int[] labels, Objective objective) {
        int batch = labels.length;
        int m = (int) (noise.size(0) / batch);
        Estimate e = estimate(f, adv, noise, labels, objective == Objective.SMOOTH ? Target.PROBABILITY : Target.LOSS);
        INDArray gradient = objective == Objective.SMOOTH
                ? e.gradient().diviColumnVector(e.fy().mean(true, 1)).negi()
                : e.gradient();
        return new Evaluation(objective.loss(e.fy()), gradient.reshape(adv.shape()),
                NoisyCopies.smoothedPredictions(e.probs(), batch, m));
    }

    /** Which expectation's gradient to estimate: of F_y (the soft smoothed probability G_y) or of -log F_y. */
    public enum Target { PROBABILITY, LOSS }

    /**
     * @param gradient the estimate of grad_x E[h(x + delta)] per example, [B, d]
     * @param fy       F_y of each copy, [B, m]
     * @param probs    all probabilities of the copies, [B*m, classes]
     */
    public record Estimate(INDArray gradient, INDArray fy, INDArray probs) {}

    /**
     * The Stein estimate (1 / sigma^2) mean_i delta_i (h_i - b_i) of grad_x E[h(x + delta)], unbiased for every
     * setting of the variance reductions; {@code noise} holds the m draws delta_i of each example.
     */
    public Estimate estimate(Classifier f, INDArray x, INDArray noise, int[] labels, Target target) {
        int batch = labels.length;
        int m = (int) (noise.size(0) / batch);
        long d = x.length() / batch;
        INDArray deltas = noise.reshape((long) batch * m, d);
        if (antithetic) {
            if (m % 2 != 0) {
                throw new IllegalArgumentException("antithetic Stein estimates need an even number of copies, got " + m);
            }
            deltas = antitheticPairs(deltas, batch, m, d);
        }
        INDArray probs = f.scores(NoisyCopies.add(x, deltas.reshape(noise.shape()), m));
        INDArray fy = NoisyCopies.trueClassProbabilities(probs, labels, m);
        INDArray h = target == Target.PROBABILITY ? fy : Transforms.log(fy, true).negi();
        // with antithetic pairs any baseline cancels within a pair, and a leave-one-out baseline would include the
        // partner h(x - delta_i), which is not independent of delta_i (bias); so pairs use none
        INDArray centred = baseline && !antithetic && m > 1 ? leaveOneOutCentred(h) : h;
        INDArray gradient = NoisyCopies.weightedSum(deltas, centred).divi(m * sigma * sigma);
        return new Estimate(gradient, fy, probs);
    }

    /** h_i - mean_{j != i} h_j for each example's row of copies [B, m]. */
    static INDArray leaveOneOutCentred(INDArray h) {
        long m = h.size(1);
        INDArray others = h.rsubColumnVector(h.sum(true, 1)).divi(m - 1);
        return h.sub(others);
    }

    /** Rows of each example's copies replaced by n_1..n_{m/2}, -n_1..-n_{m/2}. */
    private static INDArray antitheticPairs(INDArray deltas, int batch, int m, long d) {
        INDArray pairs = deltas.dup().reshape(batch, m, d);
        INDArray firstHalf = pairs.get(NDArrayIndex.all(), NDArrayIndex.interval(0, m / 2), NDArrayIndex.all());
        pairs.get(NDArrayIndex.all(), NDArrayIndex.interval(m / 2, m), NDArrayIndex.all()).assign(firstHalf.neg());
        return pairs.reshape((long) batch * m, d);
    }
}
