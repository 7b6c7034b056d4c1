package org.smoothing4j.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What an attack maximises for an example with m noise copies, as a function of the true class's probabilities
 * F_y(x' + n_i), i = 1..m. Its gradient with respect to x' is a weighted sum of the copies' cross-entropy
 * gradients, sum_i w_i d(-log F_y(x' + n_i))/dx'; {@link #copyWeights} gives the w_i.
 */
public enum Objective {
    /**
     * Objective (S) of SmoothAdv: J = -log((1/m) sum_i F_y(x' + n_i)), the cross-entropy of the soft smoothed
     * classifier. Weights w_i = F_y,i / sum_j F_y,j (since dF_y = -F_y d(-log F_y)); 1/m where every F_y,i is 0.
     */
    SMOOTH,
    /** The naive objective: J = (1/m) sum_i -log F_y(x' + n_i), attacking the base classifier under noise. w_i = 1/m. */
    NAIVE;

    /** Per-copy weights [B, m] from the true-class probabilities fy [B, m]. */
    public INDArray copyWeights(INDArray fy) {
        if (this == NAIVE) {
            return fy.like().assign(1.0 / fy.size(1));
        }
        INDArray sums = fy.sum(true, 1);
        INDArray w = fy.divColumnVector(sums);
        for (long b = 0; b < fy.size(0); b++) {
            if (!(sums.getDouble(b, 0) > 0)) {
                // every copy's F_y underflowed to 0 (a confident wrong base classifier in float): the ratio is
                // 0/0, and its limit depends on log-probabilities the softmax output no longer holds; weigh the
                // copies equally (the naive objective's weights) instead of returning NaN
                w.getRow(b).assign(1.0 / fy.size(1));
            }
        }
        return w;
    }

    /** The objective's value per example [B] from fy [B, m]. */
    public INDArray loss(INDArray fy) {
        if (this == NAIVE) {
            return Transforms.log(fy, true).neg().mean(1);
        }
        return Transforms.log(fy.mean(1), true).neg();
    }
}
