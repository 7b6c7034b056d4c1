package org.smoothing4j.model.onednn;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smoothing4j.model.Fitted;

/**
 * Training steps of a float ResNet (a DL4J {@link ComputationGraph}) on oneDNN's primitives ({@link ResNetStep}), with
 * DL4J's own updater on the gradients: one {@link ResNetStep} per batch size (built on first use: an epoch's last
 * batch is smaller). Where the step does not cover the graph, or oneDNN's native library does not load (then after
 * one warning), {@link #covers} is false and the caller takes DL4J's own step.
 */
public final class OneDnnTraining implements AutoCloseable {
    private final ComputationGraph graph;
    private final long[] inputShape;
    private final Map<Long, ResNetStep> steps = new HashMap<>();
    private boolean unavailable;

    public OneDnnTraining(ComputationGraph graph, long[] inputShape) {
        this.graph = graph;
        this.inputShape = inputShape.clone();
    }

    /** Frees every step's native memory and primitives; steps are built again if training goes on. */
    @Override
    public void close() {
        steps.values().forEach(ResNetStep::close);
        steps.clear();
    }

    /** Whether batches of this size train on oneDNN. */
    public boolean covers(long batch) {
        return step(batch) != null;
    }

    /** The step for this batch size, or null where oneDNN does not cover the graph or does not load. */
    private ResNetStep step(long batch) {
        if (unavailable) {
            return null;
        }
        ResNetStep step = steps.get(batch);
        if (step == null) {
            try {
                step = new ResNetStep(graph, inputShape, Math.toIntExact(batch));
            } catch (ResNetStep.Unsupported e) {
                unavailable = true;
                return null;
            } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
                unavailable = true;
                System.err.println("warning: oneDNN's native library does not load here (" + e + "); ResNet "
                        + "training runs DL4J's own step");
                return null;
            }
            steps.put(batch, step);
        }
        return step;
    }

    /**
     * One optimiser step from oneDNN's gradients, as DL4J's {@code fit}: the gradients and the batch norms'
     * running-average updates into the graph's gradient view (each parameter's segment, in the parameter's own
     * order), DL4J's updater (regularisation, division by the batch size, the optimiser), parameters minus the
     * update, iteration count plus one. Returns the loss plus the regularisation term before the step (DL4J's score)
     * and the probabilities of the step's own training-mode forward pass: the training accuracy the reference's
     * train.py reports (it measures on the outputs of model.train()), with no second forward pass. Only for batch
     * sizes it {@link #covers}.
     */
    public Fitted fit(INDArray features, ResNetStep.LogitGradient loss) {
        ResNetStep step = step(features.size(0));
        if (step == null) {
            throw new IllegalStateException("oneDNN does not train this graph at batch size " + features.size(0));
        }
        ResNetStep.Result r = step.run(features, loss);
        Map<String, INDArray> all = new HashMap<>(r.gradients());
        all.putAll(step.runningAverageUpdates(r));
        if (graph.getFlattenedGradients() == null) {
            graph.initGradientsView();
        }
        INDArray flat = graph.getFlattenedGradients();
        INDArray params = graph.params();
        for (Layer layer : graph.getLayers()) {
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                String key = layer.conf().getLayer().getLayerName() + "_" + p.getKey();
                INDArray grad = all.get(key);
                if (grad == null) {
                    throw new IllegalStateException("oneDNN's step gave no gradient for " + key);
                }
                long from = p.getValue().offset() - params.offset(), length = p.getValue().length();
                INDArray segment = flat.rank() == 2
                        ? flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, from + length))
                        : flat.get(NDArrayIndex.interval(from, from + length));
                segment.assign(Nd4j.toFlattened(p.getValue().ordering(),
                        grad.castTo(flat.dataType()).reshape(p.getValue().shape())));
            }
        }
        double score = r.loss() + graph.calcRegularizationScore(true);
        graph.getUpdater().update(new DefaultGradient(flat), graph.getIterationCount(), graph.getEpochCount(),
                Math.toIntExact(features.size(0)), LayerWorkspaceMgr.noWorkspaces());
        params.subi(flat.reshape(params.shape()));
        graph.getConfiguration().setIterationCount(graph.getIterationCount() + 1);
        return new Fitted(score, r.probabilities());
    }
}
