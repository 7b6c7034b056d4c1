package org.smoothing4j.denoise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.io.Progress;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.dl4j.Architectures;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.model.onnx.OnnxClassifier;
import org.smoothing4j.noise.NoiseSource;
import org.smoothing4j.noise.ZigguratNoise;

/** Denoised smoothing: the composition, its gradient, the objectives and the resumable training run. */
@Tag("slow") // over 15 s: in make test, not in make check
class DnCnnTest {
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
    private static LabeledImages train;
    private static LabeledImages test;

    @TempDir
    Path dir;

    @BeforeAll
    static void data() throws IOException {
        train = Datasets.load("fashion-mnist", Split.TRAIN).head(256);
        test = Datasets.load("fashion-mnist", Split.TEST).head(200);
    }

    private static ISchedule lr(double v) {
        return new MapSchedule(ScheduleType.EPOCH, java.util.Map.of(0, v));
    }

    private static Network lenet(long seed) {
        return Architectures.build("lenet", new long[] {1, 28, 28}, 10, Normalization.forDataset("fashion-mnist"),
                new Adam(1e-3), 0, seed);
    }

    /** Values from java.util.Random (ND4J's randn is not seeded here), scaled. */
    private static INDArray seeded(long seed, double scale, long... shape) {
        Random r = new Random(seed);
        INDArray a = Nd4j.create(DataType.FLOAT, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, scale * r.nextGaussian());
        }
        return a;
    }

    private static DenoiseConfig config(String objective, String gradient, int epochs) {
        return new DenoiseConfig("fashion-mnist", "test", "fp", 0.25, objective, gradient, 8, 0.005, epochs, 1, 32,
                1e-3, 30, 1e-4, 1e-4, 4, 16, -1, 200, 5);
    }

    /** METHODS 4c, KAT 1: a fresh denoiser is the identity, so the pipeline scores as the classifier, bit for bit. */
    @Test
    void freshDenoiserIsTheIdentity() {
        Network f = lenet(1);
        DnCnn d = DnCnn.build(new long[] {1, 28, 28}, 8, 32, lr(1e-3), 1e-4, 3);
        INDArray x = train.images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 64)).dup();
        INDArray y = x.add(seeded(2, 0.25, x.shape()));
        assertEquals(y, d.denoise(y));
        assertEquals(f.scores(y.dup()), new DenoisedClassifier(f, d).scores(y.dup()));
    }

    /**
     * The ONNX Runtime inference of a denoiser against DL4J's forward pass, with random weights in every layer (the
     * last one too, so R is not zero): the same function up to float rounding. A 3x3 convolution over w channels sums
     * 9w products, so with float's unit roundoff 6e-8 the two evaluation orders differ by about sqrt(9w) * 6e-8
     * relative per layer (1e-6 at w = 32); over the depth and on values of order 1, 1e-4 absolute leaves a wide margin
     * while a wrong padding, a missing ReLU or a transposed kernel changes outputs by 1e-2 or more. The pipeline on
     * ONNX runs on several threads: its concurrent copy scores as it does.
     */
    @Test
    void onnxInferenceIsDl4jsForwardPass() {
        DnCnn d = DnCnn.build(new long[] {1, 28, 28}, 5, 16, lr(1e-3), 1e-4, 3);
        var net = d.network();
        for (int i = 0; i < net.getnLayers() - 1; i++) {
            INDArray w = net.getLayer(i).getParam("W");
            w.assign(seeded(20 + i, Math.sqrt(2.0 / (w.size(1) * 9)), w.shape()));
        }
        INDArray x = train.images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 50)).dup();
        INDArray y = x.add(seeded(2, 0.5, x.shape()));
        INDArray before = y.dup();
        assertTrue(d.concurrent());
        INDArray viaOnnx = d.denoise(y);
        Network f = lenet(1);
        DenoisedClassifier pipeline = new DenoisedClassifier(f, d);
        INDArray scores = pipeline.scores(y);
        assertEquals(scores, pipeline.concurrentCopy().orElseThrow().scores(y));
        d.training();
        assertTrue(!d.concurrent() && pipeline.concurrentCopy().isEmpty());
        INDArray viaDl4j = d.denoise(y);
        assertEquals(before, y);
        double moved = viaDl4j.sub(y).norm2Number().doubleValue() / Math.sqrt(y.length());
        assertTrue(moved > 0.05, "R is not negligible: rms " + moved);
        double diff = viaOnnx.sub(viaDl4j).amaxNumber().doubleValue();
        assertTrue(diff < 1e-4, "ONNX vs DL4J denoiser: max |diff| " + diff);
    }

    /**
     * Attacks through a denoiser (backprop): with a fresh denoiser, the identity, the attack's objective and gradient
     * are the plain classifier's bit for bit (the last convolution is exactly zero, so nothing flows through R).
     */
    @Test
    void backpropAttackGradientThroughAFreshDenoiserIsTheClassifiers() {
        Network f = lenet(1);
        DnCnn d = DnCnn.build(new long[] {1, 28, 28}, 4, 8, lr(1e-3), 1e-4, 3);
        INDArray x = train.images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)).dup();
        INDArray noise = seeded(8, 0.25, 3 * 4, 1, 28, 28);
        int[] labels = {train.labels()[0], train.labels()[1], train.labels()[2]};
        var source = org.smoothing4j.attack.Gradients.backprop();
        var plain = source.evaluate(f, x, noise, labels, org.smoothing4j.attack.Objective.SMOOTH);
        var through = source.evaluate(new DenoisedClassifier(f, d), x, noise, labels,
                org.smoothing4j.attack.Objective.SMOOTH);
        assertEquals(plain.loss(), through.loss());
        assertEquals(plain.gradient(), through.gradient());
    }

    /**
     * The gradient through classifier and denoiser against central differences of the summed cross-entropy along
     * random directions, both networks in double. They are piecewise linear (ReLU) but for the softmax: with h = 1e-5
     * a difference quotient differs from the derivative by O(h) curvature terms and 1e-16 |L| / h = 1e-10 rounding,
     * unless a kink lies within h (probability about h per unit), so 1e-4 relative agreement on each of 5 directions
     * fails any wrong sign, missing term or transposed layout.
     */
    @Test
    void compositionGradientMatchesFiniteDifferences() {
        Network f = Architectures.build("lenet", new long[] {1, 28, 28}, 10, Normalization.forDataset("fashion-mnist"),
                new Adam(1e-3), 0, 1, DataType.DOUBLE);
        DnCnn d = DnCnn.build(new long[] {1, 28, 28}, 4, 8, lr(1e-3), 1e-4, 3, DataType.DOUBLE);
        // a denoiser that is not the identity: every weight random, the last convolution too
        INDArray p = d.network().params();
        p.assign(seeded(9, 0.05, p.shape()).castTo(DataType.DOUBLE));
        DenoisedClassifier g = new DenoisedClassifier(f, d);
        // noisy images, as the denoiser sees them: on clean ones the black background is exactly 0, which puts the
        // bias-free convolutions' pre-activations exactly on ReLU's kink, where no difference quotient converges
        INDArray x = train.images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).castTo(DataType.DOUBLE)
                .addi(seeded(4, 0.25, 4, 1, 28, 28).castTo(DataType.DOUBLE));
        int[] labels = new int[4];
        for (int i = 0; i < 4; i++) {
            labels[i] = train.labels()[i];
        }
        INDArray oneHot = org.smoothing4j.attack.NoisyCopies.oneHot(labels, 1, 10, DataType.DOUBLE);
        INDArray grad = g.inputGradient(x, oneHot);
        double h = 1e-5;
        for (int k = 0; k < 5; k++) {
            INDArray v = seeded(100 + k, 1, x.shape()).castTo(DataType.DOUBLE);
            v.divi(v.norm2Number());
            double plus = loss(g, x.add(v.mul(h)), labels), minus = loss(g, x.sub(v.mul(h)), labels);
            double numeric = (plus - minus) / (2 * h);
            double analytic = grad.castTo(DataType.DOUBLE).mul(v.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
            assertEquals(numeric, analytic, 1e-4 * Math.abs(numeric) + 1e-9, "direction " + k);
        }
    }

    private static double loss(DenoisedClassifier g, INDArray y, int[] labels) {
        return DenoiserLoss.crossEntropy(g.scores(y), labels) * labels.length;
    }

    /**
     * The Stein estimate of the stability loss's gradient agrees with backprop in expectation (tiny MLP on 8x8
     * images, d = 64). For a loss l that is near-linear at the scale mu, each coordinate of the estimate from q
     * queries has standard deviation about |grad l| / sqrt q, so its error has norm about |grad l| sqrt(d / q) = 0.04
     * |grad l| at q = 40,000; the bias of smoothing at mu = 1e-2 is O(mu^2) for a smooth loss (measured: 0.06 and
     * 0.08 in all). Smaller mu is not better in float: the losses' rounding, 1e-7, divided by mu grows the error
     * with q (0.29 at mu = 1e-3, q = 160,000). Tolerance 0.2 (5 standard deviations); a wrong label, a wrong sign
     * or a missing 1/mu^2 is off by 100% or more.
     */
    @Test
    void steinAgreesWithBackpropInExpectation() {
        Network f = Architectures.build("mlp", new long[] {1, 8, 8}, 3, Normalization.identity(1), new Adam(1e-3), 0,
                11);
        INDArray z = seeded(5, 0.3, 2, 1, 8, 8).addi(0.5);
        int[] labels = {0, 2};
        DenoiserLoss.Value back = new DenoiserLoss.StabilityBackprop(f).evaluate(z, z, labels);
        NoiseSource noise = new ZigguratNoise();
        noise.reseed(17);
        DenoiserLoss.Value stein = new DenoiserLoss.StabilityStein(f, 40_000, 1e-2, noise).evaluate(z, z, labels);
        assertEquals(2L * 40_000, stein.queries());
        assertEquals(back.loss(), stein.loss(), 1e-3);
        for (int i = 0; i < 2; i++) {
            INDArray b = back.gradient().reshape(2, 64).getRow(i), s = stein.gradient().reshape(2, 64).getRow(i);
            double rel = s.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
            assertTrue(rel < 0.2, "image " + i + ": relative error " + rel);
        }
    }

    private static Path run(DenoiseConfig c, Path out, boolean resume, org.smoothing4j.model.Classifier f)
            throws IOException {
        return new DenoiserRun(c, f, train, test).run(out, resume, t -> Progress.none(), QUIET);
    }

    private static List<String[]> rows(Path folder) throws IOException {
        return Files.readAllLines(folder.resolve(DenoiserRun.LOG)).stream().skip(1).map(l -> l.split("\t")).toList();
    }

    /**
     * MSE training lowers the loss below the identity's (E (y - x)^2 = sigma^2 = 0.0625 per pixel) and raises the
     * PSNR above the noisy images' (12.0 dB at sigma 0.25, Fashion-MNIST's black backgrounds included); and a run
     * stopped after epoch 1 and resumed ends with the uninterrupted run's weights and rows.
     */
    @Test
    void mseTrainingLowersTheLossAndResumes() throws IOException {
        Network f = lenet(1);
        DenoiseConfig c = config("mse", "backprop", 2);
        Path full = run(c, dir.resolve("full"), false, f);
        List<String[]> r = rows(dir.resolve("full"));
        assertEquals(2, r.size());
        double first = Double.parseDouble(r.get(0)[4]), second = Double.parseDouble(r.get(1)[4]);
        assertTrue(second < first && second < 0.8 * 0.0625, "train loss " + first + " -> " + second);
        assertTrue(Double.parseDouble(r.get(1)[8]) > Double.parseDouble(r.get(1)[7]) + 1,
                "PSNR denoised " + r.get(1)[8] + " vs noisy " + r.get(1)[7]);
        run(c.withEpochs(1), dir.resolve("resumed"), false, f);
        Path resumed = run(c, dir.resolve("resumed"), true, f);
        assertEquals(DenoiserRun.load(full).denoiser().network().params(),
                DenoiserRun.load(resumed).denoiser().network().params());
        List<String[]> rr = rows(dir.resolve("resumed"));
        for (int i = 0; i < 2; i++) {
            for (int k : new int[] {0, 2, 3, 4, 5, 6, 7, 8, 9}) {
                assertEquals(r.get(i)[k], rr.get(i)[k], "row " + i + " column " + DenoiserRun.LOG_HEADER.get(k));
            }
        }
        // a second run into the same folder without --resume is refused and changes nothing
        byte[] before = Files.readAllBytes(full);
        assertThrows(IllegalArgumentException.class, () -> run(c, dir.resolve("full"), false, f));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(full)));
    }

    /**
     * Stability through a black box (the committed ONNX LeNet) by Stein estimates: q + 1 queries per image and step
     * (q noisy, 1 clean for the label: METHODS 4c, KAT 4), and backprop is refused for it.
     */
    @Test
    void steinStabilityThroughOnnxCountsItsQueries() throws IOException {
        try (OnnxClassifier onnx = OnnxClassifier.load(Path.of("src", "test", "resources", "onnx",
                "lenet-fmnist.onnx"))) {
            DenoiseConfig c = config("stability", "stein", 1);
            run(c, dir.resolve("stein"), false, onnx);
            assertEquals(Long.toString(256L * (8 + 1)), rows(dir.resolve("stein")).get(0)[9]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new DenoiserRun(config("stability", "backprop", 1), onnx, train, test));
            assertTrue(e.getMessage().contains("--grad stein"), e.getMessage());
        }
    }
}
