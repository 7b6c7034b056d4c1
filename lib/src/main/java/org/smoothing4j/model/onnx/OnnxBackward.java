package org.smoothing4j.model.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse mode for the input gradient of an inference graph being written with an {@link OnnxWriter}: an exporter
 * records, for each forward node it writes, how the gradient flows back through it (all weights are constants, so
 * only activations' gradients are formed); {@link #inputGradient} then writes those backward nodes in reverse order
 * into the same graph, summing the gradients of a value used twice (a residual block's input). The operators
 * covered are those of smoothing4j's exported networks: per-channel shift and scale, convolution (its input gradient
 * is the transposed convolution with the same weights), ReLU, addition, global average pooling, a dense layer and a
 * softmax output with cross-entropy against one-hot labels.
 * <p>
 * Why: ONNX Runtime has no backward pass, and DL4J's backward through a residual graph computes every weight
 * gradient as well; an attack needs only d(loss)/d(input) (results/bench.md, "attack input gradient").
 */
public final class OnnxBackward {
    private final OnnxWriter w;
    /** Backward rules in the order of their forward nodes (a topological order); run last to first. */
    private final List<Runnable> rules = new ArrayList<>();
    /** Value name -> the name of d(loss)/d(value) written so far. */
    private final Map<String, String> gradients = new HashMap<>();

    public OnnxBackward(OnnxWriter w) {
        this.w = w;
    }

    /** y = x / divisor (a constant broadcast over the batch): dx = dy / divisor. */
    public void divide(String x, String y, String divisor) {
        rules.add(() -> flow(y, x, g -> w.node("Div", List.of(g, divisor))));
    }

    /** y = x - constant: dx = dy. */
    public void shift(String x, String y) {
        rules.add(() -> flow(y, x, g -> g));
    }

    /** y = Relu(x), x [b, channels, ...]: dx = dy where y > 0, else 0. */
    public void relu(String x, String y, long channels) {
        rules.add(() -> flow(y, x, g -> w.node("Mul", List.of(g, positive(y, channels)))));
    }

    /** 2^100: activations below its inverse, 7.9e-31, count as zero in {@link #positive}. */
    private static final float HUGE = 0x1p100f;

    /**
     * The mask 1[y > 0] of y >= 0 (a ReLU's output) as Clip(2^100 y, 0, 1), the product a per-channel (depthwise 1x1)
     * convolution: 1 exactly where y >= 2^-100 (where 2^100 y overflows too), 0 exactly where y = 0, and 2^100 y
     * between (y in (0, 7.9e-31): far below float32's resolution of activations of order one). Why not Sign(y) or
     * Greater: ONNX Runtime runs convolutions (with a Clip fused into them), ReLU and Mul in its blocked channel layout
     * (NCHWc) but not those, and converting every ReLU's output and gradient out of it and back took 31% of
     * ResNet-20's input gradient (measured, batch 256).
     */
    private String positive(String y, long channels) {
        float[] huge = new float[(int) channels];
        java.util.Arrays.fill(huge, HUGE);
        String scaled = w.node("Conv", List.of(y, w.constant("huge", new long[] {channels, 1, 1, 1}, huge)),
                OnnxWriter.Attribute.ints("kernel_shape", 1, 1), OnnxWriter.Attribute.i("group", channels));
        return w.node("Clip", List.of(scaled, w.constant("zero", new long[0], new float[] {0f}),
                w.constant("one", new long[0], new float[] {1f})));
    }

    /** y = a + b: da = db = dy. */
    public void add(String a, String b, String y) {
        rules.add(() -> {
            String g = gradients.get(y);
            if (g != null) {
                accumulate(a, g);
                accumulate(b, g);
            }
        });
    }

    /**
     * y = Conv(x, weight [, bias]) with these attributes, x of spatial size {@code inHW}, y of {@code outHW};
     * {@code weight} names the constant [out, in, kH, kW] with the given values. dx is the transposed convolution of
     * dy with the same weight. At stride 1 that is itself a convolution, with the weight's two channel axes swapped
     * and its kernel flipped, padded by dilation * (k - 1) - pad: written so, because ONNX Runtime runs Conv in its
     * blocked layout and ConvTranspose as a GEMM and col2im (measured, ResNet-20's input gradient at batch 256:
     * ConvTranspose 3.5x the time of the forward convolutions). Strided convolutions use ConvTranspose, with
     * output_padding restoring the rows and columns a strided convolution's floor dropped.
     */
    public void conv(String x, String y, String weight, float[] values, long[] shape, int[] kernel, int[] stride,
            int[] pad, int[] dilation, long[] inHW, long[] outHW) {
        long[] extra = outputPadding(y, kernel, stride, pad, dilation, inHW, outHW);
        boolean asConv = true;
        for (int i = 0; i < 2; i++) {
            asConv &= stride[i] == 1 && (long) dilation[i] * (kernel[i] - 1) >= pad[i] && extra[i] == 0;
        }
        if (asConv) {
            long[] q = {(long) dilation[0] * (kernel[0] - 1) - pad[0], (long) dilation[1] * (kernel[1] - 1) - pad[1]};
            rules.add(() -> flow(y, x, g -> w.node("Conv", List.of(g, w.constant("Wflipped",
                    new long[] {shape[1], shape[0], shape[2], shape[3]}, flippedTranspose(values, shape))),
                    OnnxWriter.Attribute.ints("kernel_shape", kernel[0], kernel[1]),
                    OnnxWriter.Attribute.ints("pads", q[0], q[1], q[0], q[1]),
                    OnnxWriter.Attribute.ints("dilations", dilation[0], dilation[1]))));
            return;
        }
        rules.add(() -> flow(y, x, g -> blocked(w.node("ConvTranspose", List.of(g, weight),
                OnnxWriter.Attribute.ints("kernel_shape", kernel[0], kernel[1]),
                OnnxWriter.Attribute.ints("strides", stride[0], stride[1]),
                OnnxWriter.Attribute.ints("pads", pad[0], pad[1], pad[0], pad[1]),
                OnnxWriter.Attribute.ints("dilations", dilation[0], dilation[1]),
                OnnxWriter.Attribute.ints("output_padding", extra[0], extra[1])), shape[1])));
    }

    /**
     * The rows and columns a strided convolution's floor dropped (ConvTranspose's output_padding), per axis; refuses
     * sizes no transposed convolution maps back.
     */
    private static long[] outputPadding(String y, int[] kernel, int[] stride, int[] pad, int[] dilation, long[] inHW,
            long[] outHW) {
        long[] extra = new long[2];
        for (int i = 0; i < 2; i++) {
            extra[i] = inHW[i] - (stride[i] * (outHW[i] - 1) + (long) (kernel[i] - 1) * dilation[i] + 1 - 2L * pad[i]);
            if (extra[i] < 0 || extra[i] >= Math.max(stride[i], dilation[i])) {
                throw new IllegalArgumentException("convolution " + y + ": no transposed convolution maps "
                        + outHW[0] + "x" + outHW[1] + " back to " + inHW[0] + "x" + inHW[1]);
            }
        }
        return extra;
    }

    /**
     * v itself (v * 1, exact) through a per-channel 1x1 convolution, which ONNX Runtime's layout pass turns into its
     * blocked layout: the gradients that come out of a ConvTranspose or a broadcast Mul (not converted) would
     * otherwise keep every later Add and Mul out of it, with conversions around each convolution (measured on
     * ResNet-20: 9% of the input gradient's time).
     */
    private String blocked(String v, long channels) {
        float[] ones = new float[(int) channels];
        java.util.Arrays.fill(ones, 1f);
        return w.node("Conv", List.of(v, w.constant("identity", new long[] {channels, 1, 1, 1}, ones)),
                OnnxWriter.Attribute.ints("kernel_shape", 1, 1), OnnxWriter.Attribute.i("group", channels));
    }

    /** W'[i, o, a, b] = W[o, i, kH - 1 - a, kW - 1 - b] for W [out, in, kH, kW] in c order. */
    static float[] flippedTranspose(float[] w, long[] shape) {
        int out = (int) shape[0], in = (int) shape[1], kh = (int) shape[2], kw = (int) shape[3];
        float[] f = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int a = 0; a < kh; a++) {
                    for (int b = 0; b < kw; b++) {
                        int from = ((o * in + i) * kh + (kh - 1 - a)) * kw + (kw - 1 - b);
                        f[((i * out + o) * kh + a) * kw + b] = w[from];
                    }
                }
            }
        }
        return f;
    }

    /**
     * y = Flatten(GlobalAveragePool(x)), x [b, c, h, w]: dx[n, c, i, j] = dy[n, c] / (h w), as dy reshaped to
     * [b, c, 1, 1] times a constant [1, 1, h, w] of 1 / (h w).
     */
    public void globalAveragePool(String x, String y, long channels, long h, long wd) {
        rules.add(() -> flow(y, x, g -> {
            float[] share = new float[(int) (h * wd)];
            java.util.Arrays.fill(share, (float) (1.0 / (h * wd)));
            // 0 keeps the batch dimension: its symbolic size lets ONNX Runtime prove the shapes of later gradients
            // equal to the activations' (its blocked layout needs that for Mul)
            String column = w.node("Reshape", List.of(g, w.constantLongs("shape", new long[] {0, channels, 1, 1})));
            return blocked(w.node("Mul", List.of(column, w.constant("share", new long[] {1, 1, h, wd}, share))),
                    channels);
        }));
    }

    /** y = Gemm(x, weight [nIn, nOut], bias): dx = dy weight^T. */
    public void dense(String x, String y, String weight) {
        rules.add(() -> flow(y, x, g -> w.node("Gemm", List.of(g, weight), OnnxWriter.Attribute.i("transB", 1))));
    }

    /**
     * p = Softmax(logits) and the loss is the sum over the batch of the cross-entropies against the one-hot rows of
     * {@code labels}: d(loss)/d(logits) = p - labels. This seeds the backward pass.
     */
    public void softmaxCrossEntropy(String logits, String p, String labels) {
        rules.add(() -> accumulate(logits, w.node("Sub", List.of(p, labels))));
    }

    /** Values no gradient flows into (the network's input in training: nothing upstream is trained). */
    private final java.util.Set<String> constants = new java.util.HashSet<>();

    /** Marks a value whose gradient is never needed: the rules leading to it are not written. */
    public void constant(String value) {
        constants.add(value);
    }

    /**
     * y = Conv(x, weight) without bias, with {@code weight} [out, in, kH, kW] a graph value (a trained parameter),
     * dilation 1, x of spatial size {@code inHW} and y of {@code outHW}. Weight gradient: dW[o, i, a, b] = sum over
     * n, p, q of dy[n, o, p, q] x_pad[n, i, s p + a, s q + b], by {@link #weightGradientByPatches} (measured on
     * ResNet-20's step, batch 128, 2 threads: 650 ms against 880 ms for the other formulation as one convolution,
     * Conv(x^T, dy^T) with the batch as the channel axis, whose 32x32 kernels ONNX Runtime runs at 7 GFLOP/s).
     * Input gradient as {@link #conv}, from the weight value: at stride 1 a convolution with the kernel transposed
     * and flipped in the graph (Transpose, Slice with step -1), else ConvTranspose.
     */
    public void convTrained(String x, String y, String weight, long[] shape, int[] kernel, int[] stride, int[] pad,
            long[] inHW, long[] outHW) {
        long[] extra = outputPadding(y, kernel, stride, pad, new int[] {1, 1}, inHW, outHW);
        boolean asConv = true;
        for (int i = 0; i < 2; i++) {
            asConv &= stride[i] == 1 && kernel[i] - 1 >= pad[i] && extra[i] == 0;
        }
        boolean viaConv = asConv;
        rules.add(() -> {
            String g = gradients.get(y);
            if (g == null) {
                return;
            }
            accumulate(weight, weightGradientByPatches(x, g, shape, kernel, stride, pad));
            if (constants.contains(x)) {
                return;
            }
            if (viaConv) {
                long[] q = {kernel[0] - 1 - pad[0], kernel[1] - 1 - pad[1]};
                String wt = w.node("Transpose", List.of(weight), OnnxWriter.Attribute.ints("perm", 1, 0, 2, 3));
                String flipped = w.node("Slice", List.of(wt, w.constantLongs("starts", new long[] {-1, -1}),
                        w.constantLongs("ends", new long[] {Long.MIN_VALUE, Long.MIN_VALUE}),
                        w.constantLongs("axes", new long[] {2, 3}), w.constantLongs("steps", new long[] {-1, -1})));
                accumulate(x, w.node("Conv", List.of(g, flipped),
                        OnnxWriter.Attribute.ints("kernel_shape", kernel[0], kernel[1]),
                        OnnxWriter.Attribute.ints("pads", q[0], q[1], q[0], q[1])));
            } else {
                accumulate(x, blocked(w.node("ConvTranspose", List.of(g, weight),
                        OnnxWriter.Attribute.ints("kernel_shape", kernel[0], kernel[1]),
                        OnnxWriter.Attribute.ints("strides", stride[0], stride[1]),
                        OnnxWriter.Attribute.ints("pads", pad[0], pad[1], pad[0], pad[1]),
                        OnnxWriter.Attribute.ints("output_padding", extra[0], extra[1])), shape[1]));
            }
        });
    }

    /**
     * dW of a convolution as a product of matrices: the patches P [b, in kH kW, h', w'] of x (a grouped convolution
     * with one-hot kernels picks each of a filter's in kH kW inputs for every output position), then dW = sum over
     * the batch of dY_n P_n^T ([out, h' w'] times [h' w', in kH kW]), reshaped to [out, in, kH, kW].
     */
    private String weightGradientByPatches(String x, String g, long[] shape, int[] kernel, int[] stride, int[] pad) {
        long out = shape[0], in = shape[1];
        int kk = kernel[0] * kernel[1];
        float[] pick = new float[(int) (in * kk * kk)];
        for (int c = 0; c < in; c++) {
            for (int j = 0; j < kk; j++) {
                pick[(c * kk + j) * kk + j] = 1f;
            }
        }
        String patches = w.node("Conv", List.of(x, w.constant("pick", new long[] {in * kk, 1, kernel[0], kernel[1]},
                pick)), OnnxWriter.Attribute.ints("kernel_shape", kernel[0], kernel[1]),
                OnnxWriter.Attribute.ints("strides", stride[0], stride[1]),
                OnnxWriter.Attribute.ints("pads", pad[0], pad[1], pad[0], pad[1]), OnnxWriter.Attribute.i("group", in));
        String p3 = w.node("Reshape", List.of(patches, w.constantLongs("shape", new long[] {0, in * kk, -1})));
        String g3 = w.node("Reshape", List.of(g, w.constantLongs("shape", new long[] {0, out, -1})));
        String products = w.node("MatMul", List.of(g3, w.node("Transpose", List.of(p3),
                OnnxWriter.Attribute.ints("perm", 0, 2, 1))));
        String sum = w.node("ReduceSum", List.of(products, w.constantLongs("axes", new long[] {0})),
                OnnxWriter.Attribute.i("keepdims", 0));
        return w.node("Reshape", List.of(sum, w.constantLongs("shape", shape)));
    }

    /**
     * Batch norm in training mode: xhat = (x - mean_B) inv with the batch's per-channel mean and inv =
     * 1 / sqrt(var_B + eps) (biased variance over batch, rows and columns), y = gamma xhat + beta, gamma and beta
     * [1, c, 1, 1] graph values. Backward (Ioffe & Szegedy 2015, eq. in section 3, with m = b h w): dbeta = sum dy,
     * dgamma = sum dy xhat, dx = inv (g - mean(g) - xhat mean(g xhat)) with g = dy gamma, means over (batch, rows,
     * columns).
     */
    public void batchNormTraining(String x, String y, String xhat, String inv, String gamma, String beta) {
        rules.add(() -> {
            String g = gradients.get(y);
            if (g == null) {
                return;
            }
            String axes = w.constantLongs("axes", new long[] {0, 2, 3});
            accumulate(beta, w.node("ReduceSum", List.of(g, axes)));
            accumulate(gamma, w.node("ReduceSum", List.of(w.node("Mul", List.of(g, xhat)), axes)));
            if (constants.contains(x)) {
                return;
            }
            String gg = w.node("Mul", List.of(g, gamma));
            OnnxWriter.Attribute over = OnnxWriter.Attribute.ints("axes", 0, 2, 3);
            String meanG = w.node("ReduceMean", List.of(gg), over);
            String meanGx = w.node("ReduceMean", List.of(w.node("Mul", List.of(gg, xhat))), over);
            String centred = w.node("Sub", List.of(w.node("Sub", List.of(gg, meanG)),
                    w.node("Mul", List.of(xhat, meanGx))));
            accumulate(x, w.node("Mul", List.of(centred, inv)));
        });
    }

    /** y = Gemm(x, weight [nIn, nOut], bias [1, nOut]) with trained weight and bias: dW = x^T dy, db = column sums. */
    public void denseTrained(String x, String y, String weight, String bias) {
        rules.add(() -> {
            String g = gradients.get(y);
            if (g == null) {
                return;
            }
            accumulate(weight, w.node("Gemm", List.of(x, g), OnnxWriter.Attribute.i("transA", 1)));
            accumulate(bias, w.node("ReduceSum", List.of(g, w.constantLongs("axes", new long[] {0}))));
            if (!constants.contains(x)) {
                accumulate(x, w.node("Gemm", List.of(g, weight), OnnxWriter.Attribute.i("transB", 1)));
            }
        });
    }

    /** Seeds the backward pass with d(loss)/d(value) = {@code gradient} (a value already in the graph). */
    public void seed(String value, String gradient) {
        rules.add(() -> accumulate(value, gradient));
    }

    /** Writes the backward nodes (once); then {@link #gradientOf} names each gradient. */
    public void write() {
        for (int i = rules.size() - 1; i >= 0; i--) {
            rules.get(i).run();
        }
        rules.clear();
    }

    /** The name of d(loss)/d(value) after {@link #write}. */
    public String gradientOf(String value) {
        String g = gradients.get(value);
        if (g == null) {
            throw new IllegalArgumentException("the loss does not depend on '" + value + "'");
        }
        return g;
    }

    /** Writes the backward nodes; returns the name of d(loss)/d(input). */
    public String inputGradient(String input) {
        for (int i = rules.size() - 1; i >= 0; i--) {
            rules.get(i).run();
        }
        String g = gradients.get(input);
        if (g == null) {
            throw new IllegalArgumentException("the loss does not depend on '" + input + "'");
        }
        return g;
    }

    private void flow(String y, String x, java.util.function.UnaryOperator<String> through) {
        if (constants.contains(x)) {
            return;
        }
        String g = gradients.get(y);
        if (g != null) {
            accumulate(x, through.apply(g));
        }
    }

    private void accumulate(String value, String g) {
        gradients.merge(value, g, (a, b) -> w.node("Add", List.of(a, b)));
    }
}
