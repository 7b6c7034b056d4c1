package org.smoothing4j.denoise;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A loss whose gradient was computed outside DL4J, for one step of the denoiser: DL4J's CNN loss layer hands its
 * loss function the pre-output as rows [b*h*w, c] (NHWC order), so the given gradient [b, c, h, w] is laid out the
 * same way. Never saved: the denoiser puts its layer's own loss back after the step.
 */
final class ExternalGradientLoss implements ILossFunction {
    private final INDArray gradient;
    private final double loss;

    ExternalGradientLoss(INDArray gradient, double loss) {
        this.gradient = gradient;
        this.loss = loss;
    }

    private INDArray as(INDArray preOutput) {
        INDArray g = gradient.rank() == 4 ? gradient.permute(0, 2, 3, 1).dup('c')
                .reshape(gradient.size(0) * gradient.size(2) * gradient.size(3), gradient.size(1)) : gradient;
        if (!java.util.Arrays.equals(g.shape(), preOutput.shape())) {
            throw new IllegalStateException("external gradient of shape " + java.util.Arrays.toString(g.shape())
                    + " for a pre-output of shape " + java.util.Arrays.toString(preOutput.shape()));
        }
        return g.castTo(preOutput.dataType());
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        return loss;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return preOutput.like().getColumn(0).assign(loss).reshape(preOutput.size(0), 1);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return as(preOutput);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(loss, as(preOutput));
    }

    @Override
    public String name() {
        return "smoothing4j external gradient";
    }
}
