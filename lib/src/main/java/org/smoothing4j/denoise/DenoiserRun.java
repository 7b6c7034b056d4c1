package org.smoothing4j.denoise;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.smoothing4j.certify.LogFormat;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.io.AtomicFiles;
import org.smoothing4j.io.EpochRun;
import org.smoothing4j.io.Json;
import org.smoothing4j.io.Progress;
import org.smoothing4j.io.Provenance;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.model.Differentiable;
import org.smoothing4j.model.dl4j.Checkpoint;
import org.smoothing4j.noise.NoiseSource;
import org.smoothing4j.noise.Seeds;
import org.smoothing4j.train.TrainingDivergedException;
import org.smoothing4j.train.TrainingRun;

/**
 * A denoiser's training run into a folder, with the guarantees of {@code train}: {@code denoiser.zip} (weights, Adam's
 * state and, inside the zip, the metadata: epoch, settings, the epoch's log row) published atomically after every
 * epoch, {@code denoiser.json} beside it, and {@code denoise.tsv} (one row per epoch, append-only). Shuffling, the
 * training noise and the Stein queries are seeded per epoch and batch from the run seed, so a killed run resumed with
 * {@code --resume} ends with the weights of an uninterrupted one.
 */
public final class DenoiserRun extends EpochRun {
    public static final String MODEL = "denoiser.zip";
    public static final String LOG = "denoise.tsv";
    static final String METADATA_ENTRY = "smoothing4j-denoiser.json";
    public static final List<String> LOG_HEADER = List.of("epoch", "time", "objective", "lr", "train_loss",
            "noisy_acc", "noisy_acc_plain", "psnr_noisy", "psnr_denoised", "queries", "images_per_s");

    private final DenoiseConfig config;
    private final Classifier classifier;
    private final LabeledImages train;
    private final LabeledImages test;
    private final NoiseSource noise = NoiseSource.nd4j();
    private final NoiseSource queries = NoiseSource.nd4j();
    private DnCnn d;

    /** {@code classifier}: a network ({@link Differentiable}) for backprop, any classifier for Stein. */
    public DenoiserRun(DenoiseConfig config, Classifier classifier, LabeledImages train, LabeledImages test) {
        super("denoiser training run", "a denoiser", MODEL, LOG, LOG_HEADER, "denoise.checkpoint-saved");
        if (config.gradient().equals("backprop") && !config.objective().equals("mse")
                && !(classifier instanceof Differentiable)) {
            throw new IllegalArgumentException("--grad backprop needs a smoothing4j checkpoint as --classifier (" +
                    config.classifier() + " is an ONNX model, a black box): use --grad stein");
        }
        classifier.checkInputShape(train.imageShape(), "--dataset " + config.dataset());
        this.config = config;
        this.classifier = classifier;
        this.train = config.trainSize() > 0 ? train.head(Math.min(config.trainSize(), train.size())) : train;
        this.test = test.head(Math.min(config.evalSize(), test.size()));
    }

    /** A trained denoiser's folder: its denoiser and the metadata written with it. */
    public record Loaded(DnCnn denoiser, Map<String, Object> metadata, String fingerprint) {}

    /** Loads the last checkpoint of a run folder (or a denoiser.zip), checking that it is one. */
    public static Loaded load(Path dirOrZip) throws IOException {
        Path zip = Files.isDirectory(dirOrZip) ? dirOrZip.resolve(MODEL) : dirOrZip;
        if (!Files.isRegularFile(zip)) {
            throw new IllegalArgumentException("--denoiser " + dirOrZip + ": no " + MODEL + " there (a folder written "
                    + "by 'smoothing4j denoise --out', or its " + MODEL + ")");
        }
        Map<String, Object> meta;
        try {
            Object m = ModelSerializer.getObjectFromFile(zip.toFile(), METADATA_ENTRY);
            meta = Json.parse((String) m, zip.toString());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(zip + " is not a denoiser written by 'smoothing4j denoise' (" + e
                    .getMessage() + ")", e);
        }
        long[] shape = Json.integers(meta, "inputShape", zip);
        DnCnn d = DnCnn.load(zip, shape);
        return new Loaded(d, meta, org.smoothing4j.io.FileHash.sha256(zip));
    }

    @Override
    protected Map<String, Object> settings() {
        return config.toMap();
    }

    @Override
    protected int epochs() {
        return config.epochs();
    }

    @Override
    protected Resumed resume(Path zip, Path dir, PrintStream out) throws IOException {
        Loaded loaded = load(zip);
        Map<String, Object> was = Json.object(loaded.metadata(), "training", zip);
        Map<String, Object> now = Json.normalize(config.toMap());
        for (String key : List.of("classifierFingerprint", "dataset", "sigma", "objective", "gradient", "depth",
                "width", "seed", "batch")) {
            if (!String.valueOf(was.get(key)).equals(String.valueOf(now.get(key)))) {
                throw new IllegalArgumentException("cannot resume " + dir + ": its denoiser was trained with "
                        + key + " " + was.get(key) + ", this run has " + now.get(key));
            }
        }
        d = loaded.denoiser();
        d.training(); // DL4J's forward pass throughout, resumed or not
        List<String> lastRow = loaded.metadata().get("lastEpoch") instanceof List<?> row
                ? row.stream().map(String::valueOf).toList() : null;
        return new Resumed((int) Json.integer(loaded.metadata(), "epoch", zip), lastRow);
    }

    @Override
    protected void start() {
        Map<Integer, Double> lrs = new HashMap<>();
        for (int e = 1; e <= Math.max(config.epochs(), 1000); e++) {
            lrs.put(e - 1, config.lrAt(e));
        }
        d = DnCnn.build(train.imageShape(), config.depth(), config.width(),
                new MapSchedule(ScheduleType.EPOCH, lrs), config.weightDecay(), Seeds.forPurpose(config.seed(),
                        "denoiser-init"));
        d.training(); // DL4J's forward pass throughout, resumed or not
    }

    @Override
    protected void release() {
        if (d != null) {
            d.close();
        }
    }

    @Override
    protected void save(int epoch, List<String> row, Path zip) throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("kind", "denoiser");
        meta.put("architecture", "dncnn");
        meta.put("inputShape", train.imageShape());
        meta.put("parameters", d.parameterCount());
        meta.put("epoch", epoch);
        meta.put("training", config.toMap());
        meta.put("lastEpoch", row);
        meta.put("provenance", Provenance.collect());
        save(d, meta, zip);
    }

    private static void save(DnCnn d, Map<String, Object> meta, Path zip) throws IOException {
        String json = Json.write(meta);
        AtomicFiles.write(zip, tmp -> {
            d.save(tmp);
            ModelSerializer.addObjectToFile(tmp.toFile(), METADATA_ENTRY, json);
        });
        Checkpoint.writeMetadataFile(zip, meta); // denoiser.json, as a classifier checkpoint's model.json
    }

    @Override
    protected List<String> epoch(int epoch, LongFunction<Progress> progress) {
        d.setEpochCount(epoch - 1);
        String objective = config.objectiveAt(epoch);
        DenoiserLoss loss = objective.equals("mse") ? new DenoiserLoss.Mse()
                : config.gradient().equals("backprop") ? new DenoiserLoss.StabilityBackprop((Differentiable) classifier)
                : new DenoiserLoss.StabilityStein(classifier, config.queries(), config.mu(), queries);
        int n = train.size();
        int[] order = TrainingRun.permutation(n, new SplittableRandom(Seeds.forPurpose(config.seed(),
                "shuffle-" + epoch)));
        int batches = (n + config.batch() - 1) / config.batch();
        double lossSum = 0;
        long queryCount = 0;
        long t0 = System.nanoTime();
        try (Progress bar = progress.apply(n)) {
            for (int b = 0; b < batches; b++) {
                int from = b * config.batch(), to = Math.min(n, from + config.batch());
                long[] idx = new long[to - from];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = order[from + i];
                }
                INDArray x = train.images().get(NDArrayIndex.indices(idx)).dup();
                int[] labels = objective.equals("mse") ? new int[idx.length]
                        : classifier.scores(x).argMax(1).toIntVector(); // stability: f's own clean prediction
                queryCount += objective.equals("mse") ? 0 : idx.length;
                noise.reseed(Seeds.forExample(Seeds.forPurpose(config.seed(), "noise-" + epoch), b));
                queries.reseed(Seeds.forExample(Seeds.forPurpose(config.seed(), "queries-" + epoch), b));
                INDArray y = x.like();
                noise.fill(y, config.sigma());
                y.addi(x);
                DenoiserLoss.Value v = loss.evaluate(d.denoise(y), x, labels);
                if (!Double.isFinite(v.loss())) {
                    throw new TrainingDivergedException(String.format(Locale.ROOT, "denoiser training diverged in "
                            + "epoch %d, batch %d of %d: the loss is %s; nothing of this epoch was saved; try a "
                            + "smaller --lr", epoch, b + 1, batches, v.loss()));
                }
                d.step(y, v.gradient(), v.loss());
                queryCount += v.queries();
                lossSum += v.loss() * idx.length;
                for (int i = 0; i < idx.length; i++) {
                    bar.step();
                }
                bar.message(String.format(Locale.ROOT, "%s loss %.4f", objective, lossSum / to));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Quality q = quality(d, classifier, test, config.sigma(), Seeds.forPurpose(config.seed(), "test-noise-" + epoch));
        List<String> row = new ArrayList<>();
        row.add(Integer.toString(epoch));
        row.add(LogFormat.elapsed(seconds));
        row.add(objective);
        row.add(String.format(Locale.ROOT, "%.2e", config.lrAt(epoch)));
        row.add(fmt(lossSum / n));
        row.add(fmt(q.denoisedAccuracy()));
        row.add(fmt(q.plainAccuracy()));
        row.add(String.format(Locale.ROOT, "%.2f", q.psnrNoisy()));
        row.add(String.format(Locale.ROOT, "%.2f", q.psnrDenoised()));
        row.add(Long.toString(queryCount));
        row.add(String.format(Locale.ROOT, "%.1f", n / seconds));
        d.setEpochCount(epoch);
        return row;
    }

    /**
     * The base classifier's accuracy on noisy test images with and without the denoiser, and the PSNR (peak 1) of
     * the noisy and the denoised images against the clean ones, under one seeded draw of the noise.
     */
    public record Quality(double denoisedAccuracy, double plainAccuracy, double psnrNoisy, double psnrDenoised) {}

    public static Quality quality(DnCnn d, Classifier f, LabeledImages data, double sigma, long seed) {
        NoiseSource noise = NoiseSource.nd4j();
        long correctD = 0, correctP = 0;
        double seNoisy = 0, seDenoised = 0;
        int batch = 500;
        for (int from = 0; from < data.size(); from += batch) {
            int to = Math.min(data.size(), from + batch);
            INDArray x = data.images().get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup();
            noise.reseed(Seeds.forExample(seed, from / batch));
            INDArray y = x.like();
            noise.fill(y, sigma);
            y.addi(x);
            INDArray dy = d.denoise(y);
            int[] pd = f.scores(dy).argMax(1).toIntVector();
            int[] pp = f.scores(y.dup()).argMax(1).toIntVector();
            for (int i = 0; i < pd.length; i++) {
                correctD += pd[i] == data.labels()[from + i] ? 1 : 0;
                correctP += pp[i] == data.labels()[from + i] ? 1 : 0;
            }
            seNoisy += sq(y.sub(x));
            seDenoised += sq(dy.sub(x.castTo(dy.dataType())));
        }
        double pixels = (double) data.size() * Arrays.stream(data.imageShape()).reduce(1, (a, b) -> a * b);
        return new Quality(correctD / (double) data.size(), correctP / (double) data.size(),
                -10 * Math.log10(seNoisy / pixels), -10 * Math.log10(seDenoised / pixels));
    }

    private static double sq(INDArray a) {
        double n = a.norm2Number().doubleValue();
        return n * n;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
