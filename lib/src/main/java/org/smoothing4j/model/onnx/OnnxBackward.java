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
        String g = gradients.get(y);
        if (g != null) {
            accumulate(x, through.apply(g));
        }
    }

    private void accumulate(String value, String g) {
        gradients.merge(value, g, (a, b) -> w.node("Add", List.of(a, b)));
    }
}
