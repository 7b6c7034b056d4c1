package org.smoothing4j.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.model.LogitLoss;

/**
 * Consistency regularisation (Jeong &amp; Shin, "Consistency Regularization for Certified Robustness of Smoothed
 * Classifiers", NeurIPS 2020; SPEC 13) on the logits of m noisy copies per image (example-major rows): with p_i =
 * softmax(f(x + d_i)) and F = mean_i p_i, L = mean_{b,i} CE(p_i, y) + lambda mean_{b,i} KL(F || p_i) + eta mean_b
 * H(F). The gradient flows through F too.
 */
record ConsistencyLoss(int[] labels, int m, double lambda, double eta) implements LogitLoss {

    @Override
    public Evaluation evaluate(INDArray logits) {
        double[][] z = SoftmaxRows.rows(logits);
        int images = labels.length, classes = z[0].length;
        double rows = (double) images * m;
        double[][] dz = new double[z.length][];
        double total = 0;
        for (int b = 0; b < images; b++) {
            int y = labels[b];
            double[][] logp = new double[m][], p = new double[m][];
            double[] mean = new double[classes];
            for (int i = 0; i < m; i++) {
                logp[i] = SoftmaxRows.logSoftmax(z[b * m + i], 1);
                p[i] = SoftmaxRows.exp(logp[i]);
                for (int c = 0; c < classes; c++) {
                    mean[c] += p[i][c] / m;
                }
            }
            double[] logMean = new double[classes];
            double entropy = 0;
            for (int c = 0; c < classes; c++) {
                logMean[c] = Math.log(mean[c]);
                entropy -= mean[c] > 0 ? mean[c] * logMean[c] : 0;
            }
            // dL/dF_c: KL's dependence on F (summed over the copies) and the entropy's
            double[] dMean = new double[classes];
            for (int i = 0; i < m; i++) {
                double kl = 0;
                for (int c = 0; c < classes; c++) {
                    if (mean[c] > 0) {
                        kl += mean[c] * (logMean[c] - logp[i][c]);
                        dMean[c] += lambda / rows * (logMean[c] + 1 - logp[i][c]);
                    }
                }
                total += (-logp[i][y] + lambda * kl) / rows;
            }
            total += eta * entropy / images;
            for (int c = 0; c < classes; c++) {
                dMean[c] -= mean[c] > 0 ? eta / images * (logMean[c] + 1) : 0;
            }
            for (int i = 0; i < m; i++) {
                // dL/dp_i = a / p_i + b: a_c = -lambda F_c / rows (KL's -F_c log p_i,c), b_c = dMean_c / m
                double[] a = new double[classes], bb = new double[classes];
                for (int c = 0; c < classes; c++) {
                    a[c] = -lambda * mean[c] / rows;
                    bb[c] = dMean[c] / m;
                }
                double[] d = SoftmaxRows.backward(p[i], a, bb);
                for (int c = 0; c < classes; c++) {
                    d[c] += (p[i][c] - (c == y ? 1 : 0)) / rows; // the cross-entropy's p - e_y
                }
                dz[b * m + i] = d;
            }
        }
        return new Evaluation(total, SoftmaxRows.array(dz, logits.dataType()));
    }
}
