package org.smoothing4j.model.onednn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_0;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_1;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.binary;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
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
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smoothing4j.model.Activations;
import org.smoothing4j.model.NormalizeActivation;

/**
 * The forward and backward pass of a training step of smoothing4j's CIFAR ResNets on oneDNN's training primitives
 * (issue 31): convolutions forward, backward data and backward weights, batch normalisation in training mode with
 * its backward pass, ReLU and residual additions, each in the memory layout oneDNN chooses (blocked channels,
 * converted only where two primitives disagree), the stem's input and the pooled features in plain NCHW. Global
 * average pooling, the dense output layer and the loss run in ND4J on [b, 64] values.
 *
 * <p>Why: libnd4j 1.0.0-M2.1's own conv2d_bp and batchnorm_bp take longer than PyTorch's whole ResNet-20 step
 * (benchmarks/ResNetOps.java), and ONNX Runtime's convolutions are 2-3x slower than oneDNN's on these shapes
 * (a measured prototype, results/bench-runs.md); oneDNN, which PyTorch itself calls, runs the step's convolutions in
 * about 110 ms (benchmarks/onednn-convolutions; results/bench-runs.md, 2026-12-04).
 *
 * <p>What it computes is what DL4J's {@code computeGradientAndScore} computes (ResNetStepTest): the gradient of the
 * SUM of the examples' losses for every trained parameter, in DL4J's parameter names ("vertex_key"), and for each
 * batch norm the batch's mean and biased variance, from which {@link #runningAverageUpdates} forms DL4J's running
 * average "gradients" of "mean" and "log10stdev". One instance serves one batch size and is used by one thread.
 */
public final class ResNetStep implements AutoCloseable {
    /** Every native memory and primitive this step made (but the engine and the stream), freed by {@link #close}. */
    private final List<Pointer> owned = new ArrayList<>();
    private final engine eng = new engine(engine.kind.cpu, 0);
    private final stream s = new stream(eng);
    private final ComputationGraph graph;
    private final int batch;
    private final List<Op> ops = new ArrayList<>();
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, Grad> gradients = new LinkedHashMap<>();
    private final Map<String, memory[]> statistics = new LinkedHashMap<>();
    private Value input;
    private String pooledFrom;
    private String output;
    private float[] mean, std;
    private Reorder toPlain;
    private memory dPlain;

    /** The gradient of one trained parameter, read after the backward pass. */
    private interface Grad {
        INDArray read();
    }

    private interface Op {
        void forward();

        void backward();
    }

    /** d(loss)/d(logits) of a batch, given the logits: the summed-loss gradient and the mean loss. */
    public interface LogitGradient {
        Loss evaluate(INDArray logits);
    }

    /** A loss's value (mean over the batch) and its gradient for the SUM over the batch, [b, classes]. */
    public record Loss(double value, INDArray summedGradient) {}

    /**
     * The mean loss, the softmax probabilities of the training-mode forward pass (batch statistics), the gradients by
     * DL4J name ("vertex_key") and each batch norm's batch [mean, variance].
     */
    public record Result(double loss, INDArray probabilities, Map<String, INDArray> gradients,
            Map<String, INDArray[]> batchStatistics) {}

    /** Thrown for a graph this step does not cover (the caller keeps DL4J's step). */
    public static final class Unsupported extends RuntimeException {
        Unsupported(String what) {
            super(what);
        }
    }

    /** The step of a float ResNet built by smoothing4j for batches of {@code batch} images [c, h, w]. */
    public ResNetStep(ComputationGraph graph, long[] shape, int batch) {
        if (graph.params().dataType() != DataType.FLOAT) {
            throw new Unsupported("oneDNN's training step runs float networks");
        }
        this.graph = graph;
        this.batch = batch;
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        String in = conf.getNetworkInputs().get(0);
        for (int index : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[index].getVertexName();
            if (name.equals(in)) {
                continue;
            }
            GraphVertex vertex = conf.getVertices().get(name);
            List<String> from = inputs.get(name);
            if (vertex instanceof ElementWiseVertex e && e.getOp() == ElementWiseVertex.Op.Add && from.size() == 2) {
                ops.add(add(name, value(from.get(0)), value(from.get(1))));
                continue;
            }
            if (!(vertex instanceof LayerVertex lv)) {
                throw new Unsupported(name + ": " + vertex.getClass().getSimpleName());
            }
            Layer layer = lv.getLayerConf().getLayer();
            if (layer instanceof ActivationLayer a && a.getActivationFn() instanceof NormalizeActivation n
                    && from.get(0).equals(in)) {
                mean = floats(n.getMean());
                std = floats(n.getStd());
                input = new Value(md(memory.format_tag.nchw, batch, shape[0], shape[1], shape[2]),
                        new long[] {batch, shape[0], shape[1], shape[2]});
                values.put(name, input);
            } else if (layer instanceof ActivationLayer a && Activations.plainRelu(a.getActivationFn())) {
                ops.add(relu(name, value(from.get(0))));
            } else if (layer instanceof ConvolutionLayer c && c.getClass() == ConvolutionLayer.class && !c.hasBias()
                    && c.getActivationFn() instanceof ActivationIdentity
                    && c.getConvolutionMode() == ConvolutionMode.Truncate && c.getDilation()[0] == 1
                    && c.getDilation()[1] == 1) {
                ops.add(conv(name, c, value(from.get(0))));
            } else if (layer instanceof BatchNormalization b && b.isUseLogStd() && !b.isLockGammaBeta()) {
                ops.add(batchNorm(name, b, value(from.get(0))));
            } else if (layer instanceof GlobalPoolingLayer p && p.getPoolingType() == PoolingType.AVG
                    && pooledFrom == null) {
                pooledFrom = from.get(0);
                value(pooledFrom);
            } else if (layer instanceof OutputLayer o && o.getActivationFn() instanceof ActivationSoftmax
                    && o.hasBias() && from.get(0).equals(name(conf, pooledFrom)) && output == null) {
                output = name;
            } else {
                throw new Unsupported(name + ": " + layer.getClass().getSimpleName());
            }
        }
        if (input == null || output == null || !output.equals(conf.getNetworkOutputs().get(0))) {
            throw new Unsupported("not normalisation, convolutions, pooling and a softmax output");
        }
    }

    /** The pooling vertex's name (the vertex whose input is {@code pooledFrom}). */
    private static String name(ComputationGraphConfiguration conf, String pooledFrom) {
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            if (e.getValue().equals(List.of(String.valueOf(pooledFrom)))
                    && conf.getVertices().get(e.getKey()) instanceof LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof GlobalPoolingLayer) {
                return e.getKey();
            }
        }
        return null;
    }

    private Value value(String name) {
        Value v = values.get(name);
        if (v == null) {
            throw new Unsupported("vertex " + name + " feeds a layer the step does not cover");
        }
        return v;
    }

    /**
     * One forward and backward pass on a batch [b, c, h, w] (b the batch size of this step) with the network's
     * current parameters; {@code loss} gives d(loss)/d(logits).
     */
    public Result run(INDArray features, LogitGradient loss) {
        if (features.size(0) != batch) {
            throw new IllegalArgumentException("a step for batches of " + batch + " got " + features.size(0));
        }
        for (Value v : values.values()) {
            v.hasGradient = false;
        }
        INDArray x = features.castTo(DataType.FLOAT).dup('c');
        for (int c = 0; c < mean.length; c++) {
            x.get(NDArrayIndex.all(), NDArrayIndex.point(c)).subi(mean[c]).divi(std[c]);
        }
        buffer(input.mem, x.length()).put(x.data().asFloat());
        for (Op op : ops) {
            op.forward();
        }
        Value last = values.get(pooledFrom);
        long c = last.dims[1], h = last.dims[2], w = last.dims[3];
        if (toPlain == null) { // built once: a per-step memory would also leave a conversion per step in accumulate
            toPlain = new Reorder(last.desc, md(memory.format_tag.nchw, last.dims));
            dPlain = own(new memory(md(memory.format_tag.nchw, last.dims), eng));
        }
        memory plain = toPlain.run(last.mem);
        s._wait();
        INDArray pooled = read(plain, last.dims).mean(2, 3);
        INDArray weight = graph.getLayer(output).getParam("W"), bias = graph.getLayer(output).getParam("b");
        INDArray logits = pooled.mmul(weight).addiRowVector(bias);
        Loss l = loss.evaluate(logits);
        INDArray dLogits = l.summedGradient().castTo(DataType.FLOAT);
        // average pooling's backward: each position of a channel gets 1 / (h w) of the pooled gradient
        float[] dPooled = dLogits.mmul(weight.transpose()).dup('c').data().asFloat();
        float[] dLast = new float[Math.toIntExact(batch * c * h * w)];
        for (int i = 0; i < dPooled.length; i++) {
            java.util.Arrays.fill(dLast, Math.toIntExact(i * h * w), Math.toIntExact((i + 1) * h * w),
                    (float) (dPooled[i] / (double) (h * w)));
        }
        buffer(dPlain, dLast.length).put(dLast);
        last.accumulate(dPlain);
        for (int i = ops.size() - 1; i >= 0; i--) {
            ops.get(i).backward();
        }
        s._wait();
        Map<String, INDArray> g = new LinkedHashMap<>();
        for (Map.Entry<String, Grad> e : gradients.entrySet()) {
            g.put(e.getKey(), e.getValue().read());
        }
        g.put(output + "_W", pooled.transpose().mmul(dLogits));
        g.put(output + "_b", dLogits.sum(true, 0));
        Map<String, INDArray[]> stats = new LinkedHashMap<>();
        for (Map.Entry<String, memory[]> e : statistics.entrySet()) {
            long ch = graph.getLayer(e.getKey()).getParam("gamma").length();
            stats.put(e.getKey(), new INDArray[] {read(e.getValue()[0], new long[] {1, ch}),
                    read(e.getValue()[1], new long[] {1, ch})});
        }
        return new Result(l.value(), Transforms.softmax(logits, true), g, stats);
    }

    /** Softmax cross-entropy against one-hot labels: mean loss, summed gradient p - y. */
    public static LogitGradient crossEntropy(INDArray oneHot) {
        return logits -> {
            INDArray p = Transforms.softmax(logits, true);
            double loss = -oneHot.castTo(DataType.FLOAT).mul(Transforms.log(p.add(0f), true)).sumNumber()
                    .doubleValue() / logits.size(0);
            return new Loss(loss, p.sub(oneHot.castTo(DataType.FLOAT)));
        };
    }

    /**
     * The "gradients" DL4J's batch norm gives its running statistics, which its updater subtracts unchanged (no
     * learning rate, no division by the batch size): mean - m_new for the mean, m_new = decay mean + (1 - decay)
     * batchMean; for log10stdev, l - log10(sqrt(v_new + eps)) with v = (10^l)^2 - eps the running variance and v_new =
     * decay v + (1 - decay) batchVariance (biased), as DL4J 1.0.0-M2.1 computes them (checked against its backward
     * pass in ResNetStepTest).
     */
    public Map<String, INDArray> runningAverageUpdates(Result r) {
        Map<String, INDArray> u = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray[]> e : r.batchStatistics().entrySet()) {
            BatchNormalization conf = (BatchNormalization) graph.getLayer(e.getKey()).conf().getLayer();
            double decay = conf.getDecay(), eps = conf.getEps();
            INDArray m = graph.getLayer(e.getKey()).getParam("mean").castTo(DataType.DOUBLE);
            INDArray l = graph.getLayer(e.getKey()).getParam("log10stdev").castTo(DataType.DOUBLE);
            INDArray batchMean = e.getValue()[0].castTo(DataType.DOUBLE).reshape(m.shape());
            INDArray batchVar = e.getValue()[1].castTo(DataType.DOUBLE).reshape(m.shape());
            u.put(e.getKey() + "_mean", m.sub(batchMean).muli(1 - decay).castTo(DataType.FLOAT));
            INDArray std = Transforms.exp(l.mul(Math.log(10)), true);
            INDArray var = std.mul(std).subi(eps).muli(decay).addi(batchVar.mul(1 - decay)).addi(eps);
            u.put(e.getKey() + "_log10stdev", l.sub(Transforms.log(Transforms.sqrt(var, true), 10))
                    .castTo(DataType.FLOAT));
        }
        return u;
    }

    // ----------------------------------------------------------------------------------------------------------
    // operations

    private Op conv(String name, ConvolutionLayer c, Value x) {
        INDArray wv = graph.getLayer(name).getParam("W");
        long out = wv.size(0), in = wv.size(1);
        int[] k = c.getKernelSize(), st = c.getStride(), p = c.getPadding();
        long oh = (x.dims[2] + 2L * p[0] - k[0]) / st[0] + 1, ow = (x.dims[3] + 2L * p[1] - k[1]) / st[1] + 1;
        long[] strides = {st[0], st[1]}, pad = {p[0], p[1]};
        boolean first = x == input; // the stem: its input gradient is not needed, its input stays NCHW
        memory.desc src = first ? x.desc : md(memory.format_tag.any, x.dims);
        memory.desc wts = md(memory.format_tag.any, out, in, k[0], k[1]);
        memory.desc dst = md(memory.format_tag.any, batch, out, oh, ow);
        convolution_forward.primitive_desc f = own(new convolution_forward.primitive_desc(new convolution_forward.desc(
                dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct, src, wts, dst, strides, pad, pad),
                eng));
        convolution_backward_weights.primitive_desc bw = own(new convolution_backward_weights.primitive_desc(
                new convolution_backward_weights.desc(dnnl.algorithm.convolution_direct, src, wts, dst, strides, pad,
                        pad), eng, f));
        convolution_backward_data.primitive_desc bd = first ? null : own(new convolution_backward_data.primitive_desc(
                new convolution_backward_data.desc(dnnl.algorithm.convolution_direct, src, wts, dst, strides, pad,
                        pad), eng, f));
        Value y = new Value(f.dst_desc(), new long[] {batch, out, oh, ow});
        values.put(name, y);
        long[] plainShape = {out, in, k[0], k[1]};
        memory wPlain = own(new memory(md(memory.format_tag.oihw, plainShape), eng));
        Reorder toForward = new Reorder(wPlain.get_desc(), f.weights_desc());
        Reorder srcIn = new Reorder(x.desc, f.src_desc());
        Reorder srcForWeights = new Reorder(f.src_desc(), bw.src_desc());
        Reorder dyForWeights = new Reorder(y.desc, bw.diff_dst_desc());
        memory dwBlocked = own(new memory(bw.diff_weights_desc(), eng));
        Reorder dwToPlain = new Reorder(bw.diff_weights_desc(), wPlain.get_desc());
        Reorder wForData = first ? null : new Reorder(f.weights_desc(), bd.weights_desc());
        Reorder dyForData = first ? null : new Reorder(y.desc, bd.diff_dst_desc());
        memory dx = first ? null : own(new memory(bd.diff_src_desc(), eng));
        primitive forward = own(new convolution_forward(f)), weights = own(new convolution_backward_weights(bw));
        primitive data = first ? null : own(new convolution_backward_data(bd));
        memory[] kept = new memory[3]; // the forward's source and weights, the plain weight gradient
        gradients.put(name + "_W", () -> read(kept[2], plainShape));
        return new Op() {
            @Override
            public void forward() {
                buffer(wPlain, wv.length()).put(wv.dup('c').data().asFloat());
                kept[1] = toForward.run(wPlain);
                kept[0] = srcIn.run(x.mem);
                forward.execute(s, args(DNNL_ARG_SRC, kept[0], DNNL_ARG_WEIGHTS, kept[1], DNNL_ARG_DST, y.mem));
            }

            @Override
            public void backward() {
                weights.execute(s, args(DNNL_ARG_SRC, srcForWeights.run(kept[0]), DNNL_ARG_DIFF_DST,
                        dyForWeights.run(y.gradient), DNNL_ARG_DIFF_WEIGHTS, dwBlocked));
                kept[2] = dwToPlain.run(dwBlocked);
                if (data != null) {
                    data.execute(s, args(DNNL_ARG_DIFF_DST, dyForData.run(y.gradient), DNNL_ARG_WEIGHTS,
                            wForData.run(kept[1]), DNNL_ARG_DIFF_SRC, dx));
                    x.accumulate(dx);
                }
            }
        };
    }

    private Op batchNorm(String name, BatchNormalization b, Value x) {
        long c = x.dims[1];
        float eps = (float) b.getEps();
        batch_normalization_forward.primitive_desc f = own(new batch_normalization_forward.primitive_desc(
                new batch_normalization_forward.desc(dnnl.prop_kind.forward_training, x.desc, eps,
                        dnnl.normalization_flags.use_scale_shift), eng));
        batch_normalization_backward.primitive_desc bk = own(new batch_normalization_backward.primitive_desc(
                new batch_normalization_backward.desc(dnnl.prop_kind.backward, x.desc, x.desc, eps,
                        dnnl.normalization_flags.use_scale_shift), eng, f));
        Value y = new Value(f.dst_desc(), x.dims);
        values.put(name, y);
        memory scaleShift = own(new memory(f.weights_desc(), eng)), mean = own(new memory(f.mean_desc(), eng)),
                variance = own(new memory(f.variance_desc(), eng)),
                dScaleShift = own(new memory(bk.diff_weights_desc(), eng)),
                dx = own(new memory(bk.diff_src_desc(), eng));
        primitive forward = own(new batch_normalization_forward(f)),
                backward = own(new batch_normalization_backward(bk));
        INDArray gamma = graph.getLayer(name).getParam("gamma"), beta = graph.getLayer(name).getParam("beta");
        statistics.put(name, new memory[] {mean, variance});
        gradients.put(name + "_gamma", () -> read(dScaleShift, new long[] {2, c}).getRow(0).reshape(1, c).dup());
        gradients.put(name + "_beta", () -> read(dScaleShift, new long[] {2, c}).getRow(1).reshape(1, c).dup());
        return new Op() {
            @Override
            public void forward() {
                buffer(scaleShift, 2 * c).put(gamma.dup().data().asFloat()).put(beta.dup().data().asFloat());
                forward.execute(s, args(DNNL_ARG_SRC, x.mem, DNNL_ARG_SCALE_SHIFT, scaleShift, DNNL_ARG_MEAN, mean,
                        DNNL_ARG_VARIANCE, variance, DNNL_ARG_DST, y.mem));
            }

            @Override
            public void backward() {
                backward.execute(s, args(DNNL_ARG_SRC, x.mem, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance,
                        DNNL_ARG_DIFF_DST, y.gradient, DNNL_ARG_SCALE_SHIFT, scaleShift, DNNL_ARG_DIFF_SRC, dx,
                        DNNL_ARG_DIFF_SCALE_SHIFT, dScaleShift));
                x.accumulate(dx);
            }
        };
    }

    private Op relu(String name, Value x) {
        eltwise_forward.primitive_desc f = own(new eltwise_forward.primitive_desc(new eltwise_forward.desc(
                dnnl.prop_kind.forward_training, dnnl.algorithm.eltwise_relu, x.desc, 0f, 0f), eng));
        eltwise_backward.primitive_desc bk = own(new eltwise_backward.primitive_desc(new eltwise_backward.desc(
                dnnl.algorithm.eltwise_relu, x.desc, x.desc, 0f, 0f), eng, f));
        Value y = new Value(f.dst_desc(), x.dims);
        values.put(name, y);
        primitive forward = own(new eltwise_forward(f)), backward = own(new eltwise_backward(bk));
        memory dx = own(new memory(bk.diff_src_desc(), eng));
        return new Op() {
            @Override
            public void forward() {
                forward.execute(s, args(DNNL_ARG_SRC, x.mem, DNNL_ARG_DST, y.mem));
            }

            @Override
            public void backward() {
                backward.execute(s, args(DNNL_ARG_SRC, x.mem, DNNL_ARG_DIFF_DST, y.gradient, DNNL_ARG_DIFF_SRC, dx));
                x.accumulate(dx);
            }
        };
    }

    private Op add(String name, Value a, Value b) {
        Value y = new Value(a.desc, a.dims);
        values.put(name, y);
        Reorder bIn = new Reorder(b.desc, a.desc);
        binary sum = adder(a.desc);
        return new Op() {
            @Override
            public void forward() {
                sum.execute(s, args(DNNL_ARG_SRC_0, a.mem, DNNL_ARG_SRC_1, bIn.run(b.mem), DNNL_ARG_DST, y.mem));
            }

            @Override
            public void backward() {
                a.accumulate(y.gradient, true); // a's gradient may be this memory: b's must then be a copy
                b.accumulate(y.gradient, false);
            }
        };
    }

    private binary adder(memory.desc d) {
        return own(new binary(new binary.primitive_desc(new binary.desc(dnnl.algorithm.binary_add, d, d, d), eng)));
    }

    // ----------------------------------------------------------------------------------------------------------
    // memories

    /** A tensor in oneDNN memory, and its gradient (summed over the uses of the tensor). */
    private final class Value {
        final memory.desc desc;
        final memory mem;
        final long[] dims;
        memory gradient;
        private memory copy;
        boolean hasGradient;
        private final Map<Long, Reorder> into = new HashMap<>();
        private binary sum;

        Value(memory.desc desc, long[] dims) {
            this.desc = desc;
            this.mem = own(new memory(desc, eng));
            this.dims = dims.clone();
        }

        /**
         * gradient += g (g in any layout of this tensor). The first contribution is not copied when {@code own} says
         * g's memory is the contributor's private output, which nothing reads after this call: the gradient is that
         * memory, and a second contribution is added into it in place (in reverse topological order every reader of
         * a tensor's gradient runs before any later contribution to it).
         */
        void accumulate(memory g, boolean own) {
            memory.desc gd = g.get_desc();
            memory same = g;
            boolean fresh = own;
            if (!gd.equals(desc)) {
                Reorder r = into.computeIfAbsent(g.address(), a -> new Reorder(gd, desc));
                same = r.run(g);
                fresh = true; // the reorder's own target
            }
            if (!hasGradient) {
                if (fresh) {
                    gradient = same;
                } else {
                    if (copy == null) {
                        copy = own(new memory(desc, eng));
                    }
                    new reorder(same, copy).execute(s, args(DNNL_ARG_FROM, same, DNNL_ARG_TO, copy));
                    gradient = copy;
                }
                hasGradient = true;
            } else {
                if (sum == null) {
                    sum = adder(desc);
                }
                sum.execute(s, args(DNNL_ARG_SRC_0, gradient, DNNL_ARG_SRC_1, same, DNNL_ARG_DST, gradient));
            }
        }

        void accumulate(memory g) {
            accumulate(g, true);
        }
    }

    /** A layout conversion between two descriptions of one tensor: the identity when they are equal. */
    private final class Reorder {
        private final memory target;
        private final boolean identity;
        private final memory.desc to;
        private reorder primitive;
        private long source;

        Reorder(memory.desc from, memory.desc to) {
            this.identity = from.equals(to);
            this.to = to;
            this.target = identity ? null : own(new memory(to, eng));
        }

        memory run(memory from) {
            if (identity) {
                return from;
            }
            if (primitive == null || source != from.address()) {
                if (primitive != null) {
                    owned.remove(primitive);
                    primitive.close();
                }
                primitive = own(new reorder(from, target));
                source = from.address();
            }
            primitive.execute(s, args(DNNL_ARG_FROM, from, DNNL_ARG_TO, target));
            return target;
        }
    }

    private static IntMemoryMap args(Object... kv) {
        IntMemoryMap m = new IntMemoryMap();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((Integer) kv[i], (memory) kv[i + 1]);
        }
        return m;
    }

    private static memory.desc md(memory.format_tag tag, long... dims) {
        return new memory.desc(new LongPointer(dims), memory.data_type.f32, tag);
    }

    private static FloatBuffer buffer(memory m, long n) {
        return new FloatPointer(m.get_data_handle()).capacity(n).asBuffer();
    }

    private INDArray read(memory m, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        buffer(m, n).get(v);
        java.lang.ref.Reference.reachabilityFence(m); // the buffer view does not keep m's memory alive
        return Nd4j.create(v, shape, 'c');
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
        s.close();
        eng.close();
    }

    /** Keeps a native object this step made, to free it in {@link #close} (not when the garbage collector runs). */
    private <T extends Pointer> T own(T p) {
        owned.add(p);
        return p;
    }
}
