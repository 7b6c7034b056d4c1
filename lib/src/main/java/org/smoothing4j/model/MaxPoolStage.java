package org.smoothing4j.model;

import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A DL4J max-pooling layer (truncate mode) in a {@link LayerStack}: libnd4j's {@code maxpool2d} and its backward, NHWC or NCHW. */
final class MaxPoolStage implements LayerStack.Stage {
    private final int[] args;
    private final Buffers buffers;
    private INDArray in;

    private final boolean nhwc;

    /** {@code nhwc}: activations in NHWC, else NCHW. */
    MaxPoolStage(SubsamplingLayer conf, DataType type, boolean nhwc) {
        this.buffers = new Buffers(type);
        this.nhwc = nhwc;
        this.args = Ops.windowArgs(conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(), 0,
                nhwc ? 1 : 0);
    }

    @Override
    public INDArray forward(INDArray in) {
        long[] hw = Ops.outputSize(in.shape(), args, nhwc);
        this.in = in;
        INDArray out = nhwc ? buffers.get("out", in.size(0), hw[0], hw[1], in.size(3))
                : buffers.get("out", in.size(0), in.size(1), hw[0], hw[1]);
        Nd4j.exec(Ops.op("maxpool2d", args, new INDArray[] {in}, out));
        return out;
    }

    @Override
    public INDArray backward(INDArray dOut, boolean inputGradient) {
        if (!inputGradient) {
            return null;
        }
        INDArray dIn = buffers.get("dIn", in.shape());
        Nd4j.exec(Ops.op("maxpool2d_bp", args, new INDArray[] {in, dOut}, dIn));
        return dIn;
    }

    @Override
    public boolean hasParameters() {
        return false;
    }
}
