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
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.io.FileHash;
import org.smoothing4j.model.Classifier;

/**
 * An ONNX image classifier (e.g. a PyTorch model exported with {@code torch.onnx.export}) run by ONNX Runtime as a
 * base classifier: one float input [batch, channels, height, width] with a dynamic batch dimension, pixels in [0,1]
 * (the public certified models normalise inside, as their first layer), and class scores [batch, classes] as its
 * first output. Input shape and class count are read from the model. {@link #scores} returns softmax
 * probabilities (the model's own when its outputs already are probabilities, which a probe at load time tells), so
 * the Stein estimator gets F(x) as with smoothing4j's own networks. Inference only: attacks use forward-only
 * gradients (Stein) on these models.
 * <p>
 * Concurrency: ONNX Runtime allows concurrent {@code run} calls on one session; each session runs its operators on
 * {@code intraOpThreads} threads. {@link #concurrentCopy} shares this session (chosen by measurement, see
 * results/bench.md), so sampling on one thread per core runs one pipeline per thread, as for the native LeNet.
 */
public final class OnnxClassifier implements Classifier {
    private final Path file;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final long[] inputShape;
    private final int classes;
    private final boolean outputsProbabilities;
    private final String fingerprint;

    private OnnxClassifier(Path file, OrtEnvironment env, OrtSession session, String inputName, long[] inputShape,
            int classes, boolean outputsProbabilities, String fingerprint) {
        this.file = file;
        this.env = env;
        this.session = session;
        this.inputName = inputName;
        this.inputShape = inputShape;
        this.classes = classes;
        this.outputsProbabilities = outputsProbabilities;
        this.fingerprint = fingerprint;
    }

    /** Loads a model with one ONNX Runtime thread per call (sampling runs one call per core). */
    public static OnnxClassifier load(Path file) throws IOException {
        return load(file, 1);
    }

    /**
     * A model given as bytes (e.g. smoothing4j's own network exported by {@link OnnxExport}), run with
     * {@code intraOpThreads} threads per call; {@code name} stands for the file in messages.
     */
    public static OnnxClassifier fromBytes(byte[] model, String name, int intraOpThreads) throws IOException {
        return OnnxSessions.open(model, name, intraOpThreads,
                (env, session) -> check(Path.of(name), env, session, ""));
    }

    /** Loads and checks a model; refuses, naming the file and what it found, anything that is not an image classifier. */
    public static OnnxClassifier load(Path file, int intraOpThreads) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": model file not found (expected an ONNX model .onnx)");
        }
        String fingerprint = FileHash.sha256(file);
        return OnnxSessions.open(file, intraOpThreads, (env, session) -> check(file, env, session, fingerprint));
    }

    private static OnnxClassifier check(Path file, OrtEnvironment env, OrtSession session, String fingerprint)
            throws IOException {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (inputs.size() != 1) {
                throw new IOException(file + ": the model takes " + inputs.size() + " inputs " + inputs.keySet()
                        + ", expected one image batch [batch, channels, height, width]");
            }
            NodeInfo in = inputs.values().iterator().next();
            if (!(in.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
                throw new IOException(file + ": input '" + in.getName() + "' is " + describe(in)
                        + ", expected a float tensor [batch, channels, height, width]");
            }
            long[] shape = t.getShape();
            if (shape.length != 4 || shape[1] < 1 || shape[2] < 1 || shape[3] < 1) {
                throw new IOException(file + ": input '" + in.getName() + "' has shape " + Arrays.toString(shape)
                        + " (-1: dynamic), expected [batch, channels, height, width] with fixed image sizes");
            }
            if (shape[0] != -1) {
                throw new IOException(file + ": input '" + in.getName() + "' has a fixed batch size of " + shape[0]
                        + "; export it with dynamic_axes={'" + in.getName() + "': {0: 'batch'}}");
            }
            NodeInfo out = session.getOutputInfo().values().iterator().next();
            if (!(out.getInfo() instanceof TensorInfo o) || o.type != OnnxJavaType.FLOAT || o.getShape().length != 2
                    || o.getShape()[1] < 2) {
                throw new IOException(file + ": first output '" + out.getName() + "' is " + describe(out)
                        + ", expected class scores, a float tensor [batch, classes] with at least 2 classes");
            }
            long[] image = Arrays.copyOfRange(shape, 1, 4);
            int classes = Math.toIntExact(o.getShape()[1]);
            OnnxClassifier probe = new OnnxClassifier(file, env, session, in.getName(), image, classes, false,
                    fingerprint);
            float[] raw = probe.run(probeBatch(image));
            boolean probabilities = true;
            for (int r = 0; r < 2; r++) {
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    float v = raw[r * classes + c];
                    if (!Float.isFinite(v)) {
                        throw new IOException(file + ": the model outputs " + v + " on a probe image");
                    }
                    probabilities &= v >= 0;
                    sum += v;
                }
                probabilities &= Math.abs(sum - 1) < 1e-4;
            }
            return new OnnxClassifier(file, env, session, in.getName(), image, classes, probabilities, fingerprint);
        } catch (OrtException e) {
            throw new IOException(file + ": ONNX Runtime cannot run the model (" + OnnxSessions.firstLine(e) + ")", e);
        }
    }

    /** Two images: all zeros and all 0.5. */
    private static INDArray probeBatch(long[] image) {
        INDArray b = Nd4j.zeros(DataType.FLOAT, 2, image[0], image[1], image[2]);
        b.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).assign(0.5);
        return b;
    }

    /** Softmax probabilities [b, classes] of a batch [b, c, h, w] (float, any layout); the batch is not changed. */
    @Override
    public INDArray scores(INDArray batch) {
        float[] out;
        try {
            out = run(batch);
        } catch (OrtException e) {
            throw new IllegalStateException(file + ": ONNX Runtime failed on a batch of shape "
                    + Arrays.toString(batch.shape()) + " (" + OnnxSessions.firstLine(e) + ")", e);
        }
        int b = (int) batch.size(0);
        if (!outputsProbabilities) {
            for (int r = 0; r < b; r++) {
                softmaxInPlace(out, r * classes, classes);
            }
        }
        return Nd4j.create(out, new long[] {b, classes}, 'c');
    }

    /** The model's own outputs [b, classes] (logits or probabilities, as it gives them) on a batch. */
    public INDArray outputs(INDArray batch) {
        try {
            return Nd4j.create(run(batch), new long[] {batch.size(0), classes}, 'c');
        } catch (OrtException e) {
            throw new IllegalStateException(file + ": ONNX Runtime failed (" + OnnxSessions.firstLine(e) + ")", e);
        }
    }

    /** The model's raw outputs [b * classes] on a batch. */
    private float[] run(INDArray batch) throws OrtException {
        long[] shape = batch.shape();
        if (shape.length != 4 || shape[1] != inputShape[0] || shape[2] != inputShape[1] || shape[3] != inputShape[2]) {
            throw new IllegalArgumentException("batch of shape " + Arrays.toString(shape) + " for a model taking "
                    + Arrays.toString(inputShape));
        }
        INDArray dense = FloatTensors.dense(batch);
        try (OnnxTensor input = FloatTensors.view(env, dense);
                OrtSession.Result result = session.run(Map.of(inputName, input))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            long expected = shape[0] * classes;
            if (out.remaining() != expected) {
                throw new IllegalStateException(file + ": the model gave " + out.remaining() + " scores for a batch of "
                        + shape[0] + ", expected " + expected);
            }
            float[] values = new float[(int) expected];
            out.get(values);
            return values;
        } finally {
            java.lang.ref.Reference.reachabilityFence(dense); // FloatTensors.view says why
        }
    }

    static void softmaxInPlace(float[] v, int from, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + length; i++) {
            max = Math.max(max, v[i]);
        }
        double sum = 0;
        for (int i = from; i < from + length; i++) {
            double e = Math.exp(v[i] - max);
            v[i] = (float) e;
            sum += e;
        }
        for (int i = from; i < from + length; i++) {
            v[i] = (float) (v[i] / sum);
        }
    }

    @Override
    public int numClasses() {
        return classes;
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    /**
     * A view of this classifier for another thread: ONNX Runtime sessions allow concurrent runs, and it keeps no
     * working buffers, so the view runs this session; closing the view leaves it open.
     */
    @Override
    public Optional<Classifier> concurrentCopy() {
        OnnxClassifier self = this;
        return Optional.of(new Classifier() {
            @Override
            public INDArray scores(INDArray batch) {
                return self.scores(batch);
            }

            @Override
            public INDArray scoresOfScratch(INDArray batch) {
                return self.scoresOfScratch(batch);
            }

            @Override
            public int numClasses() {
                return self.numClasses();
            }

            @Override
            public long[] inputShape() {
                return self.inputShape();
            }

            @Override
            public Optional<Classifier> concurrentCopy() {
                return self.concurrentCopy();
            }

            @Override
            public String inference() {
                return self.inference();
            }
        });
    }

    /** Whether the model's outputs are probabilities already (else logits, which {@link #scores} softmaxes). */
    public boolean outputsProbabilities() {
        return outputsProbabilities;
    }

    /** SHA-256 of the model file. */
    public String fingerprint() {
        return fingerprint;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        OnnxSessions.closeQuietly(session);
    }

    @Override
    public String inference() {
        return "onnx-runtime " + env.getVersion();
    }

    private static String describe(NodeInfo n) {
        return n.getInfo() instanceof TensorInfo t ? "a " + t.type.toString().toLowerCase(java.util.Locale.ROOT)
                + " tensor of shape " + Arrays.toString(t.getShape()) : "not a tensor (" + n.getInfo() + ")";
    }

}
