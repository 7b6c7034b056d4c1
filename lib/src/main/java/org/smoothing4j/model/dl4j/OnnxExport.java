package org.smoothing4j.model.dl4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.smoothing4j.model.Activations;
import org.smoothing4j.model.NormalizeActivation;
import org.smoothing4j.model.onnx.OnnxBackward;
import org.smoothing4j.model.onnx.OnnxWriter;

/**
 * Exports the DL4J networks smoothing4j builds to ONNX models for inference: its CIFAR ResNets (computation graphs:
 * the normalisation layer, convolutions, batch norms, ReLUs, residual additions, global average pooling, a softmax
 * output), with every batch norm that directly follows a convolution folded into it: W' = W * s and b' = b * s +
 * (beta - s * mean) per output channel, s = gamma / sqrt(var + eps), which is what the graph computes in inference
 * mode; and its layer stacks (LeNet, MLP). The ONNX model's output is the softmax probabilities, as
 * {@code Network.scores}. Any other layer is refused.
 * <p>
 * Why: ONNX Runtime runs these networks' inference faster than DL4J's graph (several times) and than the direct
 * layer-stack path (1.5x for LeNet, results/bench.md), so PREDICT and CERTIFY of smoothing4j's own models run through
 * it; the numerics are those of DL4J up to float rounding (OnnxExportTest bounds the difference).
 */
public final class OnnxExport {
    private OnnxExport() {}

    /** The ONNX model of a graph with one input [c, h, w] and one output. */
    public static byte[] of(ComputationGraph graph, long[] inputShape) {
        return export(graph, inputShape, false);
    }

    /** Names of the inputs and outputs of {@link #withInputGradient}'s model. */
    public static final String INPUT = "input", LABELS = "labels", PROBABILITIES = "probabilities",
            GRADIENT = "gradient";

    /**
     * The ONNX model of a graph's inference together with its input gradient ({@link OnnxBackward}): inputs
     * {@value #INPUT} [b, c, h, w] and one-hot {@value #LABELS} [b, classes]; outputs {@value #PROBABILITIES}
     * [b, classes] and {@value #GRADIENT}, d(sum over the batch of the cross-entropy losses)/d(input) [b, c, h, w],
     * with batch norm in inference mode (folded), as {@code Network.scoresAndInputGradient}.
     */
    public static byte[] withInputGradient(ComputationGraph graph, long[] inputShape) {
        return export(graph, inputShape, true);
    }

    private static byte[] export(ComputationGraph graph, long[] inputShape, boolean gradient) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("ONNX export: graphs with one input and one output only");
        }
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Map<String, Integer> consumers = new HashMap<>();
        for (List<String> in : inputs.values()) {
            for (String v : in) {
                consumers.merge(v, 1, Integer::sum);
            }
        }
        OnnxWriter w = new OnnxWriter();
        OnnxBackward backward = gradient ? new OnnxBackward(w) : null;
        Map<String, String> value = new HashMap<>(); // vertex name -> ONNX value name
        Map<String, long[]> shape = new HashMap<>(); // ONNX value name -> [c, h, w] of a convolutional value
        String input = conf.getNetworkInputs().get(0);
        String onnxInput = gradient ? INPUT : input;
        value.put(input, onnxInput);
        shape.put(onnxInput, inputShape.clone());
        String logits = null;
        Map<String, String> foldedInto = new HashMap<>(); // batch norm -> the convolution it is folded into
        String output = null;
        for (int index : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[index].getVertexName();
            if (name.equals(input)) {
                continue;
            }
            GraphVertex vertex = conf.getVertices().get(name);
            List<String> in = inputs.get(name).stream().map(value::get).toList();
            if (vertex instanceof ElementWiseVertex e) {
                if (e.getOp() != ElementWiseVertex.Op.Add || in.size() != 2) {
                    throw unsupported(name, "element-wise " + e.getOp());
                }
                String sum = w.node("Add", in);
                value.put(name, sum);
                shape.put(sum, shape.get(in.get(0)));
                if (backward != null) {
                    backward.add(in.get(0), in.get(1), sum);
                }
                continue;
            }
            if (!(vertex instanceof LayerVertex lv)) {
                throw unsupported(name, vertex.getClass().getSimpleName());
            }
            Layer layer = lv.getLayerConf().getLayer();
            if (foldedInto.containsKey(name)) {
                value.put(name, value.get(foldedInto.get(name)));
                continue;
            }
            if (layer instanceof ActivationLayer a && a.getActivationFn() instanceof NormalizeActivation n) {
                value.put(name, normalize(w, in.get(0), n, backward));
                shape.put(value.get(name), shape.get(in.get(0)));
            } else if (layer instanceof ActivationLayer a && Activations.plainRelu(a.getActivationFn())) {
                if (backward != null && shape.get(in.get(0)) == null) {
                    throw unsupported(name, "a ReLU after a dense layer, for the input gradient");
                }
                value.put(name, relu(w, in.get(0), backward == null ? 0 : shape.get(in.get(0))[0], backward));
                shape.put(value.get(name), shape.get(in.get(0)));
            } else if (layer instanceof ConvolutionLayer c && c.getClass() == ConvolutionLayer.class) {
                String bn = c.getActivationFn() instanceof ActivationIdentity
                        ? followingBatchNorm(name, inputs, consumers, conf) : null;
                value.put(name, convolution(w, name, c, graph.getLayer(name).paramTable(), in.get(0),
                        bn == null ? null : graph.getLayer(bn), shape, backward));
                if (bn != null) {
                    foldedInto.put(bn, name);
                }
            } else if (layer instanceof GlobalPoolingLayer p && p.getPoolingType() == PoolingType.AVG) {
                String pooled = w.node("Flatten", List.of(w.node("GlobalAveragePool", in)),
                        OnnxWriter.Attribute.i("axis", 1));
                value.put(name, pooled);
                if (backward != null) {
                    long[] chw = shape.get(in.get(0));
                    backward.globalAveragePool(in.get(0), pooled, chw[0], chw[1], chw[2]);
                }
            } else if (layer instanceof OutputLayer o && softmaxOutput(o)) {
                logits = dense(w, in.get(0), graph.getLayer(name).paramTable(), backward);
                output = w.node("Softmax", List.of(logits), OnnxWriter.Attribute.i("axis", 1));
                value.put(name, output);
            } else {
                throw unsupported(name, layer.getClass().getSimpleName() + " " + layer);
            }
        }
        if (output == null || !output.equals(value.get(conf.getNetworkOutputs().get(0)))) {
            throw new IllegalArgumentException("ONNX export: the graph's output is not a softmax output layer");
        }
        int classes = (int) ((OutputLayer) ((LayerVertex) conf.getVertices().get(conf.getNetworkOutputs().get(0)))
                .getLayerConf().getLayer()).getNOut();
        if (backward == null) {
            return w.model("smoothing4j", input, inputShape, output, new long[] {classes});
        }
        backward.softmaxCrossEntropy(logits, output, LABELS);
        String dInput = backward.inputGradient(onnxInput);
        // the graph's outputs get the fixed names (Identity nodes), its input already has one
        w.node("Identity", List.of(output), PROBABILITIES);
        w.node("Identity", List.of(dInput), GRADIENT);
        return w.model("smoothing4j", List.of(new OnnxWriter.Value(onnxInput, inputShape),
                new OnnxWriter.Value(LABELS, classes)), List.of(new OnnxWriter.Value(PROBABILITIES, classes),
                new OnnxWriter.Value(GRADIENT, inputShape)));
    }

    /**
     * The ONNX model of a layer stack with input [c, h, w] (smoothing4j's LeNet and MLP): the normalisation layer,
     * convolutions, max-pooling, dense layers with ReLU or none, and a softmax output layer; the flattening between
     * convolutional and dense layers in DL4J's order (channel, row, column), as ONNX's Flatten.
     */
    public static byte[] of(MultiLayerNetwork net, long[] inputShape) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        OnnxWriter w = new OnnxWriter();
        String input = "input", value = input, output = null;
        for (int i = 0; i < net.getnLayers(); i++) {
            String name = "layer" + i;
            Layer layer = conf.getConf(i).getLayer();
            Map<String, INDArray> params = net.getLayer(i).paramTable();
            InputPreProcessor pre = conf.getInputPreProcess(i);
            if (pre instanceof CnnToFeedForwardPreProcessor) {
                value = w.node("Flatten", List.of(value), OnnxWriter.Attribute.i("axis", 1));
            } else if (pre != null) {
                throw unsupported(name, "input preprocessor " + pre.getClass().getSimpleName());
            }
            if (output != null) {
                throw unsupported(name, "a layer after the output layer");
            }
            if (layer instanceof ActivationLayer a && a.getActivationFn() instanceof NormalizeActivation n) {
                value = normalize(w, value, n, null);
            } else if (layer instanceof ConvolutionLayer c && c.getClass() == ConvolutionLayer.class) {
                value = convolution(w, name, c, params, value, null, null, null);
            } else if (layer instanceof SubsamplingLayer p && p.getClass() == SubsamplingLayer.class
                    && p.getPoolingType() == PoolingType.MAX
                    && (p.getConvolutionMode() == ConvolutionMode.Truncate
                            || p.getConvolutionMode() == ConvolutionMode.Strict)) {
                int[] k = p.getKernelSize(), st = p.getStride(), pad = p.getPadding();
                value = w.node("MaxPool", List.of(value), OnnxWriter.Attribute.ints("kernel_shape", k[0], k[1]),
                        OnnxWriter.Attribute.ints("strides", st[0], st[1]),
                        OnnxWriter.Attribute.ints("pads", pad[0], pad[1], pad[0], pad[1]));
            } else if (layer instanceof DenseLayer d && d.getClass() == DenseLayer.class && d.hasBias()
                    && (Activations.plainRelu(d.getActivationFn())
                            || d.getActivationFn() instanceof ActivationIdentity)) {
                value = dense(w, value, params, null);
                if (d.getActivationFn() instanceof ActivationReLU) {
                    value = w.node("Relu", List.of(value));
                }
            } else if (layer instanceof OutputLayer o && softmaxOutput(o)) {
                output = w.node("Softmax", List.of(dense(w, value, params, null)), OnnxWriter.Attribute.i("axis", 1));
                value = output;
            } else {
                throw unsupported(name, layer.getClass().getSimpleName() + " " + layer);
            }
        }
        if (output == null) {
            throw new IllegalArgumentException("ONNX export: the network does not end in a softmax output layer");
        }
        int classes = (int) ((OutputLayer) conf.getConf(net.getnLayers() - 1).getLayer()).getNOut();
        return w.model("smoothing4j", input, inputShape, output, new long[] {classes});
    }

    /**
     * The ONNX model of x - R(x) for a stack R of convolutions (with ReLU or none) ending in a {@link CnnLossLayer}
     * with the identity activation: smoothing4j's DnCNN denoiser ({@code org.smoothing4j.denoise.DnCnn}), whose
     * network predicts the noise. Input and output are image batches [b, c, h, w] of the input's shape.
     */
    public static byte[] residual(MultiLayerNetwork net, long[] inputShape) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        OnnxWriter w = new OnnxWriter();
        String input = "input", value = input;
        int last = net.getnLayers() - 1;
        for (int i = 0; i < last; i++) {
            String name = "layer" + i;
            if (conf.getInputPreProcess(i) != null) {
                throw unsupported(name, "input preprocessor " + conf.getInputPreProcess(i).getClass().getSimpleName());
            }
            if (!(conf.getConf(i).getLayer() instanceof ConvolutionLayer c) || c.getClass() != ConvolutionLayer.class) {
                throw unsupported(name, conf.getConf(i).getLayer().getClass().getSimpleName() + ", not a convolution");
            }
            value = convolution(w, name, c, net.getLayer(i).paramTable(), value, null, null, null);
        }
        if (!(conf.getConf(last).getLayer() instanceof CnnLossLayer loss)
                || !(loss.getActivationFn() instanceof ActivationIdentity)) {
            throw unsupported("layer" + last, "the last layer is not a CnnLossLayer with the identity activation");
        }
        String output = w.node("Sub", List.of(input, value), "denoised");
        return w.model("smoothing4j-residual", input, inputShape, output, inputShape);
    }

    /** (x - mean) / std per channel; its backward rules recorded when {@code backward} is not null. */
    static String normalize(OnnxWriter w, String in, NormalizeActivation n, OnnxBackward backward) {
        long c = n.getMean().length;
        String shifted = w.node("Sub", List.of(in, w.constant("mean", new long[] {1, c, 1, 1}, floats(n.getMean()))));
        String std = w.constant("std", new long[] {1, c, 1, 1}, floats(n.getStd()));
        String out = w.node("Div", List.of(shifted, std));
        if (backward != null) {
            backward.shift(in, shifted);
            backward.divide(shifted, out, std);
        }
        return out;
    }

    /** Relu of a value [b, channels, ...]. */
    private static String relu(OnnxWriter w, String in, long channels, OnnxBackward backward) {
        String out = w.node("Relu", List.of(in));
        if (backward != null) {
            backward.relu(in, out, channels);
        }
        return out;
    }

    /** x W + b, with DL4J's W of shape [nIn, nOut]. */
    private static String dense(OnnxWriter w, String in, Map<String, INDArray> params, OnnxBackward backward) {
        INDArray weight = params.get("W"), bias = params.get("b");
        String wName = w.constant("W", weight.shape(), floats(weight));
        String out = w.node("Gemm", List.of(in, wName, w.constant("b", new long[] {bias.length()}, floats(bias))));
        if (backward != null) {
            backward.dense(in, out, wName);
        }
        return out;
    }

    static boolean softmaxOutput(OutputLayer o) {
        return o.getActivationFn() instanceof ActivationSoftmax && o.getLossFn() instanceof LossMCXENT && o.hasBias();
    }

    /** The batch norm that is the one consumer of a convolution, or null. */
    private static String followingBatchNorm(String conv, Map<String, List<String>> inputs,
            Map<String, Integer> consumers, ComputationGraphConfiguration conf) {
        if (consumers.getOrDefault(conv, 0) != 1) {
            return null;
        }
        for (Map.Entry<String, List<String>> e : inputs.entrySet()) {
            if (e.getValue().equals(List.of(conv)) && conf.getVertices().get(e.getKey()) instanceof LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof BatchNormalization) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * A Conv node, with the batch norm {@code bn} (if not null) folded into its weights and bias; with
     * {@code backward}, its backward rules recorded and its output's [c, h, w] put into {@code shape} (which holds
     * the input's).
     */
    private static String convolution(OnnxWriter w, String name, ConvolutionLayer c, Map<String, INDArray> params,
            String in, org.deeplearning4j.nn.api.Layer bn, Map<String, long[]> shape, OnnxBackward backward) {
        int[] k = c.getKernelSize(), s = c.getStride(), pad = c.getPadding().clone(), d = c.getDilation();
        if (c.getConvolutionMode() == ConvolutionMode.Same && s[0] == 1 && s[1] == 1
                && k[0] % 2 == 1 && k[1] % 2 == 1) {
            // 'same' at stride 1 with odd kernels: symmetric padding of half the dilated kernel
            pad = new int[] {d[0] * (k[0] - 1) / 2, d[1] * (k[1] - 1) / 2};
        } else if (c.getConvolutionMode() != ConvolutionMode.Truncate
                && c.getConvolutionMode() != ConvolutionMode.Strict) {
            throw unsupported(name, "convolution mode " + c.getConvolutionMode() + " (Same only at stride 1 with odd "
                    + "kernels)");
        }
        if (!(c.getActivationFn() instanceof ActivationIdentity) && !(c.getActivationFn() instanceof ActivationReLU)) {
            throw unsupported(name, "convolution activation " + c.getActivationFn());
        }
        INDArray weight = params.get("W");
        long out = weight.size(0), perFilter = weight.length() / out;
        double[] wv = weight.dup('c').data().asDouble();
        double[] b = new double[(int) out];
        if (c.hasBias()) {
            b = params.get("b").dup('c').data().asDouble();
        }
        if (bn != null) {
            Map<String, INDArray> p = bn.paramTable();
            BatchNormalization conf = (BatchNormalization) bn.conf().getLayer();
            double[] mean = p.get("mean").dup().data().asDouble();
            double[] var = conf.isUseLogStd()
                    ? p.get("log10stdev").dup().data().asDouble() : p.get("var").dup().data().asDouble();
            double[] gamma = p.get("gamma").dup().data().asDouble(), beta = p.get("beta").dup().data().asDouble();
            for (int o = 0; o < out; o++) {
                double v = conf.isUseLogStd() ? Math.pow(10, 2 * var[o]) : var[o];
                double scale = gamma[o] / Math.sqrt(v + conf.getEps());
                for (long j = 0; j < perFilter; j++) {
                    wv[(int) (o * perFilter + j)] *= scale;
                }
                b[o] = b[o] * scale + beta[o] - scale * mean[o];
            }
        }
        float[] folded = toFloats(wv);
        String wName = w.constant("W", weight.shape(), folded);
        List<String> args = new ArrayList<>(List.of(in, wName));
        if (c.hasBias() || bn != null) {
            args.add(w.constant("b", new long[] {out}, toFloats(b)));
        }
        String conv = w.node("Conv", args, OnnxWriter.Attribute.ints("kernel_shape", k[0], k[1]),
                OnnxWriter.Attribute.ints("strides", s[0], s[1]),
                OnnxWriter.Attribute.ints("pads", pad[0], pad[1], pad[0], pad[1]),
                OnnxWriter.Attribute.ints("dilations", d[0], d[1]));
        if (shape != null) {
            long[] chw = shape.get(in);
            long[] hw = new long[2];
            for (int i = 0; i < 2; i++) {
                hw[i] = (chw[i + 1] + 2L * pad[i] - (long) d[i] * (k[i] - 1) - 1) / s[i] + 1;
            }
            shape.put(conv, new long[] {out, hw[0], hw[1]});
            if (backward != null) {
                backward.conv(in, conv, wName, folded, weight.shape(), k, s, pad, d, new long[] {chw[1], chw[2]}, hw);
            }
        }
        if (c.getActivationFn() instanceof ActivationReLU) {
            String a = relu(w, conv, out, backward);
            if (shape != null) {
                shape.put(a, shape.get(conv));
            }
            return a;
        }
        return conv;
    }

    private static float[] floats(double[] v) {
        return toFloats(v);
    }

    private static float[] floats(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    static IllegalArgumentException unsupported(String vertex, String what) {
        return new IllegalArgumentException("ONNX export: vertex '" + vertex + "' (" + what + ") is not supported");
    }
}
