package org.smoothing4j.attack;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Helpers for the example-major layout of m noisy copies per example. */
public final class NoisyCopies {
    private NoisyCopies() {}

    /**
     * Each row of x [B, ...] repeated m times (example-major) plus noise [B*m, ...]; a new array, equal to
     * {@code x.repeat(0, m).addi(noise)} bit for bit. Dense float arrays are added in one Java pass over the native
     * buffers: ND4J's {@code repeat} was 10% of the MLP's SmoothAdv step (perf), and an addition per copy into
     * strided views still took 1.2 ms for 200k values (libnd4j's index arithmetic for strided operands).
     */
    public static INDArray add(INDArray x, INDArray noise, int m) {
        long b = x.size(0), d = x.length() / b;
        if (noise.size(0) != b * m || noise.length() != b * m * d) {
            throw new IllegalArgumentException("noise " + Arrays.toString(noise.shape()) + " is not " + m
                    + " copies of x " + Arrays.toString(x.shape()));
        }
        INDArray out = Nd4j.createUninitialized(noise.dataType(), noise.shape(), 'c');
        if (denseFloat(x) && denseFloat(noise)) {
            FloatBuffer xs = x.data().asNioFloat(), ns = noise.data().asNioFloat(), os = out.data().asNioFloat();
            int xAt = Math.toIntExact(x.offset()), nAt = Math.toIntExact(noise.offset());
            int rowLength = Math.toIntExact(d), copies = Math.toIntExact(b * m);
            float[] image = new float[rowLength], row = new float[rowLength];
            for (int r = 0; r < copies; r++) {
                if (r % m == 0) {
                    xs.get(xAt + (r / m) * rowLength, image, 0, rowLength);
                }
                ns.get(nAt + r * rowLength, row, 0, rowLength);
                for (int k = 0; k < rowLength; k++) {
                    row[k] = image[k] + row[k];
                }
                os.put(r * rowLength, row, 0, rowLength);
            }
            java.lang.ref.Reference.reachabilityFence(x); // the buffers read memory the arrays own (see Checkpoint.digest)
            java.lang.ref.Reference.reachabilityFence(noise);
            return out;
        }
        INDArray rows = x.reshape('c', b, d);
        INDArray copies = out.reshape('c', b, m, d);
        INDArray noises = noise.reshape('c', b, m, d);
        for (int i = 0; i < m; i++) {
            Nd4j.exec(new AddOp(rows, noises.get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all()),
                    copies.get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all())));
        }
        return out;
    }

    /**
     * Each example's weighted sum of its copies' rows: perCopy [B*m, d] and weights [B, m] give [B, d] with row b
     * = sum_i weights[b, i] perCopy[b*m + i]. Dense float arrays in one Java pass (as {@link #add}: the
     * multiplication and the sum over the middle axis of [B, m, d] took 0.8 ms in the MLP's attack step).
     */
    public static INDArray weightedSum(INDArray perCopy, INDArray weights) {
        long b = weights.size(0), m = weights.size(1), d = perCopy.length() / (b * m);
        if (perCopy.size(0) != b * m) {
            throw new IllegalArgumentException("expected " + b + " x " + m + " rows of copies, got "
                    + Arrays.toString(perCopy.shape()));
        }
        if (!denseFloat(perCopy) || perCopy.dataType() != weights.dataType()) {
            INDArray weighted = perCopy.reshape(b * m, d).mulColumnVector(weights.reshape(b * m, 1));
            return weighted.reshape(b, m, d).sum(1);
        }
        float[] w = weights.dup('c').data().asFloat();
        FloatBuffer in = perCopy.data().asNioFloat();
        int inAt = Math.toIntExact(perCopy.offset()), rowLength = Math.toIntExact(d), copies = Math.toIntExact(m);
        float[] sum = new float[Math.toIntExact(b * d)], row = new float[rowLength];
        for (int e = 0; e < b; e++) {
            for (int i = 0; i < copies; i++) {
                float wi = w[e * copies + i];
                in.get(inAt + (e * copies + i) * rowLength, row, 0, rowLength);
                int at = e * rowLength;
                for (int k = 0; k < rowLength; k++) {
                    sum[at + k] += row[k] * wi;
                }
            }
        }
        java.lang.ref.Reference.reachabilityFence(perCopy); // the buffer read memory perCopy owns
        return Nd4j.createFromArray(sum).reshape(b, d);
    }

    /**
     * A float array whose elements lie in c order one after another in its buffer, from its offset on: ND4J's own
     * test, as {@code ZigguratNoise} writes its fills (c order and element-wise stride 1).
     */
    private static boolean denseFloat(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.ordering() == 'c' && a.elementWiseStride() == 1 && !a.isEmpty();
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
