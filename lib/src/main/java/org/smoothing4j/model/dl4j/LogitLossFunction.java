package org.smoothing4j.model.dl4j;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.smoothing4j.model.LogitLoss;

/**
 * A {@link LogitLoss} as DL4J's loss function of a softmax output layer, for one training step of a network on
 * DL4J's own path (residual networks): the layer's pre-output is the logits; the gradient is that of the summed loss,
 * as DL4J's updater divides it by the number of rows. Never saved: Network puts the layer's own loss back.
 */
final class LogitLossFunction implements ILossFunction {
    private final LogitLoss loss;
    private LogitLoss.Evaluation last;

    LogitLossFunction(LogitLoss loss) {
        this.loss = loss;
    }

    private LogitLoss.Evaluation evaluate(INDArray preOutput) {
        last = loss.evaluate(preOutput);
        return last;
    }

    /** The evaluation of the last step (its loss). */
    LogitLoss.Evaluation last() {
        return last;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        double l = evaluate(preOutput).loss();
        return average ? l : l * preOutput.size(0);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return preOutput.like().getColumn(0).assign(evaluate(preOutput).loss()).reshape(preOutput.size(0), 1);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return evaluate(preOutput).gradient().mul(preOutput.size(0));
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        LogitLoss.Evaluation e = evaluate(preOutput);
        return new Pair<>(average ? e.loss() : e.loss() * preOutput.size(0), e.gradient().mul(preOutput.size(0)));
    }

    @Override
    public String name() {
        return "smoothing4j recipe loss";
    }
}
