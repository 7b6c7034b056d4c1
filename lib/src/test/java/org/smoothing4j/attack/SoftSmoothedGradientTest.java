package org.smoothing4j.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.dl4j.Architectures;
import org.smoothing4j.model.dl4j.Network;

/**
 * The soft smoothed loss J(delta) = -log(mean_i softmax(f(x + delta + n_i))_y), one delta shared by the m copies
 * of an example, and its backprop gradient against central finite differences in double precision.
 *
 * <p>Tolerance: central differences have truncation error O(h^2 J''') ~ 1e-12 at h = 1e-6 and rounding error
 * ~ 1e-16 |J| / h ~ 1e-10, far below the asserted relative error 1e-5; a ReLU or max-pool kink crossed within +-h
 * breaks this (measured on LeNet: at h = 1e-4 directional derivatives were off by 10%, at 1e-5 by 0.3%, at 1e-6
 * they agreed to 1e-8). Checked on random directions and on the largest coordinates.
 */
class SoftSmoothedGradientTest {
    private static final double H = 1e-6;

    private static Network lenet(String arch) {
        return Architectures.build(arch, new long[] {1, 28, 28}, 10, Normalization.FASHION_MNIST,
                new Sgd(0.01), 0, 3, DataType.DOUBLE);
    }

    private static double objective(Network net, INDArray x, INDArray delta, INDArray noise, int[] labels, Objective o) {
        int m = (int) (noise.size(0) / labels.length);
        INDArray probs = net.scores(NoisyCopies.add(x.add(delta), noise, m));
        return o.loss(NoisyCopies.trueClassProbabilities(probs, labels, m)).sumNumber().doubleValue();
    }

    @Test
    void backpropGradientOfBothObjectivesMatchesCentralDifferences() throws Exception {
        LabeledImages test = Datasets.load("fashion-mnist", Split.TEST).head(2);
        for (String arch : new String[] {"lenet", "mlp"}) {
            Network net = lenet(arch);
            INDArray x = test.images().castTo(DataType.DOUBLE);
            int[] labels = test.labels();
            int m = 3;
            Nd4j.getRandom().setSeed(5);
            INDArray noise = Nd4j.randn(DataType.DOUBLE, 2L * m, 1, 28, 28).muli(0.5);
            INDArray delta = Nd4j.randn(DataType.DOUBLE, 2, 1, 28, 28).muli(0.01);
            for (Objective o : Objective.values()) {
                INDArray grad = Gradients.backprop().evaluate(net, x.add(delta), noise, labels, o).gradient();
                for (int k = 0; k < 3; k++) {
                    INDArray dir = Nd4j.randn(DataType.DOUBLE, 2, 1, 28, 28);
                    dir.divi(dir.norm2Number());
                    double fd = (objective(net, x, delta.add(dir.mul(H)), noise, labels, o)
                            - objective(net, x, delta.sub(dir.mul(H)), noise, labels, o)) / (2 * H);
                    double analytic = grad.mul(dir).sumNumber().doubleValue();
                    assertEquals(fd, analytic, 1e-5 * Math.max(1e-3, Math.abs(fd)), arch + " " + o + " direction " + k);
                }
                // the largest coordinates one by one
                INDArray flat = Nd4j.toFlattened(grad);
                for (int r = 0; r < 3; r++) {
                    int idx = Nd4j.argMax(org.nd4j.linalg.ops.transforms.Transforms.abs(flat)).getInt(0);
                    INDArray e = Nd4j.zeros(DataType.DOUBLE, flat.length());
                    e.putScalar(idx, 1.0);
                    INDArray unit = e.reshape(grad.shape());
                    double fd = (objective(net, x, delta.add(unit.mul(H)), noise, labels, o)
                            - objective(net, x, delta.sub(unit.mul(H)), noise, labels, o)) / (2 * H);
                    assertEquals(fd, flat.getDouble(idx), 1e-5 * Math.abs(fd), arch + " " + o + " coordinate " + idx);
                    flat.putScalar(idx, 0.0);
                }
            }
        }
    }

    @Test
    void smoothObjectiveIsTheLogOfTheMeanNotTheMeanOfTheLogs() {
        INDArray fy = Nd4j.create(new double[][] {{0.9, 0.1}});
        assertEquals(-Math.log(0.5), Objective.SMOOTH.loss(fy).getDouble(0), 1e-12);
        assertEquals(-(Math.log(0.9) + Math.log(0.1)) / 2, Objective.NAIVE.loss(fy).getDouble(0), 1e-12);
        // its copy weights favour the copy where the true class is likely
        assertEquals(0.9, Objective.SMOOTH.copyWeights(fy).getDouble(0, 0), 1e-12);
        assertEquals(0.5, Objective.NAIVE.copyWeights(fy).getDouble(0, 0), 1e-12);
        assertTrue(Objective.SMOOTH.loss(fy).getDouble(0) < Objective.NAIVE.loss(fy).getDouble(0));
    }
}
