package org.smoothing4j.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ONNX model that computes a classifier's probabilities and its input gradient in one run (as
 * {@code OnnxExport.withInputGradient} writes it: inputs an image batch and one-hot labels, outputs the
 * probabilities and d(summed cross-entropy)/d(input)), run by ONNX Runtime.
 */
public final class OnnxInputGradient implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    private final String labels;
    private final long[] inputShape;
    private final int classes;

    /** What one run gives: probabilities [b, classes] and the input gradient, shape of the batch (new arrays). */
    public record Result(INDArray probabilities, INDArray gradient) {}

    private OnnxInputGradient(OrtEnvironment env, OrtSession session, String input, String labels, long[] inputShape,
            int classes) {
        this.env = env;
        this.session = session;
        this.input = input;
        this.labels = labels;
        this.inputShape = inputShape;
        this.classes = classes;
    }

    /**
     * The model given as bytes, with inputs named {@code input} [b, c, h, w] and {@code labels} [b, classes], run on
     * {@code intraOpThreads} threads per call (an attack's gradient is one call from one thread).
     */
    public static OnnxInputGradient fromBytes(byte[] model, String input, String labels, long[] inputShape,
            int classes, int intraOpThreads) throws IOException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = OnnxClassifier.options(intraOpThreads)) {
            OrtSession session = env.createSession(model, options);
            if (!session.getInputNames().containsAll(List.of(input, labels)) || session.getOutputNames().size() != 2) {
                session.close();
                throw new IOException("an input-gradient model takes '" + input + "' and '" + labels
                        + "' and gives two outputs; this one takes " + session.getInputNames() + " and gives "
                        + session.getOutputNames());
            }
            return new OnnxInputGradient(env, session, input, labels, inputShape.clone(), classes);
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime cannot load the input-gradient model (" + e.getMessage() + ")", e);
        }
    }

    /** Probabilities and input gradient of a batch [b, c, h, w] with one-hot labels [b, classes]; inputs unchanged. */
    public Result run(INDArray batch, INDArray oneHot) {
        long[] shape = batch.shape();
        if (shape.length != 4 || !Arrays.equals(Arrays.copyOfRange(shape, 1, 4), inputShape)
                || oneHot.rank() != 2 || oneHot.size(0) != shape[0] || oneHot.size(1) != classes) {
            throw new IllegalArgumentException("batch " + Arrays.toString(shape) + " with labels "
                    + Arrays.toString(oneHot.shape()) + " for a model taking " + Arrays.toString(inputShape)
                    + " and " + classes + " classes");
        }
        INDArray x = FloatTensors.dense(batch), y = FloatTensors.dense(oneHot);
        try (OnnxTensor tx = FloatTensors.view(env, x); OnnxTensor ty = FloatTensors.view(env, y);
                OrtSession.Result result = session.run(Map.of(input, tx, labels, ty))) {
            return new Result(copy((OnnxTensor) result.get(0), shape[0], classes), copy((OnnxTensor) result.get(1),
                    shape));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the input gradient of a batch of shape "
                    + Arrays.toString(shape) + " (" + e.getMessage() + ")", e);
        } finally {
            java.lang.ref.Reference.reachabilityFence(x); // FloatTensors.view says why
            java.lang.ref.Reference.reachabilityFence(y);
        }
    }

    private static INDArray copy(OnnxTensor t, long... shape) {
        FloatBuffer b = t.getFloatBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        if (v.length != Arrays.stream(shape).reduce(1, (p, q) -> p * q)) {
            throw new IllegalStateException("the input-gradient model gave " + v.length
                    + " values for a result of shape " + Arrays.toString(shape));
        }
        return Nd4j.create(v, shape, 'c');
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing left to release that the caller could act on
        }
    }
}
