package org.smoothing4j.model.layerstack;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A change of layout in a {@link LayerStack} between DL4J's NCHW and the NHWC its convolution and pooling stages
 * run in (oneDNN's kernels here, one thread, batch 400: LeNet's first convolution 32 -> 9 ms, its first pooling
 * 9 -> 4 ms, the second convolution 30 -> 27 ms; in NCHW oneDNN reorders to and from its blocked layout). A view
 * when the channel dimension is 1 (both layouts are then the same memory), else a copy into a reused buffer.
 */
final class LayoutStage implements Stage {
    private static final int[] TO_NHWC = {0, 2, 3, 1};
    private static final int[] TO_NCHW = {0, 3, 1, 2};

    private final boolean toNhwc;
    private final Buffers buffers;

    /** NCHW to NHWC ({@code toNhwc}) or back. */
    LayoutStage(boolean toNhwc, DataType type) {
        this.toNhwc = toNhwc;
        this.buffers = new Buffers(type);
    }

    @Override
    public INDArray forward(INDArray in) {
        return convert(in, toNhwc, "out");
    }

    @Override
    public INDArray backward(INDArray dOut, boolean inputGradient, boolean parameterGradients) {
        return inputGradient ? convert(dOut, !toNhwc, "dIn") : null;
    }

    private INDArray convert(INDArray a, boolean nhwc, String buffer) {
        if (a.rank() != 4) {
            throw new IllegalArgumentException("a layout change needs a batch of images [b, c, h, w], got "
                    + java.util.Arrays.toString(a.shape()));
        }
        INDArray p = a.permute(nhwc ? TO_NHWC : TO_NCHW);
        long channels = nhwc ? a.size(1) : a.size(3);
        if (channels == 1 && a.ordering() == 'c' && a.elementWiseStride() == 1) {
            return a.reshape('c', p.shape()); // the same memory in both layouts
        }
        return buffers.get(buffer, p.shape()).assign(p);
    }

    @Override
    public boolean hasParameters() {
        return false;
    }
}
