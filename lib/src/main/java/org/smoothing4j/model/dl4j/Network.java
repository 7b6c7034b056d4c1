package org.smoothing4j.model.dl4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.io.Backend;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.model.Differentiable;
import org.smoothing4j.model.Fitted;
import org.smoothing4j.model.LogitLoss;
import org.smoothing4j.model.ScoredGradient;
import org.smoothing4j.model.layerstack.LayerStack;
import org.smoothing4j.model.onednn.OneDnnTraining;
import org.smoothing4j.model.onednn.ResNetStep;
import org.smoothing4j.model.onnx.OnnxClassifier;
import org.smoothing4j.model.onnx.OnnxInputGradient;

/**
 * A DL4J network seen as a base classifier with a fixed input shape and softmax output: forward pass, gradient
 * of the summed loss with respect to the input, one training step, saving. Layer stacks (LeNet, MLP) are
 * {@link MultiLayerNetwork}s, run on the direct {@link LayerStack} path (libnd4j operations on the network's own
 * parameters, DL4J's updater; equal to DL4J's path to 1e-9 in double precision, LayerStackTest); residual
 * networks are {@link ComputationGraph}s, whose input gradient DL4J M2.1 does not expose. A float graph's input
 * gradient runs through ONNX Runtime ({@link OnnxExport#withInputGradient}: inference with batch norms folded and a
 * backward pass of activations' gradients only); a double-precision graph's, or any graph's while
 * {@value #ONNX_PROPERTY} is false, is taken from the normalisation layer's backward pass on an inference twin of the
 * graph ({@link ResNets#inferenceTwin}). Either way batch norm uses its running statistics, as in PREDICT and CERTIFY.
 */
public final class Network implements Differentiable {
    private final Model model;
    private final long[] inputShape;
    private final int classes;
    private ResNets.Twin twin;
    private final boolean directAllowed;
    private Optional<LayerStack> stack;
    /** A float graph's inference through ONNX Runtime ({@link OnnxExport}); null until used, dropped after a step. */
    private OnnxClassifier onnx;
    /** A float graph's probabilities and input gradient through ONNX Runtime; null until used, dropped after a step. */
    private OnnxInputGradient onnxGradient;
    private final boolean onnxAllowed;
    private final boolean oneDnnAllowed;
    private OneDnnTraining oneDnn;
    /** Whether a layer stack has taken a training step in this network (its inference then stays on the stack). */
    private boolean trained;

    /**
     * System property: {@code false} keeps the inference of graphs created from then on in DL4J instead of ONNX
     * Runtime (for comparisons).
     */
    public static final String ONNX_PROPERTY = "smoothing4j.onnx";

    public Network(MultiLayerNetwork model, long[] inputShape, int classes) {
        this((Model) model, inputShape, classes);
    }

    public Network(ComputationGraph model, long[] inputShape, int classes) {
        this((Model) model, inputShape, classes);
    }

    private Network(Model model, long[] inputShape, int classes) {
        this.model = model;
        this.inputShape = inputShape.clone();
        this.classes = classes;
        this.directAllowed = Boolean.parseBoolean(System.getProperty(LayerStack.PROPERTY, "true"));
        this.onnxAllowed = Boolean.parseBoolean(System.getProperty(ONNX_PROPERTY, "true"));
        this.oneDnnAllowed = Boolean.parseBoolean(System.getProperty(ONEDNN_PROPERTY, "true"));
    }

    /**
     * Softmax probabilities F(x) of a batch [b, c, h, w] (inference mode). The batch is left unchanged: the direct
     * path never writes to it; DL4J runs the first layer in place on the caller's array in inference, so its path
     * gets a copy.
     */
    @Override
    public INDArray scores(INDArray batch) {
        if (onnx().isPresent()) {
            return onnx.scores(batch); // ONNX Runtime copies nothing back
        }
        if (stack().isPresent()) {
            return stack.get().scores(batch);
        }
        return scoresOfScratch(batch.dup());
    }

    /** As {@link #scores}, without the copy: the batch may be overwritten. */
    @Override
    public INDArray scoresOfScratch(INDArray batch) {
        if (onnx().isPresent()) {
            return onnx.scores(batch);
        }
        if (stack().isPresent()) {
            return stack.get().scores(batch);
        }
        if (model instanceof MultiLayerNetwork mln) {
            return mln.output(batch, false);
        }
        return ((ComputationGraph) model).outputSingle(false, batch);
    }

    /**
     * Inference through ONNX Runtime ({@link OnnxExport}): for a float graph the graph with its batch norms folded,
     * built on first use and again after the weights change; for a float layer stack (LeNet, MLP) only while this
     * network has not been trained, i.e. loaded from a checkpoint (in training the direct path computes the scores in
     * the step's own forward pass, and re-exporting after every step would cost more than it saves). Empty in double
     * precision and for networks created while {@value #ONNX_PROPERTY} was false.
     */
    private Optional<OnnxClassifier> onnx() {
        if (onnx == null && onnxAllowed && model.params().dataType() == DataType.FLOAT) {
            try {
                if (model instanceof ComputationGraph g) {
                    onnx = OnnxClassifier.fromBytes(OnnxExport.of(g, inputShape), "network", 1);
                } else if (!trained) {
                    onnx = OnnxClassifier.fromBytes(OnnxExport.of((MultiLayerNetwork) model, inputShape), "network",
                            1);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("ONNX Runtime cannot run the exported network: " + e.getMessage(), e);
            }
        }
        return Optional.ofNullable(onnx);
    }

    /** Whether a graph's input gradients run through ONNX Runtime (a float graph) rather than the inference twin. */
    public boolean onnxInputGradients() {
        return onnxGradient().isPresent();
    }

    /** Whether inference runs through ONNX Runtime (a float graph) rather than DL4J or the direct path. */
    public boolean onnxInference() {
        return onnx().isPresent();
    }

    /**
     * On the direct layer-stack path: a classifier with its own {@link LayerStack} (its own buffers) on this network's
     * parameters, for inference on another thread while the parameters do not change. Empty for graphs.
     */
    @Override
    public Optional<Classifier> concurrentCopy() {
        if (onnx().isPresent()) {
            return onnx.concurrentCopy();
        }
        if (stack().isEmpty()) {
            return Optional.empty();
        }
        LayerStack own = LayerStack.of((MultiLayerNetwork) model).orElseThrow();
        return Optional.of(Classifier.of(own::scores, classes, inputShape));
    }

    @Override
    public int numClasses() {
        return classes;
    }

    /**
     * ONNX Runtime's version for a float network's exported graph, else the direct layer-stack path or DL4J's own, on
     * ND4J's native build (generic x86-64 or oneDNN/AVX-512).
     */
    @Override
    public String inference() {
        if (onnx().isPresent()) {
            return onnx.inference();
        }
        return (stack().isPresent() ? "layer-stack" : "dl4j") + " on nd4j " + Backend.current().nativeBuild();
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    /**
     * d(sum over the batch of the cross-entropy losses)/d(input) in inference mode, shape of {@code features}.
     * DL4J's {@code calculateGradients} returns the gradient of the summed (not averaged) per-example losses.
     */
    public INDArray inputGradient(INDArray features, INDArray oneHotLabels) {
        if (stack().isPresent()) {
            return stack.get().scoresAndInputGradient(features, oneHotLabels).inputGradient();
        }
        if (model instanceof MultiLayerNetwork mln) {
            return mln.calculateGradients(features.dup(), oneHotLabels, null, null).getSecond();
        }
        if (onnxGradient().isPresent()) {
            return onnxGradient.run(features, oneHotLabels).gradient();
        }
        if (twin == null) {
            twin = ResNets.inferenceTwin((ComputationGraph) model, inputShape);
        }
        return twin.inputGradient(features, oneHotLabels);
    }

    /**
     * {@link #scores} and {@link #inputGradient} together: on the direct layer-stack path from one forward pass
     * (the attacks' inner loop needs both).
     */
    @Override
    public ScoredGradient scoresAndInputGradient(INDArray features, INDArray oneHotLabels) {
        if (stack().isPresent()) {
            return stack.get().scoresAndInputGradient(features, oneHotLabels);
        }
        if (onnxGradient().isPresent()) {
            OnnxInputGradient.Result r = onnxGradient.run(features, oneHotLabels);
            return new ScoredGradient(r.probabilities(), r.gradient());
        }
        return new ScoredGradient(scores(features), inputGradient(features, oneHotLabels));
    }

    /**
     * A float graph's probabilities and input gradient through ONNX Runtime ({@link OnnxExport#withInputGradient}:
     * batch norms folded, the backward pass computing only activations' gradients), as many concurrent runs of one
     * thread each as libnd4j has threads; built on first use and again after the weights change. Empty where
     * {@link #onnx()} is. Why: DL4J's backward through the inference twin computes every weight gradient too (0.27x
     * PyTorch against 1.3-2.0x, results/bench.md).
     */
    private Optional<OnnxInputGradient> onnxGradient() {
        if (onnxGradient == null && onnxAllowed && model instanceof ComputationGraph g
                && model.params().dataType() == DataType.FLOAT) {
            try {
                onnxGradient = OnnxInputGradient.fromBytes(OnnxExport.withInputGradient(g, inputShape),
                        OnnxExport.INPUT, OnnxExport.LABELS, inputShape, classes,
                        Math.max(1, Nd4j.getEnvironment().maxThreads()));
            } catch (IOException e) {
                throw new IllegalStateException("ONNX Runtime cannot run the exported input gradient: "
                        + e.getMessage(), e);
            }
        }
        return Optional.ofNullable(onnxGradient);
    }

    /**
     * One optimiser step on a batch with one-hot labels: returns the batch's mean loss (with the L2 term, as DL4J's
     * score) and the softmax probabilities of the inputs before the step, for the training accuracy. A layer stack
     * takes them from the step's own forward pass (no batch norm or dropout: training and inference agree); a ResNet
     * on oneDNN ({@link ResNetStep}) too, with its batch norms on the batch's statistics, as the reference's train.py
     * measures training accuracy on model.train()'s outputs; DL4J's graph step runs an inference forward first.
     */
    public Fitted fit(INDArray features, INDArray oneHotLabels) {
        weightsChange();
        if (stack().isPresent()) {
            return stack.get().fit(features, oneHotLabels);
        }
        if (oneDnnTraining(features.size(0))) {
            return oneDnnFit(features, ResNetStep.crossEntropy(oneHotLabels));
        }
        INDArray probabilities = scores(features);
        dl4jFit(new DataSet(features, oneHotLabels));
        return new Fitted(model.score(), probabilities);
    }

    /**
     * One optimiser step on a loss of the batch's logits ({@link LogitLoss}: MACER, Consistency regularisation,
     * SmoothMix): on the direct path with the loss's gradient in place of the cross-entropy's, else DL4J's own step
     * with the loss in place of the output layer's for that step. Returns the loss (with the L2 term) and F(x) before
     * the step, as {@link #fit(INDArray, INDArray)}.
     */
    public Fitted fit(INDArray features, LogitLoss loss) {
        weightsChange();
        if (stack().isPresent()) {
            return stack.get().fit(features, loss);
        }
        if (oneDnnTraining(features.size(0))) {
            long rows = features.size(0);
            return oneDnnFit(features, logits -> {
                LogitLoss.Evaluation e = loss.evaluate(logits);
                return new ResNetStep.Loss(e.loss(), e.gradient().mul(rows)); // the step wants the summed gradient
            });
        }
        INDArray probabilities = scores(features);
        org.deeplearning4j.nn.conf.layers.BaseOutputLayer out = outputLayer();
        org.nd4j.linalg.lossfunctions.ILossFunction own = out.getLossFn();
        out.setLossFn(new LogitLossFunction(loss));
        try {
            dl4jFit(new DataSet(features, Nd4j.zeros(features.dataType(), features.size(0), classes)));
        } finally {
            out.setLossFn(own);
        }
        return new Fitted(model.score(), probabilities);
    }

    /**
     * System property: {@code false} keeps the training steps of graphs created from then on on DL4J's own path
     * (the reference in tests) instead of oneDNN's primitives ({@link ResNetStep}).
     */
    public static final String ONEDNN_PROPERTY = "smoothing4j.onednn";

    /**
     * oneDNN's training of this float ResNet ({@link OneDnnTraining}), built on first use; null for layer stacks,
     * double precision, and networks created while {@value #ONEDNN_PROPERTY} was false.
     */
    private OneDnnTraining oneDnn() {
        if (oneDnn == null && oneDnnAllowed && model instanceof ComputationGraph g
                && model.params().dataType() == DataType.FLOAT) {
            oneDnn = new OneDnnTraining(g, inputShape);
        }
        return oneDnn;
    }

    /** Whether this network's training steps run on oneDNN (a float ResNet, the step available). */
    public boolean oneDnnTraining(long batch) {
        return oneDnn() != null && oneDnn.covers(batch);
    }

    /** One step on oneDNN ({@link OneDnnTraining#fit}); what depends on the weights is rebuilt when next used. */
    private Fitted oneDnnFit(INDArray features, ResNetStep.LogitGradient loss) {
        Fitted fitted = oneDnn.fit(features, loss);
        if (twin != null) {
            twin.markStale();
        }
        dropOnnx();
        return fitted;
    }

    /** The configuration of the softmax output layer. */
    private org.deeplearning4j.nn.conf.layers.BaseOutputLayer outputLayer() {
        org.deeplearning4j.nn.api.Layer last = model instanceof MultiLayerNetwork mln ? mln.getOutputLayer()
                : ((ComputationGraph) model).getOutputLayer(0);
        return (org.deeplearning4j.nn.conf.layers.BaseOutputLayer) last.conf().getLayer();
    }

    /** DL4J's own step; what depends on the weights (the inference twin, the ONNX model) is rebuilt when next used. */
    private void dl4jFit(DataSet batch) {
        if (model instanceof MultiLayerNetwork mln) {
            mln.fit(batch);
            return;
        }
        ((ComputationGraph) model).fit(batch);
        if (twin != null) {
            twin.markStale();
        }
        dropOnnx();
    }

    /** Before a training step: a layer stack's inference leaves ONNX Runtime for good, a graph's ONNX model is stale. */
    private void weightsChange() {
        if (model instanceof MultiLayerNetwork) {
            trained = true;
        }
        dropOnnx();
    }

    private void dropOnnx() {
        if (onnx != null) {
            onnx.close();
            onnx = null;
        }
        if (onnxGradient != null) {
            onnxGradient.close();
            onnxGradient = null;
        }
    }

    /**
     * The direct path of a layer stack (LeNet, MLP), built on first use; empty for graphs, unsupported stacks and
     * networks created while the system property {@value LayerStack#PROPERTY} was {@code false}.
     */
    private Optional<LayerStack> stack() {
        if (stack == null) {
            if (model instanceof MultiLayerNetwork mln && directAllowed) {
                if (mln.getFlattenedGradients() == null) {
                    mln.initGradientsView();
                }
                stack = LayerStack.of(mln);
            } else {
                stack = Optional.empty();
            }
        }
        return stack;
    }

    /** Whether this network runs on the direct layer-stack path rather than DL4J's own forward and backward. */
    public boolean direct() {
        return stack().isPresent();
    }

    /** Sets the epoch counter the learning-rate schedule reads (0-based). */
    public void setEpochCount(int epoch) {
        if (model instanceof MultiLayerNetwork mln) {
            mln.setEpochCount(epoch);
        } else {
            ((ComputationGraph) model).getConfiguration().setEpochCount(epoch);
        }
    }

    /** The DL4J model: a {@link MultiLayerNetwork} or a {@link ComputationGraph}. */
    public Model model() {
        return model;
    }

    /** All trainable parameters as one flat vector (a view). */
    public INDArray params() {
        return model.params();
    }

    public long parameterCount() {
        return model.numParams();
    }

    /**
     * Frees what this network holds natively: its ONNX Runtime sessions (inference, input gradients) and its oneDNN
     * training steps. The DL4J network's own arrays are ND4J's, freed by the garbage collector. A closed network
     * builds them again when used; concurrent copies taken before must not be used after.
     */
    @Override
    public void close() {
        dropOnnx();
        if (oneDnn != null) {
            oneDnn.close();
            oneDnn = null;
        }
    }

    /** Saves weights and updater state (for resuming) in DL4J's zip format. */
    public void save(Path file) throws IOException {
        ModelSerializer.writeModel(model, file.toFile(), true);
    }

    /** Loads what {@link #save} wrote; {@code graph} says whether it is a computation graph. */
    static Network load(Path file, boolean graph, long[] inputShape, int classes) throws IOException {
        OneDnn.enableUnlessDisabled();
        if (graph) {
            return new Network(ModelSerializer.restoreComputationGraph(file.toFile(), true), inputShape, classes);
        }
        return new Network(ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true), inputShape, classes);
    }
}
