package org.smoothing4j.model.layerstack;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J convolution layer (truncate mode, with bias, ReLU or identity) in a {@link LayerStack}: libnd4j's
 * {@code conv2d} and {@code conv2d_bp} (oneDNN) on the layer's own weights [out, in, kH, kW], NHWC or NCHW.
 * <p>
 * {@code conv2d_bp} always computes both the input and the weight gradient. A training step needs no input
 * gradient of the first layer, an attack no weight gradient, so a plain convolution (NHWC, stride 1, no padding or
 * dilation) computes only the one asked for. Measured at batch 128, 2 threads (LeNet, oneDNN): conv1's
 * {@code conv2d_bp} takes 17 ms, 14 of them in the unneeded input gradient (one input channel, padded to 16 by
 * oneDNN); its weight gradient alone, as below, 3-6 ms; its input gradient alone 2 ms (as a GEMM and col2im)
 * against 13 ms as {@code deconv2d}; conv2's input gradient alone ({@code deconv2d}) 6 ms against 13 ms.
 */
final class ConvStage implements Stage {
    private final INDArray weights;
    private final INDArray bias;
    private final INDArray weightGradient;
    private final INDArray biasGradient;
    private final boolean relu;
    private final boolean reluMaskedByPool;
    private final int[] args;
    private final Buffers buffers;
    private INDArray in;
    private INDArray out;

    private final boolean nhwc;
    /** NHWC, stride 1, no padding or dilation: the gradients can be computed one without the other. */
    private final boolean plain;

    /**
     * {@code nhwc}: activations in NHWC (weights stay [out, in, kH, kW]), else NCHW. {@code reluMaskedByPool}: the
     * next stage is a max pooling that applies this ReLU's gradient mask itself ({@link MaxPoolStage}), so the
     * backward pass receives dL/dz, not dL/da.
     */
    ConvStage(Layer layer, ConvolutionLayer conf, boolean relu, boolean nhwc, boolean reluMaskedByPool) {
        this.weights = layer.getParam("W");
        this.bias = layer.getParam("b").reshape(-1);
        Map<String, INDArray> grads = conf.initializer().getGradientsFromFlattened(layer.conf(),
                layer.getGradientsViewArray());
        this.weightGradient = grads.get("W");
        this.biasGradient = grads.get("b").reshape(-1);
        this.relu = relu;
        this.reluMaskedByPool = relu && reluMaskedByPool;
        this.buffers = new Buffers(weights.dataType());
        this.nhwc = nhwc;
        // weights [out, in, kH, kW]: layout 1
        this.args = Ops.windowArgs(conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(),
                nhwc ? 1 : 0, 1);
        this.plain = nhwc && args[2] == 1 && args[3] == 1 && args[4] == 0 && args[5] == 0 && args[6] == 1
                && args[7] == 1;
    }

    @Override
    public INDArray forward(INDArray in) {
        long[] hw = Ops.outputSize(in.shape(), args, nhwc);
        this.in = in;
        out = nhwc ? buffers.get("out", in.size(0), hw[0], hw[1], weights.size(0))
                : buffers.get("out", in.size(0), weights.size(0), hw[0], hw[1]);
        Nd4j.exec(Ops.op("conv2d", args, new INDArray[] {in, weights, bias}, out));
        if (relu) {
            Ops.reluInPlace(out);
        }
        return out;
    }

    @Override
    public INDArray backward(INDArray dOut, boolean inputGradient, boolean parameterGradients) {
        INDArray dz = relu && !reluMaskedByPool ? Ops.reluBackward(out, dOut, buffers.get("dz", out.shape())) : dOut;
        boolean oneChannel = weights.size(1) == 1;
        if (parameterGradients && !inputGradient && plain && oneChannel) {
            parameterGradientsOfOneChannel(dz);
            return null;
        }
        if (!parameterGradients) {
            if (!inputGradient) {
                return null;
            }
            if (plain) {
                return oneChannel ? inputGradientOfOneChannel(dz) : inputGradientAlone(dz);
            }
        }
        // both, or a convolution that is not plain: conv2d_bp, unneeded weight gradients into scratch buffers
        INDArray dIn = buffers.get("dIn", in.shape());
        INDArray dW = parameterGradients ? weightGradient : buffers.get("unusedW", weights.shape());
        INDArray db = parameterGradients ? biasGradient : buffers.get("unusedB", bias.shape());
        Nd4j.exec(Ops.op("conv2d_bp", args, new INDArray[] {in, weights, bias, dz}, dIn, dW, db));
        return inputGradient ? dIn : null;
    }

    /**
     * Weight and bias gradients when the input [b, h, w, 1] has one channel: dL/dW[o, 0, i, j] = sum over examples
     * and positions of x[n, y + i, x + j] dL/dz[n, y, x, o] is a convolution of the images, seen as one image with
     * the batch as channels [1, b, h, w] (the same memory), with dL/dz as a kernel [o, b, oH, oW] (a view); the
     * bias gradient sums dL/dz over examples and positions as one GEMM with a row of ones.
     */
    private void parameterGradientsOfOneChannel(INDArray dz) {
        long b = in.size(0), positions = b * dz.size(1) * dz.size(2), channels = weights.size(0);
        INDArray images = in.reshape('c', 1, b, in.size(1), in.size(2));
        INDArray kernel = dz.permute(3, 0, 1, 2);
        int[] correlation = {(int) dz.size(1), (int) dz.size(2), 1, 1, 0, 0, 1, 1, 0, 0, 1};
        INDArray dW = buffers.get("dW", 1, channels, weights.size(2), weights.size(3));
        Nd4j.exec(Ops.op("conv2d", correlation, new INDArray[] {images, kernel}, dW));
        weightGradient.assign(dW.reshape(weightGradient.shape()));
        INDArray ones = buffers.get("ones", 1, positions);
        ones.assign(1);
        INDArray db = buffers.get("db", 1, channels);
        Nd4j.gemm(ones, dz.reshape('c', positions, channels), db, false, false, 1.0, 0.0);
        biasGradient.assign(db.reshape(-1));
    }

    /**
     * The input gradient when the input has one channel: the gradient of each input window, dL/dz [b*oH*oW, o]
     * times the weights [o, kH*kW] (one GEMM), summed back onto the image by {@code col2im}.
     */
    private INDArray inputGradientOfOneChannel(INDArray dz) {
        long b = in.size(0), oH = dz.size(1), oW = dz.size(2), kH = weights.size(2), kW = weights.size(3);
        INDArray windows = buffers.get("windows", b * oH * oW, kH * kW);
        Nd4j.gemm(dz.reshape('c', b * oH * oW, weights.size(0)), weights.reshape('c', weights.size(0), kH * kW),
                windows, false, false, 1.0, 0.0);
        INDArray dIn = buffers.get("dIn", in.shape());
        int[] toImage = {1, 1, 0, 0, (int) in.size(1), (int) in.size(2), 1, 1, 0};
        INDArray columns = windows.reshape('c', b, oH, oW, 1, kH, kW).permute(0, 3, 4, 5, 1, 2);
        Nd4j.exec(Ops.op("col2im", toImage, new INDArray[] {columns}, dIn.reshape('c', b, 1, in.size(1),
                in.size(2))));
        return dIn;
    }

    /** The input gradient alone: the transposed convolution of dL/dz with the same weights ({@code deconv2d}). */
    private INDArray inputGradientAlone(INDArray dz) {
        INDArray dIn = buffers.get("dIn", in.shape());
        int[] transposed = args.clone();
        transposed[10] = 1; // deconv2d's weights [its input = our output channels, its output channels, kH, kW]
        Nd4j.exec(Ops.op("deconv2d", transposed, new INDArray[] {dz, weights}, dIn));
        return dIn;
    }

    @Override
    public boolean hasParameters() {
        return true;
    }
}
