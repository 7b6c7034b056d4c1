package org.smoothing4j.model;

import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A DL4J max-pooling layer (truncate mode) in a {@link LayerStack}: libnd4j's {@code maxpool2d} and its backward. */
final class MaxPoolStage implements LayerStack.Stage {
    private final int[] args;
    private final Buffers buffers;
    private INDArray in;

    MaxPoolStage(SubsamplingLayer conf, DataType type) {
        this.buffers = new Buffers(type);
        this.args = Ops.windowArgs(conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getDilation(), 0);
    }

    @Override
    public INDArray forward(INDArray in) {
        long[] hw = Ops.outputSize(in.shape(), args);
        this.in = in;
        INDArray out = buffers.get("out", in.size(0), in.size(1), hw[0], hw[1]);
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
