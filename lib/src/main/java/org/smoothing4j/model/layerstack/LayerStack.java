package org.smoothing4j.model.layerstack;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.smoothing4j.model.Activations;
import org.smoothing4j.model.Fitted;
import org.smoothing4j.model.LogitLoss;
import org.smoothing4j.model.NormalizeActivation;
import org.smoothing4j.model.ScoredGradient;

/**
 * A layer stack (LeNet, the MLP) run directly on libnd4j's operations - oneDNN convolution and pooling, OpenBLAS
 * GEMMs - with activation and gradient buffers reused across calls: inference, the input gradient and a training
 * step. The step writes the gradient into the network's own gradient view and applies DL4J's own updater to it,
 * exactly as {@code MultiLayerNetwork.fit} does, so the updater state, checkpoints and resumption are unchanged.
 * <p>
 * Why: DL4J's {@code fit} and {@code calculateGradients} spent two to four times the time of the operations they
 * run on their own bookkeeping here (benchmarks/Bench.java --profile-training). Supported: the normalisation
 * layer, convolutions (truncate mode), max pooling, dense layers with ReLU or identity, and a softmax output
 * with cross-entropy, without dropout; {@link #of} returns empty for anything else and the caller keeps DL4J's path.
 * Not thread-safe (the buffers are shared), like the network itself.
 */
public final class LayerStack {
    /**
     * System property: {@code false} makes networks created from then on run through DL4J's own forward and
     * backward (for comparisons).
     */
    public static final String PROPERTY = "smoothing4j.layerstack";

    private final MultiLayerNetwork net;
    private final List<Stage> stages;
    private final OutputStage output;
    /** Index of the first stage with parameters (stages.size() if none): backward stops there. */
    private final int firstWithParameters;

    private LayerStack(MultiLayerNetwork net, List<Stage> stages, OutputStage output) {
        this.net = net;
        this.stages = stages;
        this.output = output;
        int first = 0;
        while (first < stages.size() && !stages.get(first).hasParameters()) {
            first++;
        }
        this.firstWithParameters = first;
    }

    /** The direct path for this network, or empty when one of its layers is not supported. */
    public static Optional<LayerStack> of(MultiLayerNetwork net) {
        List<Stage> stages = new ArrayList<>();
        Layer[] layers = net.getLayers();
        DataType type = net.params().dataType();
        // convolutions and pooling run in NHWC (LayoutStage says why): from the input to the first dense layer
        boolean nhwc = false;
        for (Layer layer : layers) {
            nhwc |= layer.conf().getLayer() instanceof ConvolutionLayer
                    || layer.conf().getLayer() instanceof SubsamplingLayer;
        }
        if (nhwc) {
            stages.add(new LayoutStage(true, type));
        }
        boolean afterRelu = false;
        for (int i = 0; i < layers.length - 1; i++) {
            if (nhwc && layers[i].conf().getLayer() instanceof DenseLayer) {
                stages.add(new LayoutStage(false, type));
                nhwc = false;
            }
            // a ReLU convolution followed by max pooling: the pooling applies the ReLU's gradient mask (MaxPoolStage)
            boolean reluThenPool = reluConvolution(layers[i]) && maxPooling(layers[i + 1]);
            Optional<Stage> s = stage(layers[i], type, nhwc, reluThenPool, afterRelu);
            if (s.isEmpty()) {
                return Optional.empty();
            }
            stages.add(s.get());
            afterRelu = reluThenPool;
        }
        if (nhwc) {
            stages.add(new LayoutStage(false, type));
        }
        Layer last = layers[layers.length - 1];
        if (!(last.conf().getLayer() instanceof OutputLayer out) || !(out.getLossFn() instanceof LossMCXENT loss)
                || !(out.getActivationFn() instanceof ActivationSoftmax) || out.getIDropout() != null
                || loss.getWeights() != null || !out.hasBias()) {
            return Optional.empty();
        }
        return Optional.of(new LayerStack(net, stages,
                new OutputStage(new DenseStage(last, false), loss.getSoftmaxClipEps())));
    }

    /**
     * {@code reluThenPool}: a ReLU convolution whose ReLU gradient mask the next (pooling) stage applies;
     * {@code afterRelu}: a pooling stage that applies it.
     */
    private static Optional<Stage> stage(Layer layer, DataType type, boolean nhwc, boolean reluThenPool,
            boolean afterRelu) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        if (conf.getIDropout() != null) {
            return Optional.empty();
        }
        if (conf instanceof ActivationLayer a && a.getActivationFn() instanceof NormalizeActivation n) {
            return Optional.of(new NormalizeStage(n.getMean(), n.getStd(), type, nhwc));
        }
        if (conf instanceof ConvolutionLayer c && supportedConvolution(c)) {
            return Optional.of(new ConvStage(layer, c, relu(c.getActivationFn()), nhwc, reluThenPool));
        }
        if (maxPooling(layer)) {
            return Optional.of(new MaxPoolStage((SubsamplingLayer) conf, type, nhwc, afterRelu));
        }
        if (conf instanceof DenseLayer d && d.hasBias() && relu(d.getActivationFn()) != null) {
            return Optional.of(new DenseStage(layer, relu(d.getActivationFn())));
        }
        return Optional.empty();
    }

    private static boolean supportedConvolution(ConvolutionLayer c) {
        return c.getClass() == ConvolutionLayer.class && c.hasBias() && c.getIDropout() == null
                && c.getConvolutionMode() == ConvolutionMode.Truncate && relu(c.getActivationFn()) != null;
    }

    private static boolean reluConvolution(Layer layer) {
        return layer.conf().getLayer() instanceof ConvolutionLayer c && supportedConvolution(c)
                && relu(c.getActivationFn());
    }

    private static boolean maxPooling(Layer layer) {
        return layer.conf().getLayer() instanceof SubsamplingLayer p && p.getClass() == SubsamplingLayer.class
                && p.getIDropout() == null && p.getPoolingType() == PoolingType.MAX
                && p.getConvolutionMode() == ConvolutionMode.Truncate;
    }

    /** TRUE for ReLU, FALSE for the identity, null for any other activation. */
    private static Boolean relu(IActivation a) {
        if (a instanceof ActivationReLU) {
            return Activations.plainRelu(a) ? Boolean.TRUE : null;
        }
        return a instanceof ActivationIdentity ? Boolean.FALSE : null;
    }

    /** Softmax probabilities of a batch [b, c, h, w] (not modified); a new array. */
    public INDArray scores(INDArray batch) {
        return forward(batch).dup();
    }

    /**
     * The probabilities and d(sum of the cross-entropy losses)/d(input), shape of {@code features}, from one
     * forward pass; new arrays.
     */
    public ScoredGradient scoresAndInputGradient(INDArray features, INDArray oneHot) {
        INDArray p = forward(features).dup();
        return new ScoredGradient(p, backward(oneHot, true, false).dup());
    }

    /**
     * One optimiser step, as {@code MultiLayerNetwork.fit}: gradient of the summed loss into the network's gradient
     * view, DL4J's updater (which divides by the batch size and adds the L2 term), parameters minus the update,
     * iteration count plus one.
     */
    public Fitted fit(INDArray features, INDArray oneHot) {
        INDArray p = forward(features);
        double loss = output.meanLoss(oneHot) + net.calcRegularizationScore(true);
        INDArray probabilities = p.dup();
        backward(oneHot, false, true);
        INDArray gradient = net.getFlattenedGradients();
        int batch = (int) features.size(0);
        net.getUpdater().update(net, new DefaultGradient(gradient), net.getIterationCount(), net.getEpochCount(),
                batch, LayerWorkspaceMgr.noWorkspaces());
        INDArray params = net.params();
        params.subi(gradient.reshape(params.shape()));
        net.getLayerWiseConfigurations().setIterationCount(net.getIterationCount() + 1);
        return new Fitted(loss, probabilities);
    }

    /** Whether the forward pass keeps the logits (for a {@link LogitLoss} step). */
    private boolean keepLogits;

    /**
     * One optimiser step on a loss of the batch's logits: as {@link #fit(INDArray, INDArray)} with dL/d(logits) from
     * {@code loss} in place of p - y. DL4J's updater divides the gradient by the number of rows, so the loss's gradient
     * is multiplied by it first: the step follows dL/d(parameters) of the loss as the recipe defines it.
     */
    public Fitted fit(INDArray features, LogitLoss loss) {
        keepLogits = true;
        INDArray p;
        try {
            p = forward(features);
        } finally {
            keepLogits = false;
        }
        LogitLoss.Evaluation e = loss.evaluate(output.logits());
        INDArray probabilities = p.dup();
        int batch = (int) features.size(0);
        backwardFrom(e.gradient().mul(batch));
        INDArray gradient = net.getFlattenedGradients();
        net.getUpdater().update(net, new DefaultGradient(gradient), net.getIterationCount(), net.getEpochCount(),
                batch, LayerWorkspaceMgr.noWorkspaces());
        INDArray params = net.params();
        params.subi(gradient.reshape(params.shape()));
        net.getLayerWiseConfigurations().setIterationCount(net.getIterationCount() + 1);
        return new Fitted(e.loss() + net.calcRegularizationScore(true), probabilities);
    }

    /** The parameter gradients of the last forward pass for dL/d(logits) (summed over rows). */
    private void backwardFrom(INDArray dLogits) {
        boolean earlier = firstWithParameters < stages.size();
        INDArray d = output.backwardFromLogits(dLogits, earlier, true);
        for (int i = stages.size() - 1; i >= 0 && d != null; i--) {
            d = stages.get(i).backward(d, firstWithParameters < i, true);
        }
    }

    /** The forward pass, keeping every stage's input for the backward pass; returns the (reused) probabilities. */
    private INDArray forward(INDArray batch) {
        // the operations read any offset; only a non-contiguous layout needs a copy (a reshaped batch buffer does not)
        INDArray a = batch.ordering() == 'c' && Shape.isContiguousInBuffer(batch) ? batch : batch.dup('c');
        for (Stage s : stages) {
            a = s.forward(a);
        }
        return output.forward(a, keepLogits);
    }

    /**
     * The backward pass of the last forward pass: writes the parameter gradients if asked; returns the input
     * gradient if asked (else null).
     */
    private INDArray backward(INDArray oneHot, boolean inputGradient, boolean parameterGradients) {
        // dL/d(input of stage i) is needed for the input gradient or when a stage before i needs parameter gradients
        boolean earlier = parameterGradients && firstWithParameters < stages.size();
        INDArray d = output.backward(oneHot, inputGradient || earlier, parameterGradients);
        for (int i = stages.size() - 1; i >= 0 && d != null; i--) {
            d = stages.get(i).backward(d, inputGradient || parameterGradients && firstWithParameters < i,
                    parameterGradients);
        }
        return d;
    }
}
