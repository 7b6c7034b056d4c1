package org.smoothing4j.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
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
import org.smoothing4j.io.FaultPoints;
import org.smoothing4j.io.Json;
import org.smoothing4j.io.Progress;
import org.smoothing4j.io.TsvLog;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.dl4j.Architectures;
import org.smoothing4j.model.dl4j.Checkpoint;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.noise.NoiseSource;
import org.smoothing4j.noise.Seeds;

/**
 * A training run into a folder: {@code model.zip} + {@code model.json} (the checkpoint, rewritten atomically after
 * every epoch with all settings, data set, seed, library version and test accuracy) and {@code train.tsv} (one row
 * per epoch). Shuffling and noise are seeded per epoch and batch from the run seed, so resuming from the last
 * checkpoint gives the same weights as an uninterrupted run.
 */
public final class TrainingRun {
    public static final List<String> LOG_HEADER = List.of("epoch", "time", "lr", "eps", "train_loss", "train_acc",
            "test_acc", "clean_test_acc", "images_per_s");
    public static final String MODEL = "model.zip";
    public static final String LOG = "train.tsv";

    private final TrainConfig config;
    private final LabeledImages train;
    private final LabeledImages test;

    public TrainingRun(TrainConfig config, LabeledImages train, LabeledImages test) {
        this.config = config;
        this.train = config.trainSize() > 0 ? train.head(config.trainSize()) : train;
        this.test = test;
        if (!java.util.Arrays.equals(train.imageShape(), test.imageShape())) {
            throw new IllegalArgumentException("training and test images differ in shape");
        }
    }

    /**
     * Trains into {@code dir} and returns the final checkpoint. Without {@code resume}, {@code dir} must not hold a
     * checkpoint; with it, training continues after the last checkpointed epoch. One process trains into a folder at
     * a time. After a kill at any instant, {@code --resume} continues from the last complete checkpoint (a kill between
     * a checkpoint and its log row leaves the row in the checkpoint, from where it is written to the log), so the
     * final weights and rows but for times equal an uninterrupted run's.
     */
    public Path run(Path dir, boolean resume, LongFunction<Progress> progress, PrintStream out) throws IOException {
        return org.smoothing4j.io.RunFolder.locked(dir, "training run", () -> runLocked(dir, resume, progress, out));
    }

    private Path runLocked(Path dir, boolean resume, LongFunction<Progress> progress, PrintStream out)
            throws IOException {
        Path zip = dir.resolve(MODEL);
        Path logFile = dir.resolve(LOG);
        Map<String, Object> settings = new LinkedHashMap<>(config.toMap());
        settings.remove("epochs"); // a resumed run may be extended
        Network net;
        int done;
        List<String> lastRow = null;
        if (Files.exists(zip)) {
            if (!resume) {
                throw new IllegalArgumentException(dir + " already holds a checkpoint (" + zip
                        + "): pass --resume to continue it, or choose another --out");
            }
            Checkpoint.Loaded loaded = Checkpoint.load(zip);
            checkFits(loaded, zip);
            net = loaded.network();
            done = (int) Json.integer(loaded.metadata(), "epoch", zip);
            if (loaded.metadata().get("lastEpoch") instanceof List<?> row) {
                lastRow = row.stream().map(String::valueOf).toList();
            }
            if (Checkpoint.repairMetadataFile(zip, loaded)) {
                out.printf("%s was stale (the run was killed while saving): rewritten from %s%n",
                        Checkpoint.metadataFile(zip), zip);
            }
            out.printf("resuming %s: epoch %d of %d is done, continuing with epoch %d%n", zip, done, config.epochs(),
                    done + 1);
        } else {
            if (resume && Files.exists(logFile) && !TsvLog.read(logFile, LOG_HEADER, TsvLog.RowCheck.NONE).isEmpty()) {
                throw new IllegalArgumentException("cannot resume " + dir + ": " + logFile
                        + " has finished epochs but there is no checkpoint " + zip + " to continue from");
            }
            StepSchedule schedule = new StepSchedule(ScheduleType.EPOCH, config.lr(), 0.1, config.lrStep());
            net = Architectures.build(config.arch(), train.imageShape(), train.classes(),
                    config.normalize().equals("none") ? Normalization.identity((int) train.imageShape()[0])
                            : Normalization.forDataset(config.dataset()),
                    config.nesterov() ? new Nesterovs(schedule, config.momentum())
                            : new org.smoothing4j.model.dl4j.PlainMomentum(schedule, config.momentum()),
                    config.weightDecay(), Seeds.forPurpose(config.seed(), "init"));
            done = 0;
        }
        Trainer trainer = trainer(config);
        // Gaussian: ND4J's generator, as before (the same weights as earlier runs); other families: their streams
        NoiseSource noise = config.noise() == org.smoothing4j.noise.NoiseFamily.GAUSSIAN ? NoiseSource.nd4j()
                : new org.smoothing4j.noise.InverseCdfNoise(config.noise());
        int checkpointed = done;
        try (TsvLog log = TsvLog.open(logFile, LOG_HEADER, settings, resume, () -> epochRows(logFile))) {
            org.smoothing4j.io.RunFolder.reconcile(log, done, lastRow, dir, zip);
            out.println(String.join("\t", LOG_HEADER));
            for (int epoch = done + 1; epoch <= config.epochs(); epoch++) {
                EpochResult result = epoch(net, trainer, noise, epoch, progress, checkpointed);
                List<String> row = result.row();
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("epoch", epoch);
                meta.put("training", config.toMap());
                meta.put("cleanTestAccuracy", result.cleanTestAccuracy());
                meta.put("lastEpoch", row);
                meta.put("provenance", org.smoothing4j.io.Provenance.collect());
                Checkpoint.save(net, config.arch(), meta, zip);
                checkpointed = epoch;
                FaultPoints.reach("train.checkpoint-saved");
                log.append(row);
                out.println(String.join("\t", row));
            }
        }
        return zip;
    }

    /** Rows of train.tsv: epochs 1, 2, 3, ... in order. */
    private static TsvLog.RowCheck epochRows(Path logFile) {
        int[] expected = {1};
        return row -> {
            if (!row.get(0).equals(Integer.toString(expected[0]))) {
                throw new IllegalArgumentException("epoch '" + row.get(0) + "', expected " + expected[0]
                        + " (rows are epochs 1, 2, 3, ... in order)");
            }
            expected[0]++;
        };
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

    /** An epoch's log row and its clean test accuracy (unrounded, for the checkpoint metadata). */
    private record EpochResult(List<String> row, double cleanTestAccuracy) {}

    /** One epoch (1-based). */
    private EpochResult epoch(Network net, Trainer trainer, NoiseSource noise, int epoch,
            LongFunction<Progress> progress, int checkpointed) {
        net.setEpochCount(epoch - 1);
        int n = train.size();
        int[] order = permutation(n, new SplittableRandom(Seeds.forPurpose(config.seed(), "shuffle-" + epoch)));
        int batches = (n + config.batch() - 1) / config.batch();
        double lossSum = 0;
        long correct = 0, seen = 0;
        long t0 = System.nanoTime();
        try (Progress bar = progress.apply(n)) {
            for (int b = 0; b < batches; b++) {
                int from = b * config.batch(), to = Math.min(n, from + config.batch());
                int[] idx = java.util.Arrays.copyOfRange(order, from, to);
                INDArray x = train.images().get(NDArrayIndex.indices(toLong(idx))).dup();
                int[] labels = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    labels[i] = train.labels()[idx[i]];
                }
                noise.reseed(Seeds.forExample(Seeds.forPurpose(config.seed(), "noise-" + epoch), b));
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
        noise.reseed(Seeds.forPurpose(config.seed(), "test-noise-" + epoch));
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
        return new EpochResult(row, cleanAcc);
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
            case "macer" -> new Macer(config.sigma(), config.noiseSamples(), config.recipe());
            case "consistency" -> new Consistency(config.sigma(), config.noiseSamples(), config.recipe());
            case "smoothmix" -> SmoothMix.of(config);
            case "dssn" -> new SplitNoiseTraining(config.sigma());
            default -> throw new IllegalArgumentException("--method must be one of " + TrainConfig.METHODS + ", got '"
                    + config.method() + "'");
        };
    }
}
