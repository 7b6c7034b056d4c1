package org.smoothing4j.model.dl4j;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.NormalizeActivation;

/**
 * CIFAR-style residual networks (He et al. 2016, as in the reference code's {@code cifar_resnet}): normalisation,
 * conv 3x3x16 + BN + ReLU, three stages of n basic blocks (16, 32, 64 channels; the first block of stages 2 and 3
 * strides 2 with a 1x1 conv + BN shortcut), global average pooling, dense to the classes; depth = 6n + 2
 * (ResNet-20: n = 3, ResNet-110: n = 18). Convolutions have no bias and start from N(0, 2 / (k * k * out)).
 *
 * <p>For input gradients in inference mode (double precision, or with ONNX Runtime switched off: float graphs
 * run through {@link OnnxExport#withInputGradient}) the graph has an {@linkplain #inferenceTwin inference twin}: the
 * same graph with every batch norm replaced by the per-channel affine map it computes in inference,
 * gamma * (x - mean) / sqrt(var + eps) + beta ({@link ChannelAffineActivation}).
 */
public final class ResNets {
    private static final String INPUT = "input";
    static final String NORMALIZE = "normalize";

    private ResNets() {}

    /** The number of blocks per stage of ResNet-{depth}; depth must be 6n + 2. */
    public static int blocksPerStage(int depth) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("a CIFAR ResNet's depth is 6n + 2 (20, 32, 44, 56, 110, ...), got "
                    + depth);
        }
        return (depth - 2) / 6;
    }

    /** A freshly initialised ResNet-{depth} for images [c, h, w]. */
    public static ComputationGraph build(int depth, long[] inputShape, int classes,
            Normalization norm, IUpdater updater, double weightDecay, long seed, DataType dataType) {
        ComputationGraph graph = new ComputationGraph(
                configuration(depth, inputShape, classes, norm, updater, weightDecay, seed, dataType, false));
        graph.init();
        return graph;
    }

    static ComputationGraphConfiguration configuration(int depth, long[] inputShape, int classes,
            Normalization norm, IUpdater updater, double weightDecay, long seed, DataType dataType,
            boolean inferenceTwin) {
        int n = blocksPerStage(depth);
        int c = (int) inputShape[0], h = (int) inputShape[1], w = (int) inputShape[2];
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(updater)
                .l2(weightDecay)
                .weightInit(WeightInit.UNIFORM) // the dense layer: PyTorch's default
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(h, w, c))
                .addLayer(NORMALIZE, new ActivationLayer.Builder()
                        .activation(new NormalizeActivation(norm.mean(), norm.std())).build(), INPUT);
        Blocks b = new Blocks(g, inferenceTwin);
        String x = b.convBnRelu("stem", NORMALIZE, 16, 1);
        int channels = 16;
        int[] widths = {16, 32, 64};
        for (int stage = 0; stage < 3; stage++) {
            for (int block = 0; block < n; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                x = b.basicBlock("s" + (stage + 1) + "b" + (block + 1), x, channels, widths[stage], stride);
                channels = widths[stage];
            }
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x)
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("output");
        return g.build();
    }

    /** Adds layers to a graph; in a twin, batch norms become fixed per-channel affine maps. */
    private record Blocks(ComputationGraphConfiguration.GraphBuilder g, boolean twin) {
        String conv(String name, String in, int out, int k, int stride) {
            g.addLayer(name, new ConvolutionLayer.Builder(k, k).stride(stride, stride).padding(k / 2, k / 2)
                    .nOut(out).hasBias(false).activation(Activation.IDENTITY)
                    .weightInit(new NormalDistribution(0, Math.sqrt(2.0 / (k * k * out)))).build(), in);
            return name;
        }

        String bn(String name, String in, int channels) {
            Layer layer = twin
                    ? new ActivationLayer.Builder().activation(new ChannelAffineActivation(channels)).build()
                    : new BatchNormalization.Builder().build();
            g.addLayer(name, layer, in);
            return name;
        }

        String relu(String name, String in) {
            g.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), in);
            return name;
        }

        String convBnRelu(String name, String in, int out, int stride) {
            return relu(name + "_relu", bn(name + "_bn", conv(name + "_conv", in, out, 3, stride), out));
        }

        String basicBlock(String name, String in, int inChannels, int out, int stride) {
            String a = convBnRelu(name + "a", in, out, stride);
            String bOut = bn(name + "b_bn", conv(name + "b_conv", a, out, 3, 1), out);
            String shortcut = in;
            if (stride != 1 || inChannels != out) {
                shortcut = bn(name + "_down_bn", conv(name + "_down_conv", in, out, 1, stride), out);
            }
            g.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), bOut, shortcut);
            return relu(name + "_relu", name + "_add");
        }
    }

    /**
     * The inference twin of a ResNet built here: same weights, batch norms folded to affine maps, computing the
     * same function as the graph in inference mode but with a backward pass through those maps.
     */
    public static Twin inferenceTwin(ComputationGraph graph, long[] inputShape) {
        ComputationGraph twin = new ComputationGraph(twinConfiguration(graph, inputShape));
        twin.init();
        NormalizeActivation normalize = (NormalizeActivation) ((ActivationLayer) twin.getLayer(NORMALIZE).conf()
                .getLayer()).getActivationFn();
        normalize.captureInputGradients();
        Twin t = new Twin(graph, twin, normalize);
        t.refresh();
        return t;
    }

    private static ComputationGraphConfiguration twinConfiguration(ComputationGraph graph, long[] shape) {
        int blocks = 0;
        for (org.deeplearning4j.nn.graph.vertex.GraphVertex v : graph.getVertices()) {
            if (v.getVertexName().endsWith("_add")) {
                blocks++;
            }
        }
        int depth = 6 * (blocks / 3) + 2;
        NormalizeActivation norm = (NormalizeActivation) ((ActivationLayer) graph.getLayer(NORMALIZE).conf()
                .getLayer()).getActivationFn();
        int classes = (int) ((OutputLayer) graph.getLayer("output").conf().getLayer()).getNOut();
        DataType type = graph.params().dataType();
        return configuration(depth, shape, classes, new Normalization(norm.getMean(), norm.getStd()),
                new NoOp(), 0, 0, type, true);
    }

    /** An inference twin; {@link #markStale} after the graph's weights change. */
    public static final class Twin {
        private final ComputationGraph graph;
        private final ComputationGraph twin;
        private final NormalizeActivation normalize;
        private boolean stale = true;

        private Twin(ComputationGraph graph, ComputationGraph twin, NormalizeActivation normalize) {
            this.graph = graph;
            this.twin = twin;
            this.normalize = normalize;
        }

        void markStale() {
            stale = true;
        }

        /** d(sum of the batch's cross-entropy losses)/d(input) with batch norm in inference mode. */
        public INDArray inputGradient(INDArray features, INDArray oneHotLabels) {
            if (stale) {
                refresh();
            }
            twin.setInputs(features.dup());
            twin.setLabels(oneHotLabels);
            twin.computeGradientAndScore(); // DL4J's loss gradient is that of the summed per-example losses
            return normalize.takeInputGradient();
        }

        /** The twin as a graph (for tests). */
        ComputationGraph graph() {
            return twin;
        }

        void refresh() {
            for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
                String name = layer.conf().getLayer().getLayerName();
                Map<String, INDArray> p = layer.paramTable();
                if (p.isEmpty()) {
                    continue;
                }
                org.deeplearning4j.nn.api.Layer target = twin.getLayer(name);
                if (layer.conf().getLayer() instanceof BatchNormalization bn) {
                    // DL4J keeps log10(sqrt(var)) (or var) and adds eps in the forward pass
                    INDArray var = bn.isUseLogStd()
                            ? Transforms.pow(Nd4j.valueArrayOf(p.get("log10stdev").shape(), 10.0,
                                    p.get("log10stdev").dataType()), p.get("log10stdev").mul(2), false)
                            : p.get("var").dup();
                    INDArray std = Transforms.sqrt(var.addi(bn.getEps()), false);
                    INDArray scale = p.get("gamma").div(std);
                    INDArray shift = p.get("beta").sub(scale.mul(p.get("mean")));
                    ((ChannelAffineActivation) ((ActivationLayer) target.conf().getLayer()).getActivationFn())
                            .set(scale.toDoubleVector(), shift.toDoubleVector());
                } else {
                    for (Map.Entry<String, INDArray> e : p.entrySet()) {
                        target.getParam(e.getKey()).assign(e.getValue());
                    }
                }
            }
            stale = false;
        }
    }
}
