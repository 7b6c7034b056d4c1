package org.smoothing4j.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
import org.smoothing4j.certify.LogFormat;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.io.EpochRun;
import org.smoothing4j.io.Json;
import org.smoothing4j.io.Progress;
import org.smoothing4j.io.Provenance;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.dl4j.Architectures;
import org.smoothing4j.model.dl4j.Checkpoint;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.model.dl4j.PlainMomentum;
import org.smoothing4j.noise.InverseCdfNoise;
import org.smoothing4j.noise.NoiseFamily;
import org.smoothing4j.noise.NoiseSource;
import org.smoothing4j.noise.Seeds;

/**
 * A training run into a folder: {@code model.zip} + {@code model.json} (the checkpoint, rewritten atomically after
 * every epoch with all settings, data set, seed, library version and test accuracy) and {@code train.tsv} (one row
 * per epoch). Shuffling and noise are seeded per epoch and batch from the run seed, so resuming from the last
 * checkpoint gives the same weights as an uninterrupted run.
 */
public final class TrainingRun extends EpochRun {
    public static final List<String> LOG_HEADER = List.of("epoch", "time", "lr", "eps", "train_loss", "train_acc",
            "test_acc", "clean_test_acc", "images_per_s");
    public static final String MODEL = "model.zip";
    public static final String LOG = "train.tsv";

    private final TrainConfig config;
    private final LabeledImages train;
    private final LabeledImages test;
    private final Trainer trainer;
    /** Gaussian: ND4J's generator, as before (the same weights as earlier runs); other families: their streams. */
    private final NoiseSource noise;
    private Network net;

    public TrainingRun(TrainConfig config, LabeledImages train, LabeledImages test) {
        super("training run", "a checkpoint", MODEL, LOG, LOG_HEADER, "train.checkpoint-saved");
        this.config = config;
        this.train = config.data().trainSize() > 0 ? train.head(config.data().trainSize()) : train;
        this.test = test;
        if (!java.util.Arrays.equals(train.imageShape(), test.imageShape())) {
            throw new IllegalArgumentException("training and test images differ in shape");
        }
        this.trainer = trainer(config);
        this.noise = config.recipe().noise() == NoiseFamily.GAUSSIAN ? NoiseSource.nd4j()
                : new InverseCdfNoise(config.recipe().noise());
    }

    @Override
    protected Map<String, Object> settings() {
        return config.toMap();
    }

    @Override
    protected int epochs() {
        return config.optimiser().epochs();
    }

    @Override
    protected Resumed resume(Path zip, Path dir, PrintStream out) throws IOException {
        Checkpoint.Loaded loaded = Checkpoint.load(zip);
        checkFits(loaded, zip);
        net = loaded.network();
        List<String> lastRow = loaded.metadata().get("lastEpoch") instanceof List<?> row
                ? row.stream().map(String::valueOf).toList() : null;
        if (Checkpoint.repairMetadataFile(zip, loaded)) {
            out.printf("%s was stale (the run was killed while saving): rewritten from %s%n",
                    Checkpoint.metadataFile(zip), zip);
        }
        return new Resumed((int) Json.integer(loaded.metadata(), "epoch", zip), lastRow);
    }

    @Override
    protected void start() {
        TrainConfig.Optimiser o = config.optimiser();
        StepSchedule schedule = new StepSchedule(ScheduleType.EPOCH, o.lr(), 0.1, o.lrStep());
        net = Architectures.build(config.arch(), train.imageShape(), train.classes(),
                config.data().normalize().equals("none") ? Normalization.identity((int) train.imageShape()[0])
                        : Normalization.forDataset(config.dataset()),
                o.nesterov() ? new Nesterovs(schedule, o.momentum()) : new PlainMomentum(schedule, o.momentum()),
                o.weightDecay(), Seeds.forPurpose(config.data().seed(), "init"));
    }

    @Override
    protected void save(int epoch, List<String> row, Path zip) throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("epoch", epoch);
        meta.put("training", config.toMap());
        meta.put("cleanTestAccuracy", cleanTestAccuracy);
        meta.put("lastEpoch", row);
        meta.put("provenance", Provenance.collect());
        Checkpoint.save(net, config.arch(), meta, zip);
    }

    @Override
    protected void release() {
        if (net != null) {
            net.close();
        }
    }

    private void checkFits(Checkpoint.Loaded loaded, Path zip) {
        if (!loaded.arch().equalsIgnoreCase(config.arch())) {
            throw new IllegalArgumentException(zip + " is a '" + loaded.arch() + "' model, not '" + config.arch() + "'");
        }
        if (!java.util.Arrays.equals(loaded.network().inputShape(), train.imageShape())) {
            throw new IllegalArgumentException(zip + " takes inputs of shape "
                    + java.util.Arrays.toString(loaded.network().inputShape()) + ", the data set has "
                    + java.util.Arrays.toString(train.imageShape()));
        }
    }

    /** The last epoch's clean test accuracy (unrounded, for the checkpoint metadata). */
    private double cleanTestAccuracy;

    /** One epoch (1-based). */
    @Override
    protected List<String> epoch(int epoch, LongFunction<Progress> progress) {
        int checkpointed = epoch - 1;
        net.setEpochCount(epoch - 1);
        int n = train.size();
        int[] order = permutation(n, new SplittableRandom(Seeds.forPurpose(config.data().seed(), "shuffle-" + epoch)));
        int batches = (n + config.optimiser().batch() - 1) / config.optimiser().batch();
        double lossSum = 0;
        long correct = 0, seen = 0;
        long t0 = System.nanoTime();
        try (Progress bar = progress.apply(n)) {
            for (int b = 0; b < batches; b++) {
                int from = b * config.optimiser().batch(), to = Math.min(n, from + config.optimiser().batch());
                int[] idx = java.util.Arrays.copyOfRange(order, from, to);
                INDArray x = train.images().get(NDArrayIndex.indices(toLong(idx))).dup();
                int[] labels = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    labels[i] = train.labels()[idx[i]];
                }
                noise.reseed(Seeds.forExample(Seeds.forPurpose(config.data().seed(), "noise-" + epoch), b));
                Trainer.StepResult r = trainer.step(net, x, labels, epoch - 1, noise);
                if (!Double.isFinite(r.loss())) {
                    throw new TrainingDivergedException(String.format(Locale.ROOT, "training diverged in epoch %d, "
                            + "batch %d of %d: the loss is %s (sigma %s, lr %s); nothing of this epoch was saved%s; "
                            + "try a smaller --lr", epoch, b + 1, batches, r.loss(), config.sigma(),
                            config.lrAt(epoch - 1), checkpointed > 0 ? ", the checkpoint of epoch " + checkpointed
                                    + " is kept" : ""));
                }
                lossSum += r.loss() * idx.length;
                correct += r.correct();
                seen += r.seen();
                for (int i = 0; i < idx.length; i++) {
                    bar.step();
                }
                bar.message(String.format(Locale.ROOT, "loss %.3f acc %.3f", lossSum / to, correct / (double) seen));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        noise.reseed(Seeds.forPurpose(config.data().seed(), "test-noise-" + epoch));
        double noisyAcc = trainer instanceof SplitNoiseTraining s
                ? Evaluation.accuracy(net, test, x -> s.split((int) (x.length() / x.size(0))).atRandomShifts(x, noise))
                : Evaluation.accuracy(net, test, config.sigma(), noise);
        double cleanAcc = Evaluation.accuracy(net, test, 0, noise);
        List<String> row = new ArrayList<>();
        row.add(Integer.toString(epoch));
        row.add(LogFormat.elapsed(seconds));
        row.add(fmt(config.lrAt(epoch - 1)));
        row.add(fmt(config.method().startsWith("smoothadv") ? config.epsilonAt(epoch - 1) : 0));
        row.add(fmt(lossSum / n));
        row.add(fmt(correct / (double) seen));
        row.add(fmt(noisyAcc));
        row.add(fmt(cleanAcc));
        row.add(String.format(Locale.ROOT, "%.1f", n / seconds));
        cleanTestAccuracy = cleanAcc;
        return row;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static long[] toLong(int[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }

    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The recipe of the config's method. */
    private static Trainer trainer(TrainConfig config) {
        return switch (config.method()) {
            case "gaussian" -> new GaussianAugmentation(config.sigma());
            case "smoothadv", "smoothadv-consistency" -> SmoothAdv.of(config);
            case "macer" -> new Macer(config.sigma(), config.recipe().noiseSamples(), config.recipe().losses());
            case "consistency" -> new Consistency(config.sigma(), config.recipe().noiseSamples(),
                    config.recipe().losses());
            case "smoothmix" -> SmoothMix.of(config);
            case "dssn" -> new SplitNoiseTraining(config.sigma());
            default -> throw new IllegalArgumentException("--method must be one of " + TrainConfig.METHODS + ", got '"
                    + config.method() + "'");
        };
    }
}
