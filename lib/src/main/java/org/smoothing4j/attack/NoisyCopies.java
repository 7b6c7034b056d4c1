package org.smoothing4j.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Helpers for the example-major layout of m noisy copies per example. */
public final class NoisyCopies {
    private NoisyCopies() {}

    /**
     * Each row of x [B, ...] repeated m times (example-major) plus noise [B*m, ...]; a new array, equal to
     * {@code x.repeat(0, m).addi(noise)}. One addition per copy index into strided views: ND4J's {@code repeat}
     * was 10% of a SmoothAdv training step of the MLP (perf).
     */
    public static INDArray add(INDArray x, INDArray noise, int m) {
        long b = x.size(0), d = x.length() / b;
        if (noise.size(0) != b * m || noise.length() != b * m * d) {
            throw new IllegalArgumentException("noise " + java.util.Arrays.toString(noise.shape()) + " is not " + m
                    + " copies of x " + java.util.Arrays.toString(x.shape()));
        }
        INDArray out = Nd4j.createUninitialized(noise.dataType(), noise.shape(), 'c');
        INDArray rows = x.reshape('c', b, d);
        INDArray copies = out.reshape('c', b, m, d);
        INDArray noises = noise.reshape('c', b, m, d);
        for (int i = 0; i < m; i++) {
            Nd4j.exec(new AddOp(rows, noises.get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all()),
                    copies.get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all())));
        }
        return out;
    }

    /** One-hot labels [B*m, classes] for the copies. */
    public static INDArray oneHot(int[] labels, int m, int classes, org.nd4j.linalg.api.buffer.DataType type) {
        INDArray y = Nd4j.zeros(type, (long) labels.length * m, classes);
        for (int b = 0; b < labels.length; b++) {
            for (int i = 0; i < m; i++) {
                y.putScalar((long) b * m + i, labels[b], 1.0);
            }
        }
        return y;
    }

    /** The true class's probability of each copy as [B, m] from probabilities [B*m, classes]. */
    public static INDArray trueClassProbabilities(INDArray probs, int[] labels, int m) {
        INDArray fy = Nd4j.create(probs.dataType(), labels.length, m);
        for (int b = 0; b < labels.length; b++) {
            for (int i = 0; i < m; i++) {
                fy.putScalar(b, i, probs.getDouble((long) b * m + i, labels[b]));
            }
        }
        return fy;
    }

    /** Argmax over classes of the mean probabilities of each example's m copies. */
    public static int[] smoothedPredictions(INDArray probs, int examples, int m) {
        INDArray mean = probs.reshape(examples, m, probs.size(1)).mean(1);
        return mean.argMax(1).toIntVector();
    }
}
