package org.smoothing4j.model.dl4j;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * SGD with plain (heavy-ball) momentum, as PyTorch's {@code torch.optim.SGD(momentum=mu)} that the reference code
 * trains with: v = mu v + g, parameters minus lr v (ND4J has only Nesterov momentum). DL4J adds the L2 term to g
 * before the updater, as PyTorch's weight decay. Saved in checkpoints like ND4J's own updaters (a bean for Jackson).
 */
public final class PlainMomentum implements IUpdater {
    public static final String V_STATE = "V";
    private double learningRate = 0.1;
    private ISchedule learningRateSchedule;
    private double momentum = 0.9;

    public PlainMomentum() {}

    public PlainMomentum(ISchedule learningRateSchedule, double momentum) {
        this.learningRateSchedule = learningRateSchedule;
        this.momentum = momentum;
    }

    public double getLearningRate() {
        return learningRate;
    }

    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    public ISchedule getLearningRateSchedule() {
        return learningRateSchedule;
    }

    public void setLearningRateSchedule(ISchedule learningRateSchedule) {
        this.learningRateSchedule = learningRateSchedule;
    }

    public double getMomentum() {
        return momentum;
    }

    public void setMomentum(double momentum) {
        this.momentum = momentum;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater u = new Updater(this);
        u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> state, boolean initializeStateArrays) {
        Updater u = new Updater(this);
        u.setState(state, initializeStateArrays);
        return u;
    }

    @Override
    public PlainMomentum clone() {
        PlainMomentum c = new PlainMomentum(learningRateSchedule == null ? null : learningRateSchedule.clone(), momentum);
        c.learningRate = learningRate;
        return c;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlainMomentum p && p.learningRate == learningRate && p.momentum == momentum
                && Objects.equals(p.learningRateSchedule, learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, momentum, learningRateSchedule);
    }

    @Override
    public String toString() {
        return "PlainMomentum(lr=" + learningRate + ", schedule=" + learningRateSchedule + ", momentum=" + momentum + ")";
    }

    /** The state: the velocity v, a view of the network's updater state. */
    static final class Updater implements GradientUpdater<PlainMomentum> {
        private final PlainMomentum config;
        private INDArray v;

        Updater(PlainMomentum config) {
            this.config = config;
        }

        @Override
        public PlainMomentum getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> state, boolean initialize) {
            v = state.get(V_STATE);
            if (initialize) {
                v.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            return Collections.singletonMap(V_STATE, v);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char order, boolean initialize) {
            if (initialize) {
                viewArray.assign(0);
            }
            v = viewArray.reshape(order, gradientShape);
        }

        /** gradient := lr (mu v + gradient), v := mu v + gradient. */
        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            v.muli(config.momentum).addi(gradient);
            gradient.assign(v).muli(config.getLearningRate(iteration, epoch));
        }
    }
}
