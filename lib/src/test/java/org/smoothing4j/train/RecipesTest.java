package org.smoothing4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.smoothing4j.attack.NoisyCopies;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.io.Progress;
import org.smoothing4j.model.LogitLoss;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.dl4j.Architectures;
import org.smoothing4j.model.dl4j.Checkpoint;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.model.dl4j.PlainMomentum;

/** MACER, Consistency regularisation and SmoothMix: their losses, gradients, training steps and resumption. */
@Tag("slow") // over 15 s: in make test, not in make check
class RecipesTest {
    /** Two copies of one image of class 0, three classes. */
    static final double[][] CLEAN = {{2.0, 0.5, -1.0}, {1.5, 1.0, 0.0}};
    static final double[][] MIXED = {{0.2, 0.1, 0.3}, {1.0, -0.5, 0.2}};

    static INDArray logits(double[][]... blocks) {
        int rows = 0;
        for (double[][] b : blocks) {
            rows += b.length;
        }
        double[][] all = new double[rows][];
        int r = 0;
        for (double[][] b : blocks) {
            for (double[] row : b) {
                all[r++] = row;
            }
        }
        return Nd4j.createFromArray(all);
    }

    /**
     * Expected values computed by hand with numpy/scipy:
     * p_i = softmax(z_i), F = mean p_i; MACER (sigma 0.5, beta 2, gamma 8, lambda 12): -log(F_0 + 1e-10) + 12 *
     * 0.25 * (8 + Phi^-1(zb_1) - Phi^-1(zb_0)) with zb the mean of softmax(2 z_i) = 18.503347908870175;
     * Consistency (lambda 10, eta 0.5): mean CE + 10 mean KL(F || p_i) + 0.5 H(F) = 1.1926161278626215;
     * SmoothMix (lam 0.3, eta 1): mean CE + mean KL(0.7 F + 0.1 || softmax(mixed_i)) = 0.5395810991462717.
     */
    @Test
    void lossesEqualHandComputedValuesOnATinyBatch() {
        int[] y = {0};
        assertEquals(18.503347908870175, new MacerLoss(y, 2, 0.5, 2, 8, 12).evaluate(logits(CLEAN)).loss(), 1e-9);
        assertEquals(1.1926161278626215, new ConsistencyLoss(y, 2, 10, 0.5).evaluate(logits(CLEAN)).loss(), 1e-9);
        assertEquals(0.5395810991462717, new SmoothMixLoss(y, 2, new double[] {0.3}, 1.0)
                .evaluate(logits(CLEAN, MIXED)).loss(), 1e-9);
    }

    /**
     * Central differences in double precision, step 1e-5: truncation error O(h^2 f''') ~ 1e-9 for these smooth
     * functions of logits of size ~3, rounding ~1e-16 / 1e-5 ~ 1e-11; tolerance 1e-6 (absolute on gradients of
     * size ~0.1-10).
     */
    @ParameterizedTest
    @ValueSource(strings = {"macer", "consistency", "smoothmix"})
    void gradientsEqualCentralDifferences(String recipe) {
        SplittableRandom r = new SplittableRandom(recipe.hashCode());
        int images = 3, m = 4, classes = 5;
        int[] y = {0, 3, 1};
        int rows = recipe.equals("smoothmix") ? 2 * images * m : images * m;
        double[][] z = new double[rows][classes];
        for (double[] row : z) {
            for (int c = 0; c < classes; c++) {
                row[c] = 2 * r.nextGaussian();
            }
        }
        for (int b = 0; b < images; b++) { // make most images ranked right, so every branch of the loss is active
            for (int i = 0; i < m; i++) {
                z[b * m + i][y[b]] += b == 2 ? 0 : 2.5;
            }
        }
        LogitLoss loss = switch (recipe) {
            case "macer" -> new MacerLoss(y, m, 0.5, 1.5, 8, 12);
            case "consistency" -> new ConsistencyLoss(y, m, 10, 0.5);
            default -> new SmoothMixLoss(y, m, new double[] {0.1, 0.25, 0.4}, 2.0);
        };
        INDArray analytic = loss.evaluate(Nd4j.createFromArray(z)).gradient();
        double h = 1e-5, worst = 0;
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < classes; c++) {
                double keep = z[i][c];
                z[i][c] = keep + h;
                double up = loss.evaluate(Nd4j.createFromArray(z)).loss();
                z[i][c] = keep - h;
                double down = loss.evaluate(Nd4j.createFromArray(z)).loss();
                z[i][c] = keep;
                worst = Math.max(worst, Math.abs((up - down) / (2 * h) - analytic.getDouble(i, c)));
            }
        }
        assertTrue(worst < 1e-6, recipe + ": largest gradient error " + worst);
        assertTrue(analytic.norm2Number().doubleValue() > 1e-3, "a vanishing gradient proves nothing");
    }

    /** Cross-entropy as a {@link LogitLoss}: training on it must equal the network's own cross-entropy step. */
    record CrossEntropy(int[] labels) implements LogitLoss {
        @Override
        public Evaluation evaluate(INDArray logits) {
            double[][] z = SoftmaxRows.rows(logits);
            double[][] d = new double[z.length][];
            double total = 0;
            for (int i = 0; i < z.length; i++) {
                double[] lp = SoftmaxRows.logSoftmax(z[i], 1);
                total -= lp[labels[i]] / z.length;
                d[i] = SoftmaxRows.exp(lp);
                d[i][labels[i]] -= 1;
                for (int c = 0; c < d[i].length; c++) {
                    d[i][c] /= z.length;
                }
            }
            return new Evaluation(total, SoftmaxRows.array(d, logits.dataType()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "resnet8"})
    void aStepOnALogitLossIsTheStepOnItsGradient(String arch) {
        long[] shape = arch.equals("mlp") ? new long[] {1, 28, 28} : new long[] {3, 8, 8};
        Normalization norm = arch.equals("mlp") ? Normalization.FASHION_MNIST : Normalization.CIFAR10;
        Network a = Architectures.build(arch, shape, 10, norm, new Nesterovs(0.05, 0.9), 1e-3, 3, DataType.DOUBLE);
        Network b = Architectures.build(arch, shape, 10, norm, new Nesterovs(0.05, 0.9), 1e-3, 3, DataType.DOUBLE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 16, shape[0], shape[1], shape[2]);
        int[] labels = new int[16];
        for (int i = 0; i < 16; i++) {
            labels[i] = i % 10;
        }
        for (int step = 0; step < 3; step++) {
            a.fit(x, NoisyCopies.oneHot(labels, 1, 10, DataType.DOUBLE));
            b.fit(x, new CrossEntropy(labels));
        }
        double diff = a.params().sub(b.params()).amaxNumber().doubleValue();
        assertTrue(diff < 1e-10, arch + ": parameters differ by " + diff);
    }

    @Test
    void plainMomentumIsTheHeavyBallUpdateOfTheReference() {
        PlainMomentum config = new PlainMomentum(null, 0.9);
        config.setLearningRate(0.1);
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 3);
        var updater = config.instantiate(state, true);
        INDArray g1 = Nd4j.createFromArray(1.0, -2.0, 0.5), g2 = Nd4j.createFromArray(0.5, 0.5, -1.0);
        INDArray u1 = g1.dup(), u2 = g2.dup();
        updater.applyUpdater(u1, 0, 0);
        updater.applyUpdater(u2, 1, 0);
        // torch.optim.SGD(momentum=0.9): buf = g1, then buf = 0.9 g1 + g2; step lr * buf
        assertEquals(g1.mul(0.1), u1);
        assertEquals(g1.mul(0.9).add(g2).mul(0.1), u2);
    }

    static LabeledImages train;
    static LabeledImages test;

    @BeforeAll
    static void data() throws IOException {
        train = Datasets.load("fashion-mnist", Split.TRAIN).head(128);
        test = Datasets.load("fashion-mnist", Split.TEST).head(100);
    }

    @TempDir
    Path dir;

    static TrainConfig recipe(String method) {
        TrainConfig c = TrainConfig.defaults("fashion-mnist", "mlp", 0.5).withMethod(method).withEpochs(2)
                .withBatch(64).withSeed(9).withWarmup(2).withLr(0.05);
        return switch (method) {
            case "macer" -> c.withNoiseSamples(4);
            case "smoothmix" -> c.withSteps(2).withNoiseSamples(2).withLosses(c.recipe().losses().withSmoothMix(0.5, 2, 1, 0));
            case "smoothadv-consistency" -> c.withSteps(2).withEpsilon(0.5).withLosses(c.recipe().losses().withConsistency(5, 0.5));
            default -> c;
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"macer", "consistency", "smoothmix", "smoothadv-consistency", "dssn"})
    void aResumedRunHasTheWeightsOfAnUninterruptedOne(String method) throws IOException {
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        TrainConfig c = recipe(method);
        Path full = new TrainingRun(c, train, test).run(dir.resolve("full"), false, t -> Progress.none(), quiet);
        new TrainingRun(c.withEpochs(1), train, test).run(dir.resolve("half"), false, t -> Progress.none(), quiet);
        Path resumed = new TrainingRun(c, train, test).run(dir.resolve("half"), true, t -> Progress.none(), quiet);
        assertEquals(Checkpoint.load(full).fingerprint(), Checkpoint.load(resumed).fingerprint());
        assertEquals(Checkpoint.load(full).network().params(), Checkpoint.load(resumed).network().params());
    }

    /**
     * MACER with --lambda-delay 1: its first epoch is the classification loss alone (the weights equal those of
     * lambda = 0, bit for bit), its second adds the robustness loss (the weights then differ from lambda = 0's).
     */
    @Test
    void macersDelayTrainsTheFirstEpochsOnTheClassificationLossAlone() throws IOException {
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        TrainConfig c = recipe("macer");
        TrainConfig delayed = c.withLosses(c.recipe().losses().withMacer(16, 8, 12, 1));
        TrainConfig none = c.withLosses(c.recipe().losses().withMacer(16, 8, 0, 0));
        INDArray[] weights = new INDArray[4];
        int i = 0;
        for (int epochs : new int[] {1, 2}) {
            for (TrainConfig t : new TrainConfig[] {delayed, none}) {
                Path out = new TrainingRun(t.withEpochs(epochs), train, test).run(dir.resolve("run" + i), false,
                        x -> Progress.none(), quiet);
                weights[i++] = Checkpoint.load(out).network().params();
            }
        }
        assertEquals(weights[1], weights[0]);
        assertTrue(weights[2].sub(weights[3]).amaxNumber().doubleValue() > 0, "the robustness loss changed nothing");
        assertEquals(1, delayed.recipe().losses().toMap("macer").get("lambdaDelay"));
    }

    /**
     * Each recipe learns: the training accuracy on its noisy copies rises from the first to the last of four epochs
     * and the clean test accuracy ends far above chance (10%). (Not the recipe's loss: MACER's grows while more images
     * become correctly ranked and enter its robustness term.) MACER runs at lambda 1: at its public lambda 12 this MLP
     * learns or collapses by chance (results/recipes: its robustness gradient is 64-85x the classification term's), so
     * the outcome of one seed depended on the CPU's float rounding - it failed here on an Intel Xeon and passed on AMD
     * EPYC. Bounds from 50 seeds (0-49) per recipe on this machine (2026-12-02): at lambda 12, 18 of 49 seeds failed
     * the old bounds (rise > 0, clean > 0.2); at lambda 1 and for the other recipes every seed rose by at least 0.33
     * (smallest: consistency 0.33, smoothadv-consistency 0.35, MACER 0.42, SmoothMix 0.42) and ended at clean
     * accuracy 0.59 or more (means 0.69-0.73); asserted: a rise of 0.1 and clean accuracy 0.4.
     */
    @ParameterizedTest
    @ValueSource(strings = {"macer", "consistency", "smoothmix", "smoothadv-consistency"})
    void eachRecipeLearns(String method) throws IOException {
        TrainConfig c = recipe(method).withEpochs(4).withTrainSize(512);
        if (method.equals("macer")) {
            c = c.withLosses(c.recipe().losses().withMacer(16, 8, 1, 0));
        }
        LabeledImages more = Datasets.load("fashion-mnist", Split.TRAIN);
        new TrainingRun(c, more, test).run(dir.resolve(method), false, t -> Progress.none(),
                new PrintStream(PrintStream.nullOutputStream()));
        var rows = java.nio.file.Files.readAllLines(dir.resolve(method).resolve("train.tsv"));
        double first = Double.parseDouble(rows.get(1).split("\t")[5]), last = Double.parseDouble(rows.get(4).split("\t")[5]);
        double clean = Double.parseDouble(rows.get(4).split("\t")[7]);
        assertTrue(last - first > 0.1, method + ": train_acc " + first + " -> " + last);
        assertTrue(clean > 0.4, method + ": clean test accuracy " + clean);
    }

    @Test
    void plainMomentumAndRawPixelsTrainSaveAndResume() throws IOException {
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        TrainConfig c = TrainConfig.defaults("fashion-mnist", "lenet", 0.5).withEpochs(2).withBatch(64).withSeed(2)
                .withNesterov(false).withNormalize("none");
        assertEquals(false, c.toMap().get("nesterov"));
        assertEquals("none", c.toMap().get("normalize"));
        Path full = new TrainingRun(c, train, test).run(dir.resolve("full"), false, t -> Progress.none(), quiet);
        new TrainingRun(c.withEpochs(1), train, test).run(dir.resolve("half"), false, t -> Progress.none(), quiet);
        Path resumed = new TrainingRun(c, train, test).run(dir.resolve("half"), true, t -> Progress.none(), quiet);
        assertEquals(Checkpoint.load(full).fingerprint(), Checkpoint.load(resumed).fingerprint());
    }
}
