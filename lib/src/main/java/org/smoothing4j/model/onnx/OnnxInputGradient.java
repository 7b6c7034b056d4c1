package org.smoothing4j.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An ONNX model that computes a classifier's probabilities and its input gradient in one run (as
 * {@code OnnxExport.withInputGradient} writes it: inputs an image batch and one-hot labels, outputs the
 * probabilities and d(summed cross-entropy)/d(input)), run by ONNX Runtime.
 * <p>
 * A batch is cut into {@code workers} runs of consecutive rows, run at once on one operator thread each (the caller's
 * thread takes the first). Rows do not interact, so the result is that of one run; and as the cut depends only on
 * the batch size, a batch always gives the same bits. Why: one run of ResNet-20's gradient on two operator threads
 * gave 1,770-1,790 copies/s at batch 256, two runs of 128 rows on one thread each 1,930-2,010 (ResNet-110: 323-326
 * and 334-337), as ONNX Runtime synchronises its threads after each operator.
 */
public final class OnnxInputGradient implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    private final String labels;
    private final long[] inputShape;
    private final int classes;
    private final int workers;
    /** Threads for the runs after the first; null for one worker. */
    private final ExecutorService pool;

    /** What one run gives: probabilities [b, classes] and the input gradient, shape of the batch (new arrays). */
    public record Result(INDArray probabilities, INDArray gradient) {}

    private OnnxInputGradient(OrtEnvironment env, OrtSession session, String input, String labels, long[] inputShape,
            int classes, int workers) {
        this.env = env;
        this.session = session;
        this.input = input;
        this.labels = labels;
        this.inputShape = inputShape;
        this.classes = classes;
        this.workers = workers;
        this.pool = workers == 1 ? null : Executors.newFixedThreadPool(workers - 1, r -> {
            Thread t = new Thread(r, "smoothing4j-onnx-gradient");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The model given as bytes, with inputs named {@code input} [b, c, h, w] and {@code labels} [b, classes], run as
     * {@code workers} concurrent runs of one operator thread each (an attack's gradient is one call from one thread).
     */
    public static OnnxInputGradient fromBytes(byte[] model, String input, String labels, long[] inputShape,
            int classes, int workers) throws IOException {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        return OnnxSessions.open(model, "the input-gradient model", 1, (env, session) -> {
            if (!session.getInputNames().containsAll(List.of(input, labels)) || session.getOutputNames().size() != 2) {
                throw new IOException("an input-gradient model takes '" + input + "' and '" + labels
                        + "' and gives two outputs; this one takes " + session.getInputNames() + " and gives "
                        + session.getOutputNames());
            }
            return new OnnxInputGradient(env, session, input, labels, inputShape.clone(), classes, workers);
        });
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
        int rows = Math.toIntExact(shape[0]), parts = Math.max(1, Math.min(workers, rows));
        int perImage = Math.toIntExact(shape[1] * shape[2] * shape[3]);
        float[] p = new float[rows * classes], g = new float[rows * perImage];
        INDArray x = FloatTensors.dense(batch), y = FloatTensors.dense(oneHot);
        List<Future<?>> others = new ArrayList<>();
        try {
            for (int k = parts - 1; k >= 0; k--) {
                int from = (int) ((long) rows * k / parts), to = (int) ((long) rows * (k + 1) / parts);
                Runnable slice = () -> runSlice(x, y, from, to, p, g, perImage);
                if (k == 0) {
                    slice.run();
                } else {
                    others.add(pool.submit(slice));
                }
            }
            for (Future<?> f : others) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the input gradient", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            for (Future<?> f : others) {
                f.cancel(false);
            }
        }
        return new Result(Nd4j.create(p, new long[] {rows, classes}, 'c'), Nd4j.create(g, shape, 'c'));
    }

    /** Rows [from, to) of the batch, results written into their places in p and g. */
    private void runSlice(INDArray x, INDArray y, int from, int to, float[] p, float[] g, int perImage) {
        INDArray xs = x.get(NDArrayIndex.interval(from, to)), ys = y.get(NDArrayIndex.interval(from, to));
        try (OnnxTensor tx = FloatTensors.view(env, xs); OnnxTensor ty = FloatTensors.view(env, ys);
                OrtSession.Result result = session.run(Map.of(input, tx, labels, ty))) {
            copy((OnnxTensor) result.get(0), p, from * classes, (to - from) * classes);
            copy((OnnxTensor) result.get(1), g, from * perImage, (to - from) * perImage);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the input gradient of rows " + from + " to " + to
                    + " of a batch of shape " + Arrays.toString(x.shape()) + " (" + e.getMessage() + ")", e);
        } finally {
            java.lang.ref.Reference.reachabilityFence(x); // FloatTensors.view says why
            java.lang.ref.Reference.reachabilityFence(y);
        }
    }

    private static void copy(OnnxTensor t, float[] into, int at, int length) {
        FloatBuffer b = t.getFloatBuffer();
        if (b.remaining() != length) {
            throw new IllegalStateException("the input-gradient model gave " + b.remaining() + " values where "
                    + length + " were expected");
        }
        b.get(into, at, length);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        try {
            session.close();
        } catch (OrtException e) {
            // nothing left to release that the caller could act on
        }
    }
}
