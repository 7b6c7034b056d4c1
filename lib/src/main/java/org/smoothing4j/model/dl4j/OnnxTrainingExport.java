package org.smoothing4j.model.dl4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.smoothing4j.model.onnx.OnnxBackward;
import org.smoothing4j.model.onnx.OnnxWriter;

/**
 * The training step of smoothing4j's CIFAR ResNets ({@link ResNets}) as one ONNX graph: the forward pass in training
 * mode (batch norms normalising by the batch's statistics) and the backward pass to every parameter, written as
 * ONNX operators so that ONNX Runtime runs the step instead of libnd4j's convolution kernels (issue 31: libnd4j
 * 1.0.0-M2.1's conv2d_bp and batchnorm_bp alone take longer than PyTorch's whole step, benchmarks/ResNetOps.java).
 * Each convolution's weight gradient is a product of matrices of patches and its input gradient a convolution
 * ({@link OnnxBackward#convTrained}), batch norm's backward is element-wise operators and reductions
 * ({@link OnnxBackward#batchNormTraining}).
 *
 * <p>A measured prototype (issue 31), not a training path: {@code train} does not use it. On this 2-core machine
 * (2026-12-04, ResNet-20, batch 128, 2 threads, alternating in one JVM: benchmarks/OnnxTrainingPrototype.java) its
 * step takes 650 ms against DL4J's 850 ms and PyTorch 1.13's 254 ms: ONNX Runtime's convolutions run at about 50
 * GFLOP/s on these shapes (forward and input-gradient convolutions alone 190 ms, PyTorch's oneDNN forward and
 * backward convolutions together 173 ms), the patches for the weight gradients cost 190 ms and the unfused batch
 * norms 170 ms (PyTorch's fused ones 42 ms). So ONNX Runtime cannot reach PyTorch's step; oneDNN's training
 * primitives, which PyTorch calls, can, and {@code org.smoothing4j.model.onednn.ResNetStep} is the step ResNets
 * train on (results/bench-runs.md). OnnxTrainingStepTest checks this graph against DL4J's own gradients: it stays as
 * the measured alternative and a second, independent formulation of the backward pass.
 *
 * <p>Graph inputs: {@value #INPUT} [b, c, h, w], one-hot {@value #LABELS} [b, classes], then every trained parameter
 * under {@link Export#parameters}' names and shapes (a batch norm's gamma and beta as [1, c, 1, 1], the dense bias as
 * [1, classes]: the same values in DL4J's order). Outputs: {@value #LOSS}, the mean cross-entropy over the batch
 * (DL4J's score without its L2 term); {@value #PROBABILITIES}; the gradient of the SUM of the examples' losses for
 * each parameter (DL4J's {@code computeGradientAndScore} convention: its updater divides by the batch size), named
 * {@code "d_" + parameter}; each batch norm's batch mean and biased variance [1, c, 1, 1] for the running averages.
 */
public final class OnnxTrainingExport {
    private OnnxTrainingExport() {}

    public static final String INPUT = "input", LABELS = "labels", LOSS = "loss", PROBABILITIES = "probabilities";

    /** A trained parameter: DL4J's vertex and key, its ONNX name and the shape it has in the graph. */
    public record Parameter(String vertex, String key, String name, long[] shape) {}

    /** A batch norm's vertex and the names of its batch-statistics outputs. */
    public record BatchStatistics(String vertex, String mean, String variance) {}

    /** The exported graph and what its inputs and outputs hold. */
    public record Export(byte[] model, List<Parameter> parameters, List<BatchStatistics> batchNorms, int classes) {}

    /** The training graph of a ResNet built by {@link ResNets}, for images [c, h, w]. */
    public static Export of(ComputationGraph graph, long[] inputShape) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        OnnxWriter w = new OnnxWriter();
        OnnxBackward backward = new OnnxBackward(w);
        Map<String, String> value = new HashMap<>();
        Map<String, long[]> shape = new HashMap<>(); // ONNX value -> [c, h, w]
        String input = conf.getNetworkInputs().get(0);
        value.put(input, INPUT);
        shape.put(INPUT, inputShape.clone());
        backward.constant(INPUT);
        List<Parameter> params = new ArrayList<>();
        List<BatchStatistics> stats = new ArrayList<>();
        List<OnnxWriter.Value> outputs = new ArrayList<>();
        String output = null;
        int classes = 0;
        for (int index : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[index].getVertexName();
            if (name.equals(input)) {
                continue;
            }
            GraphVertex vertex = conf.getVertices().get(name);
            List<String> in = inputs.get(name).stream().map(value::get).toList();
            if (vertex instanceof ElementWiseVertex e && e.getOp() == ElementWiseVertex.Op.Add && in.size() == 2) {
                String sum = w.node("Add", in);
                backward.add(in.get(0), in.get(1), sum);
                value.put(name, sum);
                shape.put(sum, shape.get(in.get(0)));
                continue;
            }
            if (!(vertex instanceof LayerVertex lv)) {
                throw OnnxExport.unsupported(name, vertex.getClass().getSimpleName());
            }
            Layer layer = lv.getLayerConf().getLayer();
            String x = in.get(0);
            long[] chw = shape.get(x);
            String y;
            if (layer instanceof ActivationLayer a && a.getActivationFn() instanceof NormalizeActivation n) {
                y = OnnxExport.normalize(w, x, n, null);
                backward.constant(y); // nothing before it is trained
                shape.put(y, chw);
            } else if (layer instanceof ActivationLayer a && a.getActivationFn() instanceof ActivationReLU r
                    && OnnxExport.plain(r)) {
                y = w.node("Relu", List.of(x));
                backward.relu(x, y, chw[0]);
                shape.put(y, chw);
            } else if (layer instanceof ConvolutionLayer c && c.getClass() == ConvolutionLayer.class && !c.hasBias()
                    && c.getActivationFn() instanceof ActivationIdentity
                    && (c.getConvolutionMode() == ConvolutionMode.Truncate
                            || c.getConvolutionMode() == ConvolutionMode.Strict)
                    && c.getDilation()[0] == 1 && c.getDilation()[1] == 1) {
                long[] wShape = graph.getLayer(name).getParam("W").shape();
                String weight = parameter(params, name, "W", wShape);
                int[] k = c.getKernelSize(), s = c.getStride(), p = c.getPadding();
                y = w.node("Conv", List.of(x, weight), OnnxWriter.Attribute.ints("kernel_shape", k[0], k[1]),
                        OnnxWriter.Attribute.ints("strides", s[0], s[1]),
                        OnnxWriter.Attribute.ints("pads", p[0], p[1], p[0], p[1]));
                long[] hw = new long[2];
                for (int i = 0; i < 2; i++) {
                    hw[i] = (chw[i + 1] + 2L * p[i] - k[i]) / s[i] + 1;
                }
                shape.put(y, new long[] {wShape[0], hw[0], hw[1]});
                backward.convTrained(x, y, weight, wShape, k, s, p, new long[] {chw[1], chw[2]}, hw);
            } else if (layer instanceof BatchNormalization bn && !bn.isLockGammaBeta()) {
                long ch = chw[0];
                long[] perChannel = {1, ch, 1, 1};
                String gamma = parameter(params, name, "gamma", perChannel);
                String beta = parameter(params, name, "beta", perChannel);
                OnnxWriter.Attribute over = OnnxWriter.Attribute.ints("axes", 0, 2, 3);
                String mean = w.node("ReduceMean", List.of(x), over);
                String centred = w.node("Sub", List.of(x, mean));
                String variance = w.node("ReduceMean", List.of(w.node("Mul", List.of(centred, centred))), over);
                String inv = w.node("Reciprocal", List.of(w.node("Sqrt", List.of(w.node("Add", List.of(variance,
                        w.constant("eps", new long[0], new float[] {(float) bn.getEps()})))))));
                String xhat = w.node("Mul", List.of(centred, inv));
                y = w.node("Add", List.of(w.node("Mul", List.of(xhat, gamma)), beta));
                backward.batchNormTraining(x, y, xhat, inv, gamma, beta);
                shape.put(y, chw);
                BatchStatistics st = new BatchStatistics(name, "mean_" + name, "var_" + name);
                w.node("Identity", List.of(mean), st.mean());
                w.node("Identity", List.of(variance), st.variance());
                outputs.add(OnnxWriter.Value.fixed(st.mean(), perChannel));
                outputs.add(OnnxWriter.Value.fixed(st.variance(), perChannel));
                stats.add(st);
            } else if (layer instanceof GlobalPoolingLayer p && p.getPoolingType() == PoolingType.AVG) {
                y = w.node("Flatten", List.of(w.node("GlobalAveragePool", List.of(x))),
                        OnnxWriter.Attribute.i("axis", 1));
                backward.globalAveragePool(x, y, chw[0], chw[1], chw[2]);
            } else if (layer instanceof OutputLayer o && OnnxExport.softmaxOutput(o)) {
                classes = (int) o.getNOut();
                String weight = parameter(params, name, "W", graph.getLayer(name).getParam("W").shape());
                String bias = parameter(params, name, "b", new long[] {1, classes});
                String logits = w.node("Gemm", List.of(x, weight, bias));
                backward.denseTrained(x, logits, weight, bias);
                y = w.node("Softmax", List.of(logits), PROBABILITIES, OnnxWriter.Attribute.i("axis", 1));
                String rows = w.node("ReduceSum", List.of(w.node("Mul", List.of(LABELS,
                        w.node("LogSoftmax", List.of(logits), OnnxWriter.Attribute.i("axis", 1)))),
                        w.constantLongs("axes", new long[] {1})), OnnxWriter.Attribute.i("keepdims", 0));
                w.node("Neg", List.of(w.node("ReduceMean", List.of(rows), OnnxWriter.Attribute.ints("axes", 0),
                        OnnxWriter.Attribute.i("keepdims", 0))), LOSS);
                backward.seed(logits, w.node("Sub", List.of(y, LABELS))); // d(summed CE)/d(logits) = p - labels
                output = name;
            } else {
                throw OnnxExport.unsupported(name, layer.getClass().getSimpleName() + " " + layer);
            }
            value.put(name, y);
        }
        if (output == null || !output.equals(conf.getNetworkOutputs().get(0))) {
            throw new IllegalArgumentException("ONNX training export: the graph's output is not a softmax output layer");
        }
        backward.write();
        List<OnnxWriter.Value> graphInputs = new ArrayList<>(List.of(new OnnxWriter.Value(INPUT, inputShape),
                new OnnxWriter.Value(LABELS, classes)));
        List<OnnxWriter.Value> graphOutputs = new ArrayList<>(List.of(OnnxWriter.Value.fixed(LOSS),
                new OnnxWriter.Value(PROBABILITIES, classes)));
        for (Parameter p : params) {
            graphInputs.add(OnnxWriter.Value.fixed(p.name(), p.shape()));
            String grad = "d_" + p.name();
            w.node("Identity", List.of(backward.gradientOf(p.name())), grad);
            graphOutputs.add(OnnxWriter.Value.fixed(grad, p.shape()));
        }
        graphOutputs.addAll(outputs);
        return new Export(w.model("smoothing4j-training", graphInputs, graphOutputs), List.copyOf(params),
                List.copyOf(stats), classes);
    }

    private static String parameter(List<Parameter> params, String vertex, String key, long[] shape) {
        Parameter p = new Parameter(vertex, key, vertex + "_" + key, shape.clone());
        params.add(p);
        return p.name();
    }

    /** The parameters by ONNX name (for lookups). */
    public static Map<String, Parameter> byName(Export e) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (Parameter p : e.parameters()) {
            m.put(p.name(), p);
        }
        return m;
    }
}
