package org.smoothing4j.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.certify.Statistics;
import org.smoothing4j.model.LogitLoss;

/**
 * MACER's loss (Zhai et al., "MACER: Attack-free and Scalable Robust Training via Maximizing Certified Radius", ICLR
 * 2020; SPEC 13) on the logits of k noisy copies per image (example-major rows): with z = mean_i softmax(f(x +
 * d_i)) and zb = mean_i softmax(beta f(x + d_i)), the classification loss -log(z_y + 1e-10) of every image, and, for
 * the images whose zb ranks y first, the robustness loss (sigma / 2) (gamma + Phi^-1(zb_2nd) - Phi^-1(zb_y)) where
 * that gap is finite and at most gamma (a hinge on the certified radius); L = (sum CL + lambda sum RL) / B.
 */
record MacerLoss(int[] labels, int k, double sigma, double beta, double gamma, double lambda) implements LogitLoss {
    private static final double EPS = 1e-10;

    @Override
    public Evaluation evaluate(INDArray logits) {
        double[][] z = SoftmaxRows.rows(logits);
        int images = labels.length, classes = z[0].length;
        double[][] dz = new double[z.length][];
        double total = 0;
        for (int b = 0; b < images; b++) {
            int y = labels[b];
            double[][] p = new double[k][], q = new double[k][];
            double[] mean = new double[classes], tempered = new double[classes];
            for (int i = 0; i < k; i++) {
                p[i] = SoftmaxRows.exp(SoftmaxRows.logSoftmax(z[b * k + i], 1));
                q[i] = SoftmaxRows.exp(SoftmaxRows.logSoftmax(z[b * k + i], beta));
                for (int c = 0; c < classes; c++) {
                    mean[c] += p[i][c] / k;
                    tempered[c] += q[i][c] / k;
                }
            }
            total += -Math.log(mean[y] + EPS);
            double dMeanY = -1 / (mean[y] + EPS); // dCL/dz_y of the mean softmax
            double[] dTempered = new double[classes];
            int top = argmax(tempered), second = secondOf(tempered, top);
            if (top == y) {
                double gap = Statistics.normalQuantile(tempered[second]) - Statistics.normalQuantile(tempered[y]);
                if (Double.isFinite(gap) && Math.abs(gap) <= gamma) {
                    total += lambda * sigma / 2 * (gamma + gap);
                    dTempered[second] = lambda * sigma / 2 / density(tempered[second]);
                    dTempered[y] = -lambda * sigma / 2 / density(tempered[y]);
                }
            }
            for (int i = 0; i < k; i++) {
                double[] gp = new double[classes], gq = new double[classes];
                gp[y] = dMeanY / k;
                for (int c = 0; c < classes; c++) {
                    gq[c] = dTempered[c] / k;
                }
                double[] fromP = SoftmaxRows.backward(p[i], null, gp), fromQ = SoftmaxRows.backward(q[i], null, gq);
                double[] d = new double[classes];
                for (int c = 0; c < classes; c++) {
                    d[c] = (fromP[c] + beta * fromQ[c]) / images;
                }
                dz[b * k + i] = d;
            }
        }
        return new Evaluation(total / images, SoftmaxRows.array(dz, logits.dataType()));
    }

    /** The standard normal density at Phi^-1(p): d Phi^-1(p) / dp = 1 / this. */
    private static double density(double p) {
        double x = Statistics.normalQuantile(p);
        return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int c = 1; c < v.length; c++) {
            if (v[c] > v[best]) {
                best = c;
            }
        }
        return best;
    }

    private static int secondOf(double[] v, int top) {
        int best = top == 0 ? 1 : 0;
        for (int c = 0; c < v.length; c++) {
            if (c != top && v[c] > v[best]) {
                best = c;
            }
        }
        return best;
    }
}
