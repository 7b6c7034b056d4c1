package org.smoothing4j.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ONNX model from an image batch [b, c, h, w] to an image batch of the same shape, run by ONNX Runtime: the
 * inference of smoothing4j's denoiser ({@code OnnxExport.residual}). One ONNX Runtime thread per call; ONNX Runtime
 * allows concurrent calls on one session, so sampling threads share it as they share an {@link OnnxClassifier}.
 */
public final class OnnxImageMap implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final long[] imageShape;
    private final String name;

    private OnnxImageMap(OrtEnvironment env, OrtSession session, String inputName, long[] imageShape, String name) {
        this.env = env;
        this.session = session;
        this.inputName = inputName;
        this.imageShape = imageShape;
        this.name = name;
    }

    /** A model given as bytes; {@code name} stands for it in messages. */
    public static OnnxImageMap fromBytes(byte[] model, long[] imageShape, String name) {
        try {
            return OnnxSessions.open(model, name, 1, (env, session) -> new OnnxImageMap(env, session,
                    session.getInputNames().iterator().next(), imageShape.clone(), name));
        } catch (IOException e) { // our own export: a model that does not load is a defect here, not bad input
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The model's output, a new float array [b, c, h, w] in 'c' order; the batch is not changed. */
    public INDArray apply(INDArray batch) {
        long[] shape = batch.shape();
        if (shape.length != 4 || !Arrays.equals(Arrays.copyOfRange(shape, 1, 4), imageShape)) {
            throw new IllegalArgumentException(name + ": a batch of shape " + Arrays.toString(shape) + " for images of "
                    + "shape " + Arrays.toString(imageShape));
        }
        INDArray dense = FloatTensors.dense(batch);
        try (OnnxTensor input = FloatTensors.view(env, dense);
                OrtSession.Result result = session.run(Map.of(inputName, input))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            if (out.remaining() != batch.length()) {
                throw new IllegalStateException(name + ": the model gave " + out.remaining() + " values for a batch of "
                        + batch.length());
            }
            INDArray images = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
            images.data().asNioFloat().put(out);
            return images;
        } catch (OrtException e) {
            throw new IllegalStateException(name + ": ONNX Runtime failed on a batch of shape "
                    + Arrays.toString(shape) + " (" + e.getMessage() + ")", e);
        } finally {
            java.lang.ref.Reference.reachabilityFence(dense); // FloatTensors.view says why
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(name + ": closing its ONNX Runtime session failed", e);
        }
    }
}
