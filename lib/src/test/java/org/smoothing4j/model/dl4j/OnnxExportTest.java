package org.smoothing4j.model.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.onnx.OnnxClassifier;
import org.smoothing4j.noise.NoiseSource;
import org.smoothing4j.noise.ZigguratNoise;

/**
 * smoothing4j's ResNets exported to ONNX (batch norms folded into the convolutions) compute what DL4J's graph computes
 * in inference mode, and Network runs float graphs' inference through it.
 */
class OnnxExportTest {
    /** A ResNet with random batch-norm statistics and affine parameters, so that folding them is exercised. */
    static Network resnet(int depth, long seed) {
        return resnet(depth, new long[] {3, 32, 32}, seed);
    }

    /** As {@link #resnet(int, long)} for images of another shape [c, h, w]. */
    static Network resnet(int depth, long[] shape, long seed) {
        Normalization norm = shape[0] == 3 ? Normalization.CIFAR10 : Normalization.FASHION_MNIST;
        Network net = Architectures.build("resnet" + depth, shape, 10, norm, new Nesterovs(0.1, 0.9), 0, seed);
        SplittableRandom r = new SplittableRandom(seed);
        for (org.deeplearning4j.nn.api.Layer layer : ((ComputationGraph) net.model()).getLayers()) {
            Map<String, INDArray> p = layer.paramTable();
            if (p.containsKey("gamma")) {
                // DL4J keeps log10 of the standard deviation ("log10stdev") where it uses log std, else "var"
                for (String k : new String[] {"mean", "log10stdev", "var", "gamma", "beta"}) {
                    INDArray v = p.get(k);
                    for (long i = 0; v != null && i < v.length(); i++) {
                        double u = r.nextDouble();
                        v.putScalar(i, switch (k) {
                            case "mean" -> 0.4 * (u - 0.5);
                            case "log10stdev" -> Math.log10(Math.sqrt(0.5 + u));
                            case "var" -> 0.5 + u;
                            case "gamma" -> 0.7 + 0.6 * u;
                            default -> 0.2 * (u - 0.5);
                        });
                    }
                }
            }
        }
        return net;
    }

    static INDArray images(int n, long seed) {
        return images(n, new long[] {3, 32, 32}, seed);
    }

    static INDArray images(int n, long[] shape, long seed) {
        INDArray x = Nd4j.create(DataType.FLOAT, n, shape[0], shape[1], shape[2]);
        NoiseSource noise = new ZigguratNoise();
        noise.reseed(seed);
        noise.fill(x, 0.5);
        return x.addi(0.5); // noisy images around mid-grey, unclamped as in sampling
    }

    /**
     * Tolerance 1e-4 on probabilities: both are float32 computations of the same function (folding moves the batch
     * norm's multiplication into the convolution's weights, and oneDNN and ONNX Runtime sum in different orders), so
     * they differ by rounding, ~1e-6 relative per operation over ~100 layers; measured below 1e-5.
     */
    @ParameterizedTest
    @ValueSource(ints = {8, 20, 110})
    void theExportedNetworkComputesTheGraphsInferenceFunction(int depth) throws IOException {
        Network net = resnet(depth, depth);
        ComputationGraph graph = (ComputationGraph) net.model();
        INDArray x = images(16, 3);
        INDArray dl4j = graph.outputSingle(false, x.dup());
        try (OnnxClassifier onnx = OnnxClassifier.fromBytes(OnnxExport.of(graph, new long[] {3, 32, 32}), "test", 2)) {
            assertTrue(onnx.outputsProbabilities());
            INDArray p = onnx.scores(x);
            double diff = p.sub(dl4j).amaxNumber().doubleValue();
            assertTrue(diff < 1e-4, "resnet" + depth + ": " + diff);
            assertArrayEquals(dl4j.argMax(1).toLongVector(), p.argMax(1).toLongVector());
        }
        // Network itself uses it, and a wrong fold (no batch norm) would differ
        assertTrue(net.onnxInference());
        assertTrue(net.scores(x).sub(dl4j).amaxNumber().doubleValue() < 1e-4);
    }

    @Test
    void aTrainingStepMakesNetworkExportAgain() {
        Network net = resnet(8, 1);
        INDArray x = images(8, 4);
        INDArray before = net.scores(x);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 10);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 10, 1);
        }
        net.fit(x, y);
        INDArray after = net.scores(x);
        INDArray dl4j = ((ComputationGraph) net.model()).outputSingle(false, x.dup());
        assertFalse(before.equals(after), "the step changed nothing");
        assertTrue(after.sub(dl4j).amaxNumber().doubleValue() < 1e-4, "stale ONNX model after a training step");
    }

    @Test
    void doublePrecisionGraphsAndTheSwitchStayOnDl4j() {
        Network d = Architectures.build("resnet8", new long[] {3, 32, 32}, 10, Normalization.CIFAR10,
                new Nesterovs(0.1, 0.9), 0, 1, DataType.DOUBLE);
        assertFalse(d.onnxInference());
        System.setProperty(Network.ONNX_PROPERTY, "false");
        try {
            assertFalse(resnet(8, 2).onnxInference());
        } finally {
            System.clearProperty(Network.ONNX_PROPERTY);
        }
    }

    /**
     * LeNet and the MLP (layer stacks) export too: the flattening between convolutions and dense layers must follow
     * DL4J's (channel, row, column) order, or the probabilities differ at O(1). Tolerance 1e-5: a few float32 layers.
     * After a training step the network's inference goes back to the direct path for good.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lenet", "mlp"})
    void layerStacksExportToo(String arch) {
        Network net = Architectures.build(arch, new long[] {1, 28, 28}, 10, Normalization.FASHION_MNIST,
                new Nesterovs(0.1, 0.9), 0, 5);
        INDArray x = Nd4j.create(DataType.FLOAT, 12, 1, 28, 28);
        NoiseSource noise = new ZigguratNoise();
        noise.reseed(6);
        noise.fill(x, 0.5);
        x.addi(0.3);
        var mln = (org.deeplearning4j.nn.multilayer.MultiLayerNetwork) net.model();
        INDArray dl4j = mln.output(x.dup(), false);
        assertTrue(net.onnxInference());
        INDArray p = net.scores(x);
        assertTrue(p.sub(dl4j).amaxNumber().doubleValue() < 1e-5, arch + ": " + p.sub(dl4j).amaxNumber());
        INDArray y = Nd4j.zeros(DataType.FLOAT, 12, 10);
        for (int i = 0; i < 12; i++) {
            y.putScalar(i, i % 10, 1);
        }
        net.fit(x, y);
        assertFalse(net.onnxInference());
        INDArray after = mln.output(x.dup(), false);
        assertFalse(after.equals(dl4j), "the step changed nothing");
        assertTrue(net.scores(x).sub(after).amaxNumber().doubleValue() < 1e-5, "stale scores after a step");
    }

    @Test
    void layersItCannotExportAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.of(
                new ComputationGraph(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().graphBuilder()
                        .addInputs("in").setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(4, 4, 1))
                        .addLayer("tanh", new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                                .activation(org.nd4j.linalg.activations.Activation.TANH).build(), "in")
                        .addLayer("out", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nOut(2)
                                .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build(), "tanh")
                        .setOutputs("out").build()) {
                    {
                        init();
                    }
                }, new long[] {1, 4, 4}));
        assertTrue(e.getMessage().startsWith("ONNX export: vertex 'tanh' (ActivationLayer"), e.getMessage());
    }
}
