package org.smoothing4j.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smoothing4j.model.Network;

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
 *       delta (h(x + delta) - h(x - delta)) / 2 per pair (m must then be even).</li>
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
    public Evaluation evaluate(Network net, INDArray adv, INDArray noise, int[] labels, Objective objective) {
        int batch = labels.length;
        int m = (int) (noise.size(0) / batch);
        long d = adv.length() / batch;
        INDArray deltas = noise.reshape((long) batch * m, d);
        if (antithetic) {
            if (m % 2 != 0) {
                throw new IllegalArgumentException("antithetic Stein estimates need an even number of copies, got " + m);
            }
            deltas = antitheticPairs(deltas, batch, m, d);
        }
        INDArray probs = net.scores(NoisyCopies.add(adv, deltas.reshape(noise.shape()), m));
        INDArray fy = NoisyCopies.trueClassProbabilities(probs, labels, m);
        INDArray h = objective == Objective.SMOOTH ? fy : Transforms.log(fy, true).negi();
        INDArray centred = baseline && m > 1 ? leaveOneOutCentred(h) : h;
        // (1 / sigma^2) mean_i delta_i * centred_i, per example: [B, d]
        INDArray weighted = deltas.mulColumnVector(centred.reshape((long) batch * m, 1));
        INDArray gradH = weighted.reshape(batch, m, d).sum(1).divi(m * sigma * sigma);
        INDArray gradient = objective == Objective.SMOOTH
                ? gradH.diviColumnVector(fy.mean(true, 1)).negi()
                : gradH;
        return new Evaluation(objective.loss(fy), gradient.reshape(adv.shape()),
                NoisyCopies.smoothedPredictions(probs, batch, m));
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
