package org.smoothing4j.model;

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
