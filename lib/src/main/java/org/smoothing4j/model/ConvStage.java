package org.smoothing4j.model;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J convolution layer (truncate mode, with bias, ReLU or identity) in a {@link LayerStack}: libnd4j's
 * {@code conv2d} and {@code conv2d_bp} (oneDNN) on the layer's own weights [out, in, kH, kW], NHWC or NCHW.
 */
final class ConvStage implements LayerStack.Stage {
    private final INDArray weights;
    private final INDArray bias;
    private final INDArray weightGradient;
    private final INDArray biasGradient;
    private final boolean relu;
    private final int[] args;
    private final Buffers buffers;
    private INDArray in;
    private INDArray out;

    private final boolean nhwc;

    /** {@code nhwc}: activations in NHWC (weights stay [out, in, kH, kW]), else NCHW. */
    ConvStage(Layer layer, ConvolutionLayer conf, boolean relu, boolean nhwc) {
        this.weights = layer.getParam("W");
        this.bias = layer.getParam("b").reshape(-1);
        Map<String, INDArray> grads = conf.initializer().getGradientsFromFlattened(layer.conf(),
                layer.getGradientsViewArray());
        this.weightGradient = grads.get("W");
        this.biasGradient = grads.get("b").reshape(-1);
        this.relu = relu;
        this.buffers = new Buffers(weights.dataType());
        this.nhwc = nhwc;
        // weights [out, in, kH, kW]: layout 1
        this.args = Ops.windowArgs(conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(),
                nhwc ? 1 : 0, 1);
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
    public INDArray backward(INDArray dOut, boolean inputGradient) {
        INDArray dz = relu ? Ops.reluBackward(out, dOut, buffers.get("dz", out.shape())) : dOut;
        INDArray dIn = buffers.get("dIn", in.shape());
        Nd4j.exec(Ops.op("conv2d_bp", args, new INDArray[] {in, weights, bias, dz}, dIn, weightGradient,
                biasGradient));
        return inputGradient ? dIn : null;
    }

    @Override
    public boolean hasParameters() {
        return true;
    }
}
