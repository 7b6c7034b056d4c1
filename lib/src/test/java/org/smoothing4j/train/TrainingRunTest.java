package org.smoothing4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.io.Progress;
import org.smoothing4j.model.dl4j.Checkpoint;

/** Training runs are reproducible and resumable, on a small slice of Fashion-MNIST. */
@Tag("slow") // over 15 s: in make test, not in make check
class TrainingRunTest {
    private static LabeledImages train;
    private static LabeledImages test;
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    @TempDir
    Path dir;

    @BeforeAll
    static void data() throws IOException {
        train = Datasets.load("fashion-mnist", Split.TRAIN).head(256);
        test = Datasets.load("fashion-mnist", Split.TEST).head(200);
    }

    private static TrainConfig smoothAdv() {
        return TrainConfig.defaults("fashion-mnist", "lenet", 0.5).withMethod("smoothadv").withEpsilon(0.5)
                .withSteps(2).withNoiseSamples(2).withWarmup(2).withEpochs(2).withBatch(128).withSeed(7);
    }

    private static INDArray params(Path zip) throws IOException {
        return Checkpoint.load(zip).network().params();
    }

    @Test
    void sameFlagsAndSeedGiveTheSameWeights() throws IOException {
        TrainConfig c = TrainConfig.defaults("fashion-mnist", "lenet", 0.25).withEpochs(1).withBatch(128).withSeed(3);
        Path a = new TrainingRun(c, train, test).run(dir.resolve("a"), false, t -> Progress.none(), QUIET);
        Path b = new TrainingRun(c, train, test).run(dir.resolve("b"), false, t -> Progress.none(), QUIET);
        assertEquals(params(a), params(b));
        // the fingerprint of weights and updater state shows it, though the files differ in their times
        assertEquals(Checkpoint.load(a).fingerprint(), Checkpoint.load(b).fingerprint());
        Path other = new TrainingRun(c.withSeed(4), train, test).run(dir.resolve("c"), false, t -> Progress.none(), QUIET);
        assertTrue(!params(a).equals(params(other)), "the seed has no effect");
        assertTrue(!Checkpoint.load(a).fingerprint().equals(Checkpoint.load(other).fingerprint()));
    }

    @Test
    void resumedSmoothAdvRunEqualsUninterrupted() throws IOException {
        TrainConfig c = smoothAdv();
        Path full = new TrainingRun(c, train, test).run(dir.resolve("full"), false, t -> Progress.none(), QUIET);
        // "killed" after epoch 1: a run of one epoch, then resumed to two
        new TrainingRun(c.withEpochs(1), train, test).run(dir.resolve("resumed"), false, t -> Progress.none(), QUIET);
        Path resumed = new TrainingRun(c, train, test).run(dir.resolve("resumed"), true, t -> Progress.none(), QUIET);
        assertEquals(params(full), params(resumed));
        List<String> fullLog = Files.readAllLines(dir.resolve("full").resolve(TrainingRun.LOG));
        List<String> resumedLog = Files.readAllLines(dir.resolve("resumed").resolve(TrainingRun.LOG));
        assertEquals(3, resumedLog.size());
        for (int i = 0; i < 3; i++) { // equal but for the time and throughput columns
            String[] f = fullLog.get(i).split("\t"), r = resumedLog.get(i).split("\t");
            for (int k : new int[] {0, 2, 3, 4, 5, 6, 7}) {
                assertEquals(f[k], r[k], "row " + i + " column " + TrainingRun.LOG_HEADER.get(k));
            }
        }
        assertEquals("0.5000", resumedLog.get(2).split("\t")[3]); // eps warmed up to 0.5 at epoch 2
    }

    /**
     * A ResNet (a computation graph with batch norm) trains with SmoothAdv (on oneDNN's training step) and resumes
     * like a layer stack.
     */
    @Test
    void resnetSmoothAdvRunResumesToTheSameWeights() throws IOException {
        LabeledImages small = train.head(32);
        TrainConfig c = TrainConfig.defaults("fashion-mnist", "resnet20", 0.5).withMethod("smoothadv")
                .withEpsilon(0.5).withSteps(1).withNoiseSamples(2).withEpochs(2).withBatch(16).withSeed(5);
        Path full = new TrainingRun(c, small, test.head(32)).run(dir.resolve("full"), false, t -> Progress.none(),
                QUIET);
        new TrainingRun(c.withEpochs(1), small, test.head(32)).run(dir.resolve("resumed"), false,
                t -> Progress.none(), QUIET);
        Path resumed = new TrainingRun(c, small, test.head(32)).run(dir.resolve("resumed"), true,
                t -> Progress.none(), QUIET);
        INDArray p = params(full);
        // bit for bit (INDArray.equals would allow 1e-5): float ResNets train on oneDNN's step, whose results repeat
        // exactly for the same state and batch
        org.junit.jupiter.api.Assertions.assertArrayEquals(p.data().asFloat(), params(resumed).data().asFloat());
        assertTrue(!p.isNaN().any() && !p.isInfinite().any(), "weights are not finite");
    }

    @Test
    void checkpointThatDoesNotFitTheRequestIsRefused() throws IOException {
        TrainConfig c = TrainConfig.defaults("fashion-mnist", "mlp", 0.25).withEpochs(1).withBatch(256);
        new TrainingRun(c, train, test).run(dir.resolve("m"), false, t -> Progress.none(), QUIET);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingRun(c.withEpochs(2).withMethod("gaussian"), train, test)
                        .run(dir.resolve("m"), false, t -> Progress.none(), QUIET));
        assertTrue(e.getMessage().contains("pass --resume"), e.getMessage());
        TrainConfig lenet = TrainConfig.defaults("fashion-mnist", "lenet", 0.25).withEpochs(2).withBatch(256);
        e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingRun(lenet, train, test).run(dir.resolve("m"), true, t -> Progress.none(), QUIET));
        assertTrue(e.getMessage().contains("is a 'mlp' model, not 'lenet'"), e.getMessage());
    }

    @Test
    void divergingTrainingStopsWithAClearErrorAndSavesNothing() {
        TrainConfig c = TrainConfig.defaults("fashion-mnist", "mlp", 0.5).withEpochs(2).withBatch(64).withLr(1e12);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new TrainingRun(c, train, test).run(dir.resolve("nan"), false, t -> Progress.none(), QUIET));
        assertTrue(e.getMessage().startsWith("training diverged in epoch 1, batch "), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("nan").resolve(TrainingRun.MODEL)), "a diverged model was saved");
    }

    @Test
    void badFlagsNameTheFlag() {
        TrainConfig c = TrainConfig.defaults("fashion-mnist", "lenet", 0.25);
        assertEquals("--m must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> c.withNoiseSamples(0)).getMessage());
        assertEquals("--attack must be one of [pgd, ddn], got 'fgsm'",
                assertThrows(IllegalArgumentException.class, () -> c.withAttack("fgsm")).getMessage());
        assertEquals(0.25, c.withEpsilon(1).withWarmup(4).epsilonAt(0), 1e-12);
        assertEquals(1.0, c.withEpsilon(1).withWarmup(4).epsilonAt(5), 1e-12);
        assertEquals(0.001, c.withLr(0.1).withLrStep(30).lrAt(60), 1e-12);
    }
}
