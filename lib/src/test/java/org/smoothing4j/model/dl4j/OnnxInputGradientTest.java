package org.smoothing4j.model.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.smoothing4j.attack.NoisyCopies;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.ScoredGradient;
import org.smoothing4j.noise.ZigguratNoise;

/**
 * A float ResNet's input gradient through ONNX Runtime ({@link OnnxExport#withInputGradient}) is the gradient DL4J's
 * inference twin computes (itself checked against central differences in ResNetTest), here taken in double precision
 * on a copy of the same network, so the comparison bounds the float path's whole error.
 */
@Tag("slow") // over 15 s: in make test, not in make check
class OnnxInputGradientTest {
    /**
     * Images of any size and channel count: strided convolutions that drop a row (15 -> 8 -> 4: output_padding 0) and
     * that do not (32 -> 16 -> 8: output_padding 1), one input channel, depths 8 to 110. Tolerance: float32 against
     * double, relative to the largest gradient component, 1e-5. Each of the ~4 x depth float operations on the path
     * (forward and backward) rounds with relative error 6e-8 (sums of up to 576 products reordered: up to ~1e-6 in
     * the worst case, ~1e-7 typically), and the errors add along the path; measured 2.3e-7 to 5.5e-7 (DL4J's own
     * float path 2.4e-7 to 4.6e-7). A missing ReLU mask, batch-norm fold or residual branch changes the gradient at
     * O(1) relative to its largest component.
     */
    @ParameterizedTest
    @CsvSource({"8, 3, 32, 32", "8, 3, 15, 15", "8, 1, 28, 28", "20, 3, 32, 32", "110, 3, 32, 32"})
    void theOnnxGradientIsTheInferenceModeGradient(int depth, int c, int h, int w) {
        long[] shape = {c, h, w};
        Network net = tamed(OnnxExportTest.resnet(depth, shape, depth + h));
        INDArray x = OnnxExportTest.images(6, shape, 7);
        int[] labels = {0, 3, 5, 7, 9, 2};
        INDArray y = NoisyCopies.oneHot(labels, 1, 10, DataType.FLOAT);

        ScoredGradient viaOnnx = net.scoresAndInputGradient(x, y);
        assertTrue(net.onnxInputGradients(), "the float graph's gradient did not go through ONNX Runtime");
        Network exact = new Network(((ComputationGraph) net.model()).convertDataType(DataType.DOUBLE), shape, 10);
        ScoredGradient reference = exact.scoresAndInputGradient(x.castTo(DataType.DOUBLE),
                y.castTo(DataType.DOUBLE));
        assertFalse(exact.onnxInputGradients());

        INDArray g = viaOnnx.inputGradient().castTo(DataType.DOUBLE), r = reference.inputGradient();
        assertArrayEquals(r.shape(), g.shape());
        double scale = r.amaxNumber().doubleValue(), err = g.sub(r).amaxNumber().doubleValue();
        assertTrue(scale > 1e-6, "degenerate gradient");
        assertTrue(err < 1e-5 * scale, "resnet" + depth + " " + java.util.Arrays.toString(shape) + ": error " + err
                + " against a largest component of " + scale);
        double pErr = viaOnnx.probabilities().castTo(DataType.DOUBLE).sub(reference.probabilities()).amaxNumber()
                .doubleValue();
        assertTrue(pErr < 1e-4, "probabilities differ by " + pErr);
        // inputGradient alone gives the same gradient
        assertTrue(net.inputGradient(x, y).equals(viaOnnx.inputGradient()));
    }

    /**
     * The residual branches' last batch norms scaled by 0.2 (gamma and beta), as a trained ResNet's are small: with
     * random statistics of gain ~1 in all 54 blocks of a ResNet-110 its activations and input gradient grow to ~1e8
     * and its outputs saturate, and then float32 itself is the error (DL4J's own float path is off by 4e-2 relative
     * there too), not what is tested.
     */
    private static Network tamed(Network net) {
        for (org.deeplearning4j.nn.api.Layer layer : ((ComputationGraph) net.model()).getLayers()) {
            if (layer.conf().getLayer().getLayerName().endsWith("b_bn")) {
                layer.getParam("gamma").muli(0.2);
                layer.getParam("beta").muli(0.2);
            }
        }
        return net;
    }

    /**
     * A batch cut into concurrent runs (7 rows into 3 runs of 2, 2 and 3) gives one run's result: rows do not interact
     * (to 1e-6 relative: an operator may pick another kernel for another batch size, which sums in another order), and
     * the same cut gives the same bits every time.
     */
    @Test
    void concurrentRunsOfConsecutiveRowsGiveOneRunsResult() throws java.io.IOException {
        long[] shape = {3, 32, 32};
        Network net = tamed(OnnxExportTest.resnet(8, shape, 21));
        INDArray x = OnnxExportTest.images(7, shape, 22);
        INDArray y = NoisyCopies.oneHot(new int[] {0, 1, 2, 3, 4, 5, 6}, 1, 10, DataType.FLOAT);
        byte[] model = OnnxExport.withInputGradient((ComputationGraph) net.model(), shape);
        try (var one = org.smoothing4j.model.onnx.OnnxInputGradient.fromBytes(model, OnnxExport.INPUT,
                OnnxExport.LABELS, shape, 10, 1);
                var three = org.smoothing4j.model.onnx.OnnxInputGradient.fromBytes(model, OnnxExport.INPUT,
                        OnnxExport.LABELS, shape, 10, 3)) {
            var a = one.run(x, y);
            var b = three.run(x, y);
            double scale = a.gradient().amaxNumber().doubleValue();
            assertTrue(b.gradient().sub(a.gradient()).amaxNumber().doubleValue() <= 1e-6 * scale);
            assertTrue(b.probabilities().sub(a.probabilities()).amaxNumber().doubleValue() <= 1e-6);
            var again = three.run(x, y);
            assertTrue(again.gradient().equals(b.gradient()) && again.probabilities().equals(b.probabilities()));
            // a single row, fewer rows than runs
            var row = three.run(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 3)),
                    y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 3)));
            assertTrue(row.gradient().sub(a.gradient().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 3)))
                    .amaxNumber().doubleValue() <= 1e-6 * scale);
        }
    }

    /** After a training step the gradient model is exported again from the new weights. */
    @Test
    void aTrainingStepMakesTheGradientModelExportAgain() {
        long[] shape = {3, 32, 32};
        Network net = OnnxExportTest.resnet(8, shape, 11);
        INDArray x = OnnxExportTest.images(8, shape, 12);
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
        INDArray y = NoisyCopies.oneHot(labels, 1, 10, DataType.FLOAT);
        INDArray before = net.inputGradient(x, y);
        net.fit(x, y);
        INDArray after = net.inputGradient(x, y);
        Network exact = new Network(((ComputationGraph) net.model()).convertDataType(DataType.DOUBLE), shape, 10);
        INDArray r = exact.inputGradient(x.castTo(DataType.DOUBLE), y.castTo(DataType.DOUBLE));
        double scale = r.amaxNumber().doubleValue();
        assertFalse(before.equals(after), "the step changed nothing");
        assertTrue(after.castTo(DataType.DOUBLE).sub(r).amaxNumber().doubleValue() < 1e-5 * scale,
                "stale gradient model after a training step");
    }

    @Test
    void withTheSwitchOffGradientsStayOnTheTwin() {
        System.setProperty(Network.ONNX_PROPERTY, "false");
        try {
            Network net = Architectures.build("resnet8", new long[] {3, 32, 32}, 10, Normalization.CIFAR10,
                    new Nesterovs(0.1, 0.9), 0, 2);
            INDArray x = Nd4j.create(DataType.FLOAT, 2, 3, 32, 32);
            new ZigguratNoise().fill(x, 0.5);
            net.inputGradient(x, NoisyCopies.oneHot(new int[] {1, 2}, 1, 10, DataType.FLOAT));
            assertFalse(net.onnxInputGradients());
        } finally {
            System.clearProperty(Network.ONNX_PROPERTY);
        }
    }
}
