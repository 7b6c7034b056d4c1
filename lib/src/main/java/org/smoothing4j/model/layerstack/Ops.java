package org.smoothing4j.model.layerstack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** The libnd4j operations {@link LayerStack}'s stages share. */
final class Ops {
    private Ops() {}

    /** A libnd4j custom operation by name with integer arguments, inputs and (preallocated) outputs. */
    static DynamicCustomOp op(String name, int[] args, INDArray[] inputs, INDArray... outputs) {
        return DynamicCustomOp.builder(name).addInputs(inputs).addOutputs(outputs).addIntegerArguments(args).build();
    }

    /**
     * libnd4j's arguments of a window operation (conv2d, maxpool2d and their backward), truncate mode: kH, kW, sH,
     * sW, pH, pW, dH, dW, 0 (not "same" mode), then {@code ninth} and {@code tenth} (conv2d: data format, 0 = NCHW
     * or 1 = NHWC, and weight layout; pooling: 0, and data format, 0 = NCHW or 1 = NHWC).
     */
    static int[] windowArgs(int[] kernel, int[] stride, int[] padding, int[] dilation, int ninth, int tenth) {
        return new int[] {kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], dilation[0],
            dilation[1], 0, ninth, tenth};
    }

    /** Output height and width of a window operation with {@link #windowArgs} on an input [b, c, h, w] or NHWC. */
    static long[] outputSize(long[] in, int[] args, boolean nhwc) {
        long inH = nhwc ? in[1] : in[2], inW = nhwc ? in[2] : in[3];
        long h = (inH + 2L * args[4] - (args[6] * (args[0] - 1L) + 1)) / args[2] + 1;
        long w = (inW + 2L * args[5] - (args[7] * (args[1] - 1L) + 1)) / args[3] + 1;
        return new long[] {h, w};
    }

    static void reluInPlace(INDArray a) {
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear(a, a, 0.0));
    }

    /** dL/dz = dL/da where a = relu(z) > 0, else 0 (a > 0 exactly when z > 0), into {@code dz}. */
    static INDArray reluBackward(INDArray a, INDArray dOut, INDArray dz) {
        Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(a, dOut).addOutputs(dz).addFloatingPointArguments(0.0)
                .build());
        return dz;
    }
}
