package org.smoothing4j.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ND4J arrays handed to ONNX Runtime without a copy where their memory allows it. */
public final class FloatTensors {
    private FloatTensors() {}

    /** The array itself when it is float, c-ordered and dense, else a float c-ordered copy. */
    public static INDArray dense(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.ordering() == 'c' && a.elementWiseStride() == 1
                ? a : a.castTo(DataType.FLOAT).dup('c');
    }

    /**
     * A tensor reading the memory of {@code dense} (from {@link #dense}) through a buffer view. The view does not keep
     * {@code dense} reachable: callers keep it so (Reference.reachabilityFence) until the run that reads it is over,
     * or the collector could free that memory during the run.
     */
    public static OnnxTensor view(OrtEnvironment env, INDArray dense) throws OrtException {
        return view(env, dense, dense.shape());
    }

    /** As {@link #view(OrtEnvironment, INDArray)}, the tensor of the given shape (of the same length). */
    public static OnnxTensor view(OrtEnvironment env, INDArray dense, long[] shape) throws OrtException {
        FloatBuffer data = dense.data().asNioFloat();
        data.position(Math.toIntExact(dense.offset()));
        FloatBuffer view = data.slice();
        view.limit(Math.toIntExact(dense.length()));
        return OnnxTensor.createTensor(env, view, shape);
    }
}
