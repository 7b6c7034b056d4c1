package org.smoothing4j.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The rows of a batch's logits in double precision, with softmax, log-softmax and the softmax's backward pass. */
final class SoftmaxRows {
    private SoftmaxRows() {}

    static double[][] rows(INDArray logits) {
        int n = (int) logits.size(0), k = (int) logits.size(1);
        double[] flat = logits.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        double[][] z = new double[n][k];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * k, z[i], 0, k);
        }
        return z;
    }

    /** log softmax(scale * z), computed stably. */
    static double[] logSoftmax(double[] z, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, scale * v);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(scale * v - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[z.length];
        for (int c = 0; c < z.length; c++) {
            out[c] = scale * z[c] - log;
        }
        return out;
    }

    static double[] exp(double[] v) {
        double[] out = new double[v.length];
        for (int c = 0; c < v.length; c++) {
            out[c] = Math.exp(v[c]);
        }
        return out;
    }

    /**
     * dL/dz of p = softmax(z) from dL/dp = a / p + b (elementwise; the a / p part kept apart so that a probability
     * that underflows to 0 gives no 0 * infinity): p_c g_c - p_c sum_j p_j g_j with p_c g_c = a_c + p_c b_c.
     */
    static double[] backward(double[] p, double[] a, double[] b) {
        double dot = 0;
        for (int j = 0; j < p.length; j++) {
            dot += (a == null ? 0 : a[j]) + p[j] * (b == null ? 0 : b[j]);
        }
        double[] dz = new double[p.length];
        for (int c = 0; c < p.length; c++) {
            dz[c] = (a == null ? 0 : a[c]) + p[c] * (b == null ? 0 : b[c]) - p[c] * dot;
        }
        return dz;
    }

    /** An array [n, k] of the given type from rows. */
    static INDArray array(double[][] rows, DataType type) {
        int n = rows.length, k = rows[0].length;
        double[] flat = new double[n * k];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, flat, i * k, k);
        }
        return Nd4j.createFromArray(flat).reshape(n, k).castTo(type);
    }
}
