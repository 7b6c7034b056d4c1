package org.smoothing4j.model.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A diffusion model's noise prediction eps_theta(x_t, t) imported as ONNX, run by ONNX Runtime: two inputs, the image
 * batch x_t (float [b, c, h, w]) and the timestep t (one per image, [b], int64, int32 or float, as the exporter
 * wrote it: DDPM and improved-diffusion take integer steps); which input is which is read from their ranks.
 * The output is eps [b, c, h, w], or [b, 2c, h, w] for models that also learn their variance (improved-diffusion's
 * {@code learn_sigma=True}, as the CIFAR-10 checkpoint of Carlini et al. 2023): then the first c channels are eps
 * (improved-diffusion's {@code model_output, model_var_values = th.split(model_output, C, dim=1)}).
 * One ONNX Runtime thread per call; sampling threads share the session (ONNX Runtime allows concurrent runs).
 */
public final class OnnxNoisePredictor implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Path file;
    private final String imageInput;
    private final String stepInput;
    private final OnnxJavaType stepType;
    private final long[] imageShape;

    private OnnxNoisePredictor(OrtEnvironment env, OrtSession session, Path file, String imageInput, String stepInput,
            OnnxJavaType stepType, long[] imageShape) {
        this.env = env;
        this.session = session;
        this.file = file;
        this.imageInput = imageInput;
        this.stepInput = stepInput;
        this.stepType = stepType;
        this.imageShape = imageShape;
    }

    /** Loads and checks the model; refuses, naming the file and what it found, a model without the two inputs. */
    public static OnnxNoisePredictor load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": diffusion model not found (expected an ONNX noise-prediction model .onnx)");
        }
        return OnnxSessions.open(file, 1, (env, session) -> check(file, env, session));
    }

    private static OnnxNoisePredictor check(Path file, OrtEnvironment env, OrtSession session) throws IOException {
        String expected = ", expected a diffusion model's two inputs: x_t [batch, channels, height, width] (float) and "
                + "the timestep t [batch] (integer or float)";
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (inputs.size() != 2) {
                throw new IOException(file + ": the model takes " + inputs.size() + " inputs " + inputs.keySet()
                        + expected);
            }
            String image = null, step = null;
            OnnxJavaType stepType = null;
            long[] shape = null;
            for (NodeInfo in : inputs.values()) {
                if (!(in.getInfo() instanceof TensorInfo t)) {
                    throw new IOException(file + ": input '" + in.getName() + "' is not a tensor" + expected);
                }
                if (t.getShape().length == 4 && t.type == OnnxJavaType.FLOAT) {
                    image = in.getName();
                    shape = Arrays.copyOfRange(t.getShape(), 1, 4);
                } else if (t.getShape().length == 1 && (t.type == OnnxJavaType.INT64 || t.type == OnnxJavaType.INT32
                        || t.type == OnnxJavaType.FLOAT)) {
                    step = in.getName();
                    stepType = t.type;
                }
            }
            if (image == null || step == null) {
                throw new IOException(file + ": inputs " + inputs.keySet() + " are not an image batch and a timestep"
                        + expected);
            }
            if (shape[0] < 1 || shape[1] < 1 || shape[2] < 1) {
                throw new IOException(file + ": input '" + image + "' has dynamic image sizes "
                        + Arrays.toString(shape) + " (-1); export it with fixed channels, height and width");
            }
            return new OnnxNoisePredictor(env, session, file, image, step, stepType, shape);
        } catch (OrtException e) {
            throw new IOException(file + ": cannot read the model's inputs (" + e.getMessage() + ")", e);
        }
    }

    /** The image shape [c, h, w] the model takes. */
    public long[] imageShape() {
        return imageShape.clone();
    }

    /** eps_theta(x_t, t) with one t for the whole batch: a new float array [b, c, h, w]; x_t is not changed. */
    public INDArray predict(INDArray xt, int t) {
        long[] shape = xt.shape();
        if (shape.length != 4 || !Arrays.equals(Arrays.copyOfRange(shape, 1, 4), imageShape)) {
            throw new IllegalArgumentException(file + ": a batch of shape " + Arrays.toString(shape) + " for images of "
                    + "shape " + Arrays.toString(imageShape));
        }
        int b = (int) shape[0];
        INDArray dense = FloatTensors.dense(xt);
        try (OnnxTensor x = FloatTensors.view(env, dense); OnnxTensor step = steps(b, t);
                OrtSession.Result result = session.run(Map.of(imageInput, x, stepInput, step))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            long per = xt.length() / b;
            if (out.remaining() != xt.length() && out.remaining() != 2 * xt.length()) {
                throw new IllegalStateException(file + ": the model gave " + out.remaining() + " values for a batch of "
                        + xt.length() + ", expected eps of the same shape (or twice the channels: eps and variance)");
            }
            INDArray eps = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
            FloatBuffer into = eps.data().asNioFloat();
            if (out.remaining() == xt.length()) {
                into.put(out);
            } else { // [b, 2c, h, w]: per image, its first c channels
                float[] row = new float[(int) per];
                for (int i = 0; i < b; i++) {
                    out.position((int) (2 * per * i));
                    out.get(row);
                    into.put(row);
                }
            }
            return eps;
        } catch (OrtException e) {
            throw new IllegalStateException(file + ": ONNX Runtime failed on a batch of shape " + Arrays.toString(shape)
                    + " at t = " + t + " (" + e.getMessage() + ")", e);
        } finally {
            java.lang.ref.Reference.reachabilityFence(dense); // FloatTensors.view says why
        }
    }

    private OnnxTensor steps(int b, int t) throws OrtException {
        long[] shape = {b};
        return switch (stepType) {
            case INT64 -> {
                long[] v = new long[b];
                Arrays.fill(v, t);
                yield OnnxTensor.createTensor(env, v);
            }
            case INT32 -> {
                int[] v = new int[b];
                Arrays.fill(v, t);
                yield OnnxTensor.createTensor(env, v);
            }
            default -> {
                float[] v = new float[b];
                Arrays.fill(v, t);
                yield OnnxTensor.createTensor(env, FloatBuffer.wrap(v), shape);
            }
        };
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(file + ": closing its ONNX Runtime session failed", e);
        }
    }
}
