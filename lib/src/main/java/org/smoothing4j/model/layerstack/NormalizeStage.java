package org.smoothing4j.model.layerstack;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarDivision;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarSubtraction;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.model.NormalizeActivation;

/**
 * {@link NormalizeActivation} in a {@link LayerStack}: (x - mean) / std per channel (NCHW or NHWC), into its own
 * buffer. One channel (Fashion-MNIST, MNIST) uses scalar operations: the same arithmetic, without the broadcast
 * operations' per-example bookkeeping (2% of the MLP's training step in a profile).
 */
final class NormalizeStage implements Stage {
    private final INDArray mean;
    private final INDArray std;
    private final Buffers buffers;

    /** Channel dimension: 1 (NCHW) or 3 (NHWC). */
    private final int channelDim;

    NormalizeStage(double[] mean, double[] std, DataType type, boolean nhwc) {
        this.channelDim = nhwc ? 3 : 1;
        this.mean = Nd4j.create(mean).castTo(type);
        this.std = Nd4j.create(std).castTo(type);
        this.buffers = new Buffers(type);
    }

    @Override
    public INDArray forward(INDArray in) {
        if (in.rank() != 4 || in.size(channelDim) != mean.length()) {
            throw new IllegalArgumentException("normalisation expects " + mean.length() + " channels in dimension "
                    + channelDim + " of [b, c, h, w] (or NHWC), got "
                    + java.util.Arrays.toString(in.shape()));
        }
        INDArray out = buffers.get("out", in.shape());
        if (mean.length() == 1) {
            Nd4j.getExecutioner().exec(new ScalarSubtraction(in, null, out, mean.getDouble(0)));
            Nd4j.getExecutioner().exec(new ScalarDivision(out, null, out, std.getDouble(0)));
            return out;
        }
        Nd4j.getExecutioner().exec(new BroadcastSubOp(in, mean, out, channelDim));
        Nd4j.getExecutioner().exec(new BroadcastDivOp(out, std, out, channelDim));
        return out;
    }

    @Override
    public INDArray backward(INDArray dOut, boolean inputGradient, boolean parameterGradients) {
        if (!inputGradient) {
            return null;
        }
        INDArray dIn = buffers.get("dIn", dOut.shape());
        if (std.length() == 1) {
            Nd4j.getExecutioner().exec(new ScalarDivision(dOut, null, dIn, std.getDouble(0)));
            return dIn;
        }
        Nd4j.getExecutioner().exec(new BroadcastDivOp(dOut, std, dIn, channelDim));
        return dIn;
    }

    @Override
    public boolean hasParameters() {
        return false;
    }
}
