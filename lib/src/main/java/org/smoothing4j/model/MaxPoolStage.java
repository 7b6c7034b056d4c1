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
        int[] k = conf.getKernelSize(), s = conf.getStride(), p = conf.getPadding(), d = conf.getDilation();
        // kH, kW, sH, sW, pH, pW, dH, dW, same mode (0: truncate), unused for max pooling, NCHW (0)
        this.args = new int[] {k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], 0, 0, 0};
    }

    @Override
    public INDArray forward(INDArray in) {
        long[] sh = in.shape();
        long h = (sh[2] + 2L * args[4] - (args[6] * (args[0] - 1L) + 1)) / args[2] + 1;
        long w = (sh[3] + 2L * args[5] - (args[7] * (args[1] - 1L) + 1)) / args[3] + 1;
        this.in = in;
        INDArray out = buffers.get("out", sh[0], sh[1], h, w);
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
