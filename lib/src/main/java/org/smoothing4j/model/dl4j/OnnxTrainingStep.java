package org.smoothing4j.model.dl4j;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.model.onnx.FloatTensors;

/**
 * Runs a ResNet's training graph ({@link OnnxTrainingExport}) on ONNX Runtime with the network's current parameters:
 * the loss, the probabilities, the gradient of the summed loss for every parameter and each batch norm's batch
 * statistics of one batch. The parameters are read from the network's own arrays at every call (no copy kept), so
 * updates made by DL4J's updater between calls are seen.
 */
public final class OnnxTrainingStep implements AutoCloseable {
    private final ComputationGraph graph;
    private final OnnxTrainingExport.Export export;
    private final OrtEnvironment env;
    private final OrtSession session;

    /** The loss, probabilities, gradients (by DL4J's "vertex_key") and batch statistics (by vertex) of a batch. */
    public record Result(double loss, INDArray probabilities, Map<String, INDArray> gradients,
            Map<String, INDArray[]> batchStatistics) {}

    private OnnxTrainingStep(ComputationGraph graph, OnnxTrainingExport.Export export, OrtEnvironment env,
            OrtSession session) {
        this.graph = graph;
        this.export = export;
        this.env = env;
        this.session = session;
    }

    /** A step for a float ResNet, run with {@code threads} ONNX Runtime threads. */
    public static OnnxTrainingStep of(ComputationGraph graph, long[] inputShape, int threads) {
        if (graph.params().dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("the ONNX training step runs float networks, this one is "
                    + graph.params().dataType());
        }
        OnnxTrainingExport.Export export = OnnxTrainingExport.of(graph, inputShape);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            String profile = System.getProperty("smoothing4j.onnx.profile");
            if (profile != null) {
                options.enableProfiling(profile);
            }
            return new OnnxTrainingStep(graph, export, env, env.createSession(export.model(), options));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the training graph: " + e.getMessage(), e);
        }
    }

    public Result run(INDArray features, INDArray oneHotLabels) {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        List<INDArray> keep = new ArrayList<>();
        try {
            INDArray x = FloatTensors.dense(features), y = FloatTensors.dense(oneHotLabels);
            keep.add(x);
            keep.add(y);
            feeds.put(OnnxTrainingExport.INPUT, FloatTensors.view(env, x));
            feeds.put(OnnxTrainingExport.LABELS, FloatTensors.view(env, y));
            for (OnnxTrainingExport.Parameter p : export.parameters()) {
                INDArray v = FloatTensors.dense(graph.getLayer(p.vertex()).getParam(p.key()));
                keep.add(v);
                feeds.put(p.name(), FloatTensors.view(env, v, p.shape()));
            }
            try (OrtSession.Result r = session.run(feeds)) {
                double loss = ((OnnxTensor) r.get(OnnxTrainingExport.LOSS).orElseThrow()).getFloatBuffer().get(0);
                INDArray probabilities = copy(r, OnnxTrainingExport.PROBABILITIES,
                        new long[] {features.size(0), export.classes()});
                Map<String, INDArray> gradients = new LinkedHashMap<>();
                for (OnnxTrainingExport.Parameter p : export.parameters()) {
                    long[] dl4jShape = graph.getLayer(p.vertex()).getParam(p.key()).shape();
                    gradients.put(p.vertex() + "_" + p.key(), copy(r, "d_" + p.name(), dl4jShape));
                }
                Map<String, INDArray[]> stats = new LinkedHashMap<>();
                for (OnnxTrainingExport.BatchStatistics s : export.batchNorms()) {
                    long[] shape = graph.getLayer(s.vertex()).getParam("gamma").shape();
                    stats.put(s.vertex(), new INDArray[] {copy(r, s.mean(), shape), copy(r, s.variance(), shape)});
                }
                return new Result(loss, probabilities, gradients, stats);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the training graph: " + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : feeds.values()) {
                t.close();
            }
            java.lang.ref.Reference.reachabilityFence(keep); // FloatTensors.view says why
        }
    }

    private static INDArray copy(OrtSession.Result r, String name, long[] shape) {
        FloatBuffer b = ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        a.data().asNioFloat().put(b);
        return a;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the training graph's session failed", e);
        }
    }
}
