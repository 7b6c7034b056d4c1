package org.smoothing4j.model.layerstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smoothing4j.attack.NoisyCopies;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.model.Fitted;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.ScoredGradient;
import org.smoothing4j.model.dl4j.Architectures;
import org.smoothing4j.model.dl4j.CodePaths;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.noise.NoiseSource;

/**
 * The direct layer-stack path computes what DL4J's own path computes: probabilities, input gradients, and whole
 * training steps (gradient, L2 term, Nesterov updater, iteration count, reported loss).
 * Tolerances: in double precision the two paths differ only by summation order (~1e-15 relative per operation),
 * asserted 1e-9 after three steps; in float32 (oneDNN on both paths, different kernels for some operations),
 * ~1e-6 relative per operation, asserted 1e-4 on probabilities and 1e-3 relative on gradients and parameter changes.
 */
class LayerStackTest {
    private static LabeledImages data;

    @BeforeAll
    static void load() throws IOException {
        data = Datasets.load("fashion-mnist", Split.TEST).head(288);
    }

    private static Network build(String arch, DataType type, boolean direct) {
        java.util.function.Supplier<Network> b = () -> Architectures.build(arch, new long[] {1, 28, 28}, 10,
                Normalization.FASHION_MNIST, new Nesterovs(0.05, 0.9), 1e-3, 21, type);
        return direct ? CodePaths.direct(b) : CodePaths.dl4j(true, b);
    }

    /**
     * Noisy test images (sigma 0.5) [32, 1, 28, 28] number k and their one-hot labels, the same in every run: the
     * noise comes from the project's seeded generator (Nd4j.randn after Nd4j.getRandom().setSeed(k) drew other
     * values in every run, and about one run in ten gave inputs on which the float comparison failed).
     */
    private static INDArray[] batch(int k, DataType type) {
        INDArray x = data.images().get(NDArrayIndex.interval(32 * k, 32 * (k + 1))).castTo(type);
        NoiseSource noise = NoiseSource.nd4j();
        noise.reseed(k);
        INDArray n = x.ulike();
        noise.fill(n, 0.5);
        x = x.add(n);
        int[] labels = java.util.Arrays.copyOfRange(data.labels(), 32 * k, 32 * (k + 1));
        return new INDArray[] {x, NoisyCopies.oneHot(labels, 1, 10, type)};
    }

    private static double relative(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet", "mlp"})
    void forwardAndInputGradientEqualDl4js(String arch) {
        Network direct = build(arch, DataType.FLOAT, true), dl4j = build(arch, DataType.FLOAT, false);
        assertTrue(direct.direct());
        assertFalse(dl4j.direct());
        INDArray[] b = batch(0, DataType.FLOAT);
        INDArray before = b[0].dup();
        INDArray p = direct.scores(b[0]);
        assertEquals(before, b[0], "scores changed its input");
        assertTrue(Transforms.abs(p.sub(dl4j.scores(b[0]))).maxNumber().doubleValue() < 1e-4, "probabilities differ");
        double g = relative(direct.inputGradient(b[0], b[1]), dl4j.inputGradient(b[0], b[1]));
        assertTrue(g < 1e-3, "input gradients differ by " + g);
        ScoredGradient both = direct.scoresAndInputGradient(b[0], b[1]);
        assertEquals(p, both.probabilities());
        assertEquals(direct.inputGradient(b[0], b[1]), both.inputGradient());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet", "mlp"})
    void trainingStepsEqualDl4jsInDoublePrecision(String arch) {
        Network direct = build(arch, DataType.DOUBLE, true), dl4j = build(arch, DataType.DOUBLE, false);
        INDArray start = dl4j.params().dup();
        assertEquals(start, direct.params());
        for (int k = 0; k < 3; k++) {
            INDArray[] b = batch(k, DataType.DOUBLE);
            Fitted fd = direct.fit(b[0], b[1]), fj = dl4j.fit(b[0], b[1]);
            assertEquals(fj.loss(), fd.loss(), 1e-9 * fj.loss(), "loss of step " + k);
            assertTrue(relative(fd.probabilities(), fj.probabilities()) < 1e-9, "probabilities of step " + k);
        }
        double change = relative(direct.params().sub(start), dl4j.params().sub(start));
        assertTrue(change < 1e-9, "parameters after three steps differ by " + change);
        MultiLayerNetwork md = (MultiLayerNetwork) direct.model(), mj = (MultiLayerNetwork) dl4j.model();
        assertEquals(mj.getIterationCount(), md.getIterationCount());
        assertEquals(3, md.getIterationCount());
        assertTrue(relative(md.getUpdater().getStateViewArray(), mj.getUpdater().getStateViewArray()) < 1e-9,
                "updater (momentum) state differs");
    }

    /**
     * Float32 training steps: three independent runs of three steps each (batches 0-2, 3-5, 6-8); the median run's
     * relative difference in parameter changes is asserted below 1e-2, every run's below 0.1. Why a median: on this
     * machine (Intel Xeon, AVX-512) the difference measured 5.1e-7 to 7.6e-7 over 50 runs of each architecture (other
     * seeds and batches; also with the generic native build, 3.6e-7 to 3.9e-7, and on one thread), but a fresh AMD EPYC
     * machine once gave 1.18e-3 in a full run and not alone: in float32 a ReLU input or a max-pooling pair within
     * rounding of a tie can be decided differently by the two paths' kernels (and by the rounding other tests leave
     * in libnd4j's thread settings), which changes one unit's gradient for one image at O(1) and the parameter change
     * at ~1e-3, then carries on through momentum. Such a flip is isolated; it would have to hit two of the three runs
     * to fail the median, yet in one full suite run (2026-12-06, AMD EPYC) the MLP's runs gave 2.3e-3, 1.3e-3 and
     * 7.8e-7: flips cluster when the suite leaves libnd4j in one state. Hence the median's bound 1e-2, a factor of four
     * above the largest flip seen and ten below what a wrong kernel (a missing ReLU mask, a wrong pooling route) gives:
     * O(1e-1) or more in every run.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lenet", "mlp"})
    void trainingStepsEqualDl4jsInFloat(String arch) {
        double[] changes = new double[3];
        for (int run = 0; run < 3; run++) {
            Network direct = build(arch, DataType.FLOAT, true), dl4j = build(arch, DataType.FLOAT, false);
            INDArray start = dl4j.params().dup();
            for (int k = 3 * run; k < 3 * run + 3; k++) {
                INDArray[] b = batch(k, DataType.FLOAT);
                Fitted fd = direct.fit(b[0], b[1]), fj = dl4j.fit(b[0], b[1]);
                assertEquals(fj.loss(), fd.loss(), 1e-4 * fj.loss(), "loss of step " + k);
            }
            changes[run] = relative(direct.params().sub(start), dl4j.params().sub(start));
            assertTrue(changes[run] < 0.1, "parameter changes of run " + run + " differ by " + changes[run]);
        }
        double[] sorted = changes.clone();
        java.util.Arrays.sort(sorted);
        assertTrue(sorted[1] < 1e-2, "parameter changes differ by " + java.util.Arrays.toString(changes));
    }

    /**
     * Three input channels: the NHWC layout stages copy (with one channel they are views). LeNet on 3 x 28 x 28
     * with per-channel normalisation, double precision: probabilities, the input gradient and two training steps
     * equal DL4J's (NCHW throughout) to 1e-9.
     */
    @Test
    void threeChannelsEqualDl4jsInDoublePrecision() {
        java.util.function.Supplier<Network> b = () -> Architectures.build("lenet", new long[] {3, 28, 28}, 10,
                Normalization.CIFAR10, new Nesterovs(0.05, 0.9), 1e-3, 4, DataType.DOUBLE);
        Network direct = CodePaths.direct(b), dl4j = CodePaths.dl4j(true, b);
        assertTrue(direct.direct());
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 16, 3, 28, 28);
        int[] labels = new int[16];
        java.util.Arrays.setAll(labels, i -> (i * 7) % 10);
        INDArray y = NoisyCopies.oneHot(labels, 1, 10, DataType.DOUBLE);
        assertTrue(relative(direct.scores(x), dl4j.scores(x)) < 1e-12, "probabilities differ");
        double g = relative(direct.inputGradient(x, y), dl4j.inputGradient(x, y));
        assertTrue(g < 1e-9, "input gradients differ by " + g);
        INDArray start = dl4j.params().dup();
        for (int k = 0; k < 2; k++) {
            Fitted fd = direct.fit(x, y), fj = dl4j.fit(x, y);
            assertEquals(fj.loss(), fd.loss(), 1e-9 * fj.loss(), "loss of step " + k);
        }
        double change = relative(direct.params().sub(start), dl4j.params().sub(start));
        assertTrue(change < 1e-9, "parameters after two steps differ by " + change);
    }

    @Test
    void reusedBuffersGiveTheSameResultsForAlternatingBatchSizes() {
        Network net = build("lenet", DataType.FLOAT, true);
        INDArray x = batch(0, DataType.FLOAT)[0];
        INDArray seven = x.get(NDArrayIndex.interval(0, 7)).dup();
        INDArray five = x.get(NDArrayIndex.interval(7, 12)).dup();
        INDArray first = net.scores(seven);
        INDArray other = net.scores(five);
        assertEquals(first, net.scores(seven));
        assertEquals(other, net.scores(five));
        assertEquals(net.scores(x).get(NDArrayIndex.interval(0, 7)), first);
        // inputs read in place (a view at an offset, as CERTIFY's reshaped batch buffer) or copied (f order)
        assertEquals(other, net.scores(x.get(NDArrayIndex.interval(7, 12))));
        assertEquals(other, net.scores(x.reshape(32, 784).get(NDArrayIndex.interval(7, 12)).reshape(5, 1, 28, 28)));
        assertEquals(first, net.scores(seven.dup('f')));
    }

    @Test
    void unsupportedNetworksKeepDl4jsPath() {
        MultiLayerNetwork withDropout = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.RELU).dropOut(0.5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(4)).build());
        withDropout.init();
        assertFalse(new Network(withDropout, new long[] {1, 2, 2}, 3).direct());
        Network tanh = CodePaths.direct(() -> {
            MultiLayerNetwork m = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                    .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.feedForward(4)).build());
            m.init();
            return new Network(m, new long[] {1, 2, 2}, 3);
        });
        assertFalse(tanh.direct());
        assertFalse(CodePaths.direct(() -> Architectures.build("resnet20", new long[] {3, 32, 32}, 10,
                Normalization.CIFAR10, new Nesterovs(0.1, 0.9), 0, 1)).direct());
    }
}
