package org.smoothing4j.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.model.LogitLoss;

/**
 * SmoothMix's loss (Jeong et al., "SmoothMix: Training Confidence-calibrated Smoothed Classifiers for Certified
 * Robustness", NeurIPS 2021; SPEC 13) on 2 B m rows of logits: the m clean noisy copies of each of the B images
 * (example-major), then the m noisy copies of each mixed image x_mix = (1 - lam) x_s + lam x_adv. With F the mean
 * softmax of an image's clean copies and the target t = (1 - lam) F + lam / K: L = mean over the clean rows of
 * CE(p, y) + eta_w mean over the mixed rows of [F ranks y first] KL(t || softmax(f(x_mix + d_i))), eta_w = eta times
 * the warm-up factor. As in the public code the gradient flows through the target into the clean copies too.
 *
 * @param lambdas lam of each image, in [0, 1/2)
 */
record SmoothMixLoss(int[] labels, int m, double[] lambdas, double eta) implements LogitLoss {

    @Override
    public Evaluation evaluate(INDArray logits) {
        double[][] z = SoftmaxRows.rows(logits);
        int images = labels.length, classes = z[0].length, clean = images * m;
        double rows = clean;
        double[][] dz = new double[z.length][];
        double total = 0;
        for (int b = 0; b < images; b++) {
            int y = labels[b];
            double[][] p = new double[m][];
            double[] mean = new double[classes];
            for (int i = 0; i < m; i++) {
                double[] logp = SoftmaxRows.logSoftmax(z[b * m + i], 1);
                p[i] = SoftmaxRows.exp(logp);
                total += -logp[y] / rows;
                for (int c = 0; c < classes; c++) {
                    mean[c] += p[i][c] / m;
                }
            }
            boolean correct = MacerLoss.argmax(mean) == y;
            double lam = lambdas[b];
            double[] target = new double[classes];
            for (int c = 0; c < classes; c++) {
                target[c] = (1 - lam) * mean[c] + lam / classes;
            }
            double[] dTarget = new double[classes];
            for (int i = 0; i < m; i++) {
                double[] d = new double[classes];
                if (correct) {
                    double[] logr = SoftmaxRows.logSoftmax(z[clean + b * m + i], 1);
                    for (int c = 0; c < classes; c++) {
                        double logt = Math.log(target[c]);
                        total += eta / rows * target[c] * (logt - logr[c]);
                        d[c] = eta / rows * (Math.exp(logr[c]) - target[c]); // dKL/dz_mix = r - t
                        dTarget[c] += eta / rows * (logt + 1 - logr[c]);
                    }
                }
                dz[clean + b * m + i] = d;
            }
            for (int i = 0; i < m; i++) {
                double[] g = new double[classes]; // dL/dp_i through t: dTarget (1 - lam) / m
                for (int c = 0; c < classes; c++) {
                    g[c] = dTarget[c] * (1 - lam) / m;
                }
                double[] d = SoftmaxRows.backward(p[i], null, g);
                for (int c = 0; c < classes; c++) {
                    d[c] += (p[i][c] - (c == y ? 1 : 0)) / rows;
                }
                dz[b * m + i] = d;
            }
        }
        return new Evaluation(total, SoftmaxRows.array(dz, logits.dataType()));
    }
}
