package org.smoothing4j.model.layerstack;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J dense (or output) layer in a {@link LayerStack}: z = x W + b with the layer's own weights [in, out]
 * (a column-major view of the parameter vector); inputs of rank 4 are flattened in c order, as DL4J's
 * CNN-to-dense preprocessor. ReLU or identity.
 */
final class DenseStage implements Stage {
    private final INDArray weights;
    private final INDArray bias;
    private final INDArray weightGradient;
    private final INDArray biasGradient;
    private final boolean relu;
    private final Buffers buffers;
    private INDArray in;
    private long[] inShape;
    private INDArray out;

    DenseStage(Layer layer, boolean relu) {
        this.weights = layer.getParam("W");
        this.bias = layer.getParam("b");
        Map<String, INDArray> grads = layer.conf().getLayer().initializer().getGradientsFromFlattened(layer.conf(),
                layer.getGradientsViewArray());
        this.weightGradient = grads.get("W");
        this.biasGradient = grads.get("b");
        this.relu = relu;
        this.buffers = new Buffers(weights.dataType());
    }

    @Override
    public INDArray forward(INDArray in) {
        inShape = in.shape();
        this.in = in.reshape(inShape[0], weights.size(0));
        out = buffers.get("out", inShape[0], weights.size(1));
        Nd4j.gemm(this.in, weights, out, false, false, 1.0, 0.0); // BLAS directly: mmul was 5x slower here
        out.addiRowVector(bias);
        if (relu) {
            Ops.reluInPlace(out);
        }
        return out;
    }

    @Override
    public INDArray backward(INDArray dOut, boolean inputGradient, boolean parameterGradients) {
        INDArray dz = relu ? Ops.reluBackward(out, dOut, buffers.get("dz", out.shape())) : dOut;
        if (parameterGradients) {
            Nd4j.gemm(in, dz, weightGradient, true, false, 1.0, 0.0);
            biasGradient.assign(dz.sum(0));
        }
        if (!inputGradient) {
            return null;
        }
        INDArray dIn = buffers.get("dIn", in.shape());
        Nd4j.gemm(dz, weights, dIn, false, true, 1.0, 0.0);
        return dIn.reshape(inShape);
    }

    DataType dataType() {
        return weights.dataType();
    }

    @Override
    public boolean hasParameters() {
        return true;
    }
}
