package org.smoothing4j.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.smoothing4j.certify.Certificate;
import org.smoothing4j.certify.SmoothedClassifier;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.dl4j.Architectures;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.noise.Seeds;

/**
 * ONNX models exported from PyTorch (fixtures of lib/src/test/onnx/make-fixtures.py, committed under
 * src/test/resources/onnx) as base classifiers: their outputs equal PyTorch's, the JVM-side normalisation equals the
 * one inside, CERTIFY on the ONNX LeNet agrees with CERTIFY on the same weights in smoothing4j's own LeNet, and
 * models smoothing4j cannot run are refused with the file and what is wrong.
 */
class OnnxClassifierTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "onnx");

    @TempDir
    static Path dir;

    static INDArray npy(String name) {
        return Nd4j.createFromNpyFile(FIXTURES.resolve(name).toFile());
    }

    /** Largest absolute difference. */
    static double maxDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    /**
     * Tolerance 1e-4: both sides compute in float32 (relative rounding ~1e-7 per operation); over the ~10^4-term sums
     * of these networks the differences stay below 1e-5 for logits of size ~10.
     */
    @ParameterizedTest
    @CsvSource({"lenet-fmnist.onnx, lenet-inputs.npy, lenet-fmnist-logits.npy, false",
        "lenet-fmnist-raw.onnx, lenet-inputs.npy, lenet-fmnist-raw-logits.npy, true",
        "resnet20-cifar.onnx, resnet-inputs.npy, resnet20-cifar-logits.npy, false",
        "resnet110-cifar.onnx, resnet-inputs.npy, resnet110-cifar-logits.npy, false"})
    void outputsEqualPyTorchsTo1e4(String model, String inputs, String logits, boolean normalized) throws IOException {
        try (OnnxClassifier f = OnnxClassifier.load(FIXTURES.resolve(model))) {
            INDArray x = npy(inputs);
            if (normalized) { // the raw LeNet's logits were taken on normalised inputs
                x = Normalization.FASHION_MNIST.apply(x.dup());
            }
            INDArray expected = npy(logits);
            assertFalse(f.outputsProbabilities());
            assertArrayEquals(new long[] {x.size(1), x.size(2), x.size(3)}, f.inputShape());
            assertEquals(10, f.numClasses());
            assertTrue(maxDiff(f.outputs(x), expected) < 1e-4, model + ": " + maxDiff(f.outputs(x), expected));
            // scores are the softmax of the logits
            INDArray p = f.scores(x);
            assertTrue(maxDiff(p.sum(1), Nd4j.ones(DataType.FLOAT, x.size(0))) < 1e-5);
            assertArrayEquals(expected.argMax(1).toLongVector(), p.argMax(1).toLongVector());
        }
    }

    @Test
    void normalisationOnTheJvmSideEqualsTheLayerInsideTheModel() throws IOException {
        try (OnnxClassifier inside = OnnxClassifier.load(FIXTURES.resolve("lenet-fmnist.onnx"));
                OnnxClassifier raw = OnnxClassifier.load(FIXTURES.resolve("lenet-fmnist-raw.onnx"))) {
            INDArray x = npy("lenet-inputs.npy").add(Nd4j.randn(DataType.FLOAT, 8, 1, 28, 28).muli(0.5));
            Classifier outside = Normalization.FASHION_MNIST.before(raw);
            assertTrue(maxDiff(inside.scores(x), outside.scores(x)) < 1e-5);
            // the wrong normalisation (none) changes the outputs: the comparison can fail
            assertTrue(maxDiff(inside.scores(x), raw.scores(x)) > 1e-3);
        }
    }

    /** smoothing4j's LeNet with the PyTorch LeNet's weights (exported by the fixture script as .npy). */
    static Network lenetWithFixtureWeights() {
        Network net = Architectures.build("lenet", new long[] {1, 28, 28}, 10, Normalization.FASHION_MNIST,
                new Sgd(0.1), 0, 1);
        MultiLayerNetwork mln = (MultiLayerNetwork) net.model();
        for (String name : new String[] {"1_W", "1_b", "3_W", "3_b", "5_W", "5_b", "6_W", "6_b"}) {
            String[] p = name.split("_");
            INDArray v = npy("lenet-fmnist-weights/" + name + ".npy");
            INDArray target = mln.getLayer(Integer.parseInt(p[0])).getParam(p[1]);
            target.assign(v.reshape(target.shape()));
        }
        return net;
    }

    static LabeledImages test;

    @BeforeAll
    static void data() throws IOException {
        test = Datasets.load("fashion-mnist", Split.TEST);
    }

    @Test
    void certifyOnTheOnnxLeNetAgreesWithSmoothing4jsLeNetOnTheSameWeights() throws IOException {
        Network own = lenetWithFixtureWeights();
        try (OnnxClassifier onnx = OnnxClassifier.load(FIXTURES.resolve("lenet-fmnist.onnx"))) {
            INDArray x = test.images().get(NDArrayIndex.interval(0, 200)).dup();
            assertTrue(maxDiff(onnx.scores(x), own.scores(x)) < 1e-4, "base classifiers differ");
            SmoothedClassifier a = SmoothedClassifier.of(onnx, 0.25), b = SmoothedClassifier.of(own, 0.25);
            int n = 2000, certified = 0;
            for (int i = 0; i < 30; i++) {
                int idx = i * 300;
                long seed = Seeds.forExample(5, idx);
                Certificate ca = a.certify(test.image(idx), 100, n, 0.001, seed);
                Certificate cb = b.certify(test.image(idx), 100, n, 0.001, seed);
                // the same noise on both: counts differ only where float rounding flips the argmax of a sample whose
                // top two scores tie to ~1e-6, a handful of n = 2000 at most; a different model would differ by
                // hundreds
                assertEquals(cb.prediction(), ca.prediction(), "example " + idx);
                assertTrue(Math.abs(ca.nA() - cb.nA()) <= 5, "example " + idx + ": nA " + ca.nA() + " vs " + cb.nA());
                assertEquals(cb.radius(), ca.radius(), 0.02, "example " + idx);
                certified += ca.abstained() ? 0 : 1;
            }
            assertTrue(certified > 20, "only " + certified + " of 30 certified: the comparison proves little");
        }
    }

    @Test
    void concurrentRunsOnOneSessionGiveTheSameScores() throws Exception {
        try (OnnxClassifier f = OnnxClassifier.load(FIXTURES.resolve("resnet20-cifar.onnx"))) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 16, 3, 32, 32);
            INDArray alone = f.scores(x);
            Classifier copy = f.concurrentCopy().orElseThrow();
            CompletableFuture<INDArray> other = CompletableFuture.supplyAsync(() -> copy.scores(x));
            INDArray mine = f.scores(x);
            assertEquals(alone, mine);
            assertEquals(alone, other.get());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bad-rank.onnx | input 'input' has shape [-1, 784] (-1: dynamic), expected [batch, channels, height, width]",
        "bad-dtype.onnx | input 'input' is a double tensor of shape [-1, 1, 28, 28], expected a float tensor",
        "bad-output.onnx | first output 'logits' is a float tensor of shape [-1, 5, 2], expected class scores",
        "bad-fixed-batch.onnx | input 'input' has a fixed batch size of 2; export it with dynamic_axes",
        "bad-two-inputs.onnx | the model takes 2 inputs"})
    void modelsThatAreNotImageClassifiersAreRefusedWithWhatIsWrong(String model, String message) {
        IOException e = assertThrows(IOException.class, () -> OnnxClassifier.load(FIXTURES.resolve(model)));
        assertTrue(e.getMessage().startsWith(FIXTURES.resolve(model) + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message.strip()), e.getMessage());
    }

    @Test
    void unreadableAndMissingFilesAreRefused() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.onnx"), "not a model\n");
        IOException e = assertThrows(IOException.class, () -> OnnxClassifier.load(text));
        assertTrue(e.getMessage().startsWith(text + ": not a loadable ONNX model ("), e.getMessage());
        Path truncated = dir.resolve("truncated.onnx");
        byte[] full = Files.readAllBytes(FIXTURES.resolve("lenet-fmnist.onnx"));
        Files.write(truncated, java.util.Arrays.copyOf(full, full.length / 2));
        e = assertThrows(IOException.class, () -> OnnxClassifier.load(truncated));
        assertTrue(e.getMessage().startsWith(truncated + ": not a loadable ONNX model"), e.getMessage());
        e = assertThrows(IOException.class, () -> OnnxClassifier.load(dir.resolve("none.onnx")));
        assertTrue(e.getMessage().contains("model file not found"), e.getMessage());
    }
}
