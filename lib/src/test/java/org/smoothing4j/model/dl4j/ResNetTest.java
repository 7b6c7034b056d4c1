package org.smoothing4j.model.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smoothing4j.attack.NoisyCopies;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.NormalizeActivation;

/** CIFAR ResNets: structure, inference twin, input gradients in inference mode, oneDNN, checkpoints. */
@Tag("slow") // over 15 s: in make test, not in make check
class ResNetTest {
    private static final long[] CIFAR = {3, 32, 32};

    @TempDir
    Path dir;

    private static Network resnet(int depth, long[] shape, DataType type, long seed) {
        return Architectures.build("resnet" + depth, shape, 10, Normalization.CIFAR10,
                new Nesterovs(0.05, 0.9), 1e-4, seed, type);
    }

    /** Trains a few steps on random images so that batch norm's running statistics are far from (0, 1). */
    private static void warmUp(Network net, long[] shape, DataType type) {
        Nd4j.getRandom().setSeed(5);
        for (int i = 0; i < 3; i++) {
            INDArray x = Nd4j.rand(type, 16, shape[0], shape[1], shape[2]).muli(0.8).addi(0.1);
            int[] y = new int[16];
            for (int k = 0; k < 16; k++) {
                y[k] = (k * 7 + i) % 10;
            }
            net.fit(x, NoisyCopies.oneHot(y, 1, 10, type));
        }
    }

    /** Parameters DL4J counts: conv weights, 4 per batch-norm channel (gamma, beta, running mean, var), dense. */
    private static long expectedParameters(int n) {
        long convs = 3 * 16 * 9, bnChannels = 16;
        int in = 16;
        for (int width : new int[] {16, 32, 64}) {
            for (int block = 0; block < n; block++) {
                convs += (long) in * width * 9 + (long) width * width * 9;
                bnChannels += 2L * width;
                if (in != width) {
                    convs += (long) in * width;
                    bnChannels += width;
                }
                in = width;
            }
        }
        return convs + 4 * bnChannels + 64 * 10 + 10;
    }

    @Test
    void resnet20And110HaveTheirDepthAndParameterCount() {
        assertEquals(3, ResNets.blocksPerStage(20));
        assertEquals(18, ResNets.blocksPerStage(110));
        assertEquals(expectedParameters(3), resnet(20, CIFAR, DataType.FLOAT, 1).parameterCount());
        assertEquals(expectedParameters(18), resnet(110, CIFAR, DataType.FLOAT, 1).parameterCount());
        // trainable parameters as PyTorch counts them (running statistics excluded): ResNet-20 has about 0.27 M
        long trainable20 = expectedParameters(3) - 2 * (16 + 3 * 2 * 16 + 3 * 2 * 32 + 32 + 3 * 2 * 64 + 64);
        assertTrue(trainable20 > 265_000 && trainable20 < 280_000, "ResNet-20 trainable parameters " + trainable20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architectures.build("resnet21", CIFAR, 10, Normalization.CIFAR10, new Sgd(0.1),
                        0, 1));
        assertTrue(e.getMessage().contains("6n + 2"), e.getMessage());
    }

    @Test
    void forwardGivesProbabilitiesOfEachImage() {
        Network net = resnet(20, CIFAR, DataType.FLOAT, 2);
        INDArray p = net.scores(Nd4j.rand(DataType.FLOAT, 5, 3, 32, 32));
        assertArrayEquals(new long[] {5, 10}, p.shape());
        INDArray sums = p.sum(1);
        for (int i = 0; i < 5; i++) {
            assertEquals(1.0, sums.getDouble(i), 1e-5);
        }
    }

    /**
     * The twin computes the graph's inference function, and its input gradient is that function's gradient:
     * central differences in double precision (h = 1e-5, truncation error O(h^2) ~ 1e-10 times third
     * derivatives; the network is piecewise linear so kinks are hit with probability ~0); asserted to 1e-6
     * relative to the largest component.
     */
    @Test
    void inputGradientIsTheInferenceModeGradient() {
        long[] shape = {3, 8, 8};
        Network net = resnet(20, shape, DataType.DOUBLE, 3);
        warmUp(net, shape, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 3, 8, 8);
        int[] labels = {1, 4, 7};
        INDArray y = NoisyCopies.oneHot(labels, 1, 10, DataType.DOUBLE);

        ResNets.Twin twin = ResNets.inferenceTwin((org.deeplearning4j.nn.graph.ComputationGraph) net.model(), shape);
        INDArray viaTwin = twin.graph().outputSingle(false, x.dup());
        double twinError = Transforms.abs(viaTwin.sub(net.scores(x))).maxNumber().doubleValue();
        assertTrue(twinError < 1e-12, "the twin does not compute the graph's inference function: " + twinError);

        INDArray g = net.inputGradient(x, y);
        double h = 1e-5, maxG = Transforms.abs(g).maxNumber().doubleValue(), maxErr = 0;
        for (int k = 0; k < 40; k++) {
            long[] at = {k % 3, (k * 7) % 3, (k * 5) % 8, (k * 3) % 8};
            INDArray xp = x.dup(), xm = x.dup();
            xp.putScalar(at, x.getDouble(at) + h);
            xm.putScalar(at, x.getDouble(at) - h);
            double fd = (loss(net, xp, labels) - loss(net, xm, labels)) / (2 * h);
            maxErr = Math.max(maxErr, Math.abs(fd - g.getDouble(at)));
        }
        assertTrue(maxG > 1e-4, "degenerate gradient");
        assertTrue(maxErr < 1e-6 * maxG, "gradient error " + maxErr + " vs max " + maxG);
        // the batch norms were in inference mode: training-mode statistics of this batch give other gradients
        assertFalse(Transforms.abs(g.sub(trainingModeGradient(net, x, y))).maxNumber().doubleValue() < 1e-3 * maxG);
    }

    private static INDArray trainingModeGradient(Network net, INDArray x, INDArray y) {
        var graph = (org.deeplearning4j.nn.graph.ComputationGraph) net.model();
        NormalizeActivation norm = (NormalizeActivation) ((org.deeplearning4j.nn.conf.layers.ActivationLayer) graph
                .getLayer(ResNets.NORMALIZE).conf().getLayer()).getActivationFn();
        norm.captureInputGradients();
        graph.setInputs(x.dup());
        graph.setLabels(y);
        graph.computeGradientAndScore();
        return norm.takeInputGradient();
    }

    private static double loss(Network net, INDArray x, int[] labels) {
        INDArray p = net.scores(x);
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum -= Math.log(p.getDouble(i, labels[i]));
        }
        return sum;
    }

    /** Tolerances as OneDnnTest (float32, sums of up to 576 products reordered by another kernel). */
    @Test
    void oneDnnIsInUseAndMatchesTheBuiltInPath() {
        Network fast = withHelpers(true), builtIn = withHelpers(false);
        assertTrue(OneDnn.inUse(fast.model()), "oneDNN helpers are not in use");
        assertFalse(OneDnn.inUse(builtIn.model()));
        assertEquals(fast.params(), builtIn.params());
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3, 32, 32);
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
        INDArray y = NoisyCopies.oneHot(labels, 1, 10, DataType.FLOAT);
        assertTrue(Transforms.abs(fast.scores(x).sub(builtIn.scores(x))).maxNumber().doubleValue() < 1e-4);
        INDArray gf = fast.inputGradient(x, y), gb = builtIn.inputGradient(x, y);
        double relative = gf.sub(gb).norm2Number().doubleValue() / gb.norm2Number().doubleValue();
        assertTrue(relative < 1e-3, "input gradients differ by " + relative);
    }

    private static Network withHelpers(boolean on) {
        return CodePaths.dl4j(on, () -> resnet(20, CIFAR, DataType.FLOAT, 6));
    }

    @Test
    void checkpointRoundTripsAGraphWithItsBatchNormStatistics() throws IOException {
        long[] shape = {3, 8, 8};
        Network net = resnet(20, shape, DataType.FLOAT, 7);
        warmUp(net, shape, DataType.FLOAT);
        Path zip = dir.resolve("resnet.zip");
        Checkpoint.save(net, "resnet20", Map.of(), zip);
        Network loaded = Checkpoint.load(zip).network();
        assertEquals(net.params(), loaded.params());
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 8, 8);
        assertEquals(net.scores(x), loaded.scores(x));
        assertEquals(net.inputGradient(x, NoisyCopies.oneHot(new int[] {1, 2, 3, 4}, 1, 10, DataType.FLOAT)),
                loaded.inputGradient(x, NoisyCopies.oneHot(new int[] {1, 2, 3, 4}, 1, 10, DataType.FLOAT)));
    }

    private static void assertArrayEquals(long[] expected, long[] actual) {
        assertTrue(Arrays.equals(expected, actual), Arrays.toString(actual));
    }
}
