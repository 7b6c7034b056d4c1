package org.smoothing4j;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.internal.chartpart.Chart;
import org.smoothing4j.analysis.CertifyLogs;
import org.smoothing4j.analysis.TableFormats;
import org.smoothing4j.attack.Attack;
import org.smoothing4j.attack.AttackRun;
import org.smoothing4j.certify.CertifyConfig;
import org.smoothing4j.certify.SequentialConfig;
import org.smoothing4j.certify.SmoothedClassifier;
import org.smoothing4j.certify.Smoothing;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.grid.Cell;
import org.smoothing4j.grid.CellResult;
import org.smoothing4j.grid.CellRun;
import org.smoothing4j.grid.CellSteps;
import org.smoothing4j.grid.Grid;
import org.smoothing4j.grid.GridResult;
import org.smoothing4j.io.AtomicFiles;
import org.smoothing4j.io.Cache;
import org.smoothing4j.io.Progress;
import org.smoothing4j.model.LoadedModel;
import org.smoothing4j.model.Models;
import org.smoothing4j.plot.Charts;
import org.smoothing4j.run.ExampleLoop;
import org.smoothing4j.run.Plans;
import org.smoothing4j.run.RunSpec;
import org.smoothing4j.train.TrainConfig;
import org.smoothing4j.train.TrainingRun;
import tech.tablesaw.api.Table;

/**
 * Notebook-sized steps over a results folder: train and certify with results cached by their full settings (a
 * rerun reuses and resumes; a changed setting computes afresh), and save figures and tables where the main job
 * collects them ({@code results/figures}, {@code results/tables}).
 */
public final class Experiments {
    private final Path results;
    private final Path committed;
    private final PrintStream log;
    private final boolean progress;

    /**
     * Steps over {@code results} (the checkout's committed results at {@code committed}), reporting on {@code log}: a
     * line per step, and a live progress line while it runs.
     */
    public Experiments(Path results, Path committed, PrintStream log) {
        this(results, committed, log, true);
    }

    private Experiments(Path results, Path committed, PrintStream log, boolean progress) {
        this.results = results;
        this.committed = committed;
        this.log = log;
        this.progress = progress;
    }

    /**
     * With or without the live progress line (done / total, rate, time left) that long steps print on the log while
     * they run: in a notebook cell it is redrawn in place (a carriage return, which Jupyter's output area honours).
     */
    public Experiments withProgress(boolean enabled) {
        return new Experiments(results, committed, log, enabled);
    }

    /** A progress line named {@code task} over {@code total} units, or none. */
    private Progress progress(String task, long total, String unit) {
        return progress ? Progress.console(task, total, unit, new java.io.PrintWriter(log, true)) : Progress.none();
    }

    /**
     * Results go to {@code $SMOOTHING4J_RESULTS} if set (the tests use a scratch folder), else to this checkout's
     * {@code results/} ({@code $SMOOTHING4J_HOME/results}, else {@code ./results}).
     */
    public static Experiments here() {
        Path committed = Path.of(System.getenv().getOrDefault("SMOOTHING4J_HOME", ".")).resolve("results");
        String scratch = System.getenv("SMOOTHING4J_RESULTS");
        return new Experiments(scratch == null || scratch.isBlank() ? committed : Path.of(scratch), committed,
                System.out);
    }

    /** A file or folder under the checkout's committed {@code results/} (e.g. the full-budget claim logs). */
    public Path committed(String relative) {
        return committed.resolve(relative);
    }

    /** A file of this checkout, e.g. the PyTorch-exported fixtures under {@code lib/src/test/resources/onnx}. */
    public Path checkout(String relative) {
        return committed.toAbsolutePath().getParent().resolve(relative);
    }

    /** Trains (or reuses) the model of these settings; returns its checkpoint. */
    public Path train(TrainConfig config) throws IOException {
        Path dir = Cache.folder(results.resolve("cache"), "model-" + config.dataset() + "-" + config.method(),
                config.toMap());
        long t0 = System.nanoTime();
        Path zip = new TrainingRun(config, Datasets.load(config.dataset(), Split.TRAIN),
                Datasets.load(config.dataset(), Split.TEST)).run(dir, true, t -> progress("train " + config.method(), t,
                        "img"), new PrintStream(PrintStream.nullOutputStream()));
        log.println(String.format("model %s sigma=%s: %s (%.0f s)", config.method(), config.sigma(),
                dir.getFileName(), (System.nanoTime() - t0) / 1e9));
        return zip;
    }

    /** Certifies (or reuses the log of) a model on a data set's test images; returns the log. */
    public Path certify(Path model, String dataset, double sigma, CertifyConfig config) throws IOException {
        try (LoadedModel loaded = Models.load(model, Optional.empty())) {
            return certify(loaded, model, dataset, sigma, config);
        }
    }

    private Path certify(LoadedModel loaded, Path model, String dataset, double sigma, CertifyConfig config)
            throws IOException {
        return certify(loaded, model, dataset, new RunSpec.Certify(Smoothing.gaussian(sigma), config));
    }

    /**
     * Certifies (or reuses the log of) a model on a data set's test images as a run spec says: CERTIFY, sequential
     * CERTIFY at target radii or the deterministic L1 certificate, with any smoothing; returns the log.
     */
    public Path certify(Path model, String dataset, RunSpec spec) throws IOException {
        try (LoadedModel loaded = Models.load(model, Optional.empty())) {
            return certify(loaded, model, dataset, spec);
        }
    }

    /**
     * The one cached certification: the log's folder is keyed by data, model weights, the smoothing and the settings
     * (Gaussian L2 smoothing keys as it always has, so earlier caches are found again).
     */
    private Path certify(LoadedModel loaded, Path model, String dataset, RunSpec spec) throws IOException {
        Map<String, Object> describe = describe(recorded(model), loaded, dataset);
        String kind;
        Map<String, Object> key;
        if (spec instanceof RunSpec.CertifyDeterministicL1 d) {
            kind = "certify-deterministic-l1-";
            key = new LinkedHashMap<>(describe);
            key.remove("model");
            key.put("sigma", d.sigma());
            key.put("gridLevels", d.gridLevels());
            key.putAll(d.config().toMap());
        } else {
            Smoothing smoothing = spec instanceof RunSpec.CertifySequential q ? q.smoothing()
                    : spec instanceof RunSpec.Certify c ? c.smoothing() : null;
            if (smoothing == null) {
                throw new IllegalArgumentException("Experiments certifies with CERTIFY, sequential CERTIFY or the "
                        + "deterministic L1 certificate, not " + spec.getClass().getSimpleName());
            }
            key = cacheKey(describe, smoothing.sigma());
            if (!smoothing.isDefault()) {
                key.put("noise", smoothing.noise().name());
                key.put("smoothing", smoothing.toString());
            }
            key.putAll(spec.config().toMap());
            if (spec instanceof RunSpec.CertifySequential q) {
                key.putAll(q.sequential().toMap(spec.config().batch()));
                kind = "certify-sequential-";
            } else {
                kind = "certify-";
            }
        }
        Path out = Cache.folder(results.resolve("cache"), kind + dataset, key).resolve("certify.tsv");
        long t0 = System.nanoTime();
        ExampleLoop.run(spec, loaded.classifier(), Datasets.load(dataset, Split.TEST), describe, out, true,
                t -> progress("certify", t, "img"));
        log.println(String.format("certified %s%s: %s (%.0f s)", label(model),
                spec instanceof RunSpec.CertifySequential ? " at radii" : "", out.getParent().getFileName(),
                (System.nanoTime() - t0) / 1e9));
        return out;
    }

    /**
     * Sequential CERTIFY at target radii (or reuses its log): for notebooks that need certified accuracy only on a
     * grid; decisions worth n_max samples at a fraction of the cost (see
     * {@link org.smoothing4j.certify.SmoothedClassifier#certifyAtRadii}); returns the log.
     */
    public Path certifyAtRadii(Path model, String dataset, double sigma, CertifyConfig config,
            SequentialConfig sequential) throws IOException {
        try (LoadedModel loaded = Models.load(model, Optional.empty())) {
            return certifyAtRadii(loaded, model, dataset, sigma, config, sequential);
        }
    }

    private Path certifyAtRadii(LoadedModel loaded, Path model, String dataset, double sigma, CertifyConfig config,
            SequentialConfig sequential) throws IOException {
        return certify(loaded, model, dataset, new RunSpec.CertifySequential(Smoothing.gaussian(sigma), config,
                sequential));
    }

    /**
     * Attacks (or reuses the log of) a model on a data set's test images, then runs PREDICT on each attacked image
     * (see {@link AttackRun}); returns the log.
     */
    public Path attack(Path model, String dataset, double sigma, Attack attack,
            AttackRun.Target target, int mTest, CertifyConfig config) throws IOException {
        try (LoadedModel loaded = Models.load(model, Optional.empty())) {
            return attack(loaded, model, dataset, sigma, attack, target, mTest, config);
        }
    }

    private Path attack(LoadedModel loaded, Path model, String dataset, double sigma, Attack attack,
            AttackRun.Target target, int mTest, CertifyConfig config) throws IOException {
        Map<String, Object> describe = describe(recorded(model), loaded, dataset);
        Map<String, Object> key = cacheKey(describe, sigma);
        key.put("attack", attack.toString());
        key.put("target", target.name());
        key.put("mTest", mTest);
        key.putAll(config.toMap());
        Path out = Cache.folder(results.resolve("cache"), "attack-" + dataset, key).resolve("attack.tsv");
        long t0 = System.nanoTime();
        LabeledImages test = Datasets.load(dataset, Split.TEST);
        loaded.classifier().checkInputShape(test.imageShape(), "data set " + test.name());
        ExampleLoop.run(Plans.attack(SmoothedClassifier.of(loaded.classifier(), sigma), attack, target, mTest, config,
                describe), test, config.selection(), out, true, t -> progress("attack", t, "img"));
        log.println(String.format("attacked %s: %s (%.0f s)", label(model),
                out.getParent().getFileName(), (System.nanoTime() - t0) / 1e9));
        return out;
    }

    /**
     * Runs an ablation grid: every cell trained and certified through this folder's cache (shared with the other
     * steps: a model or log that another notebook made is reused, a rerun computes only what changed, a killed grid
     * resumes), one line per cell; a cell that fails is recorded in the table with why, and the others go on.
     */
    public GridResult grid(Grid grid) throws IOException {
        List<Cell> cells = grid.cells();
        List<CellResult> results = new ArrayList<>();
        CellSteps steps = new CellSteps() {
            @Override
            public Path train(Cell cell, TrainConfig config) throws IOException {
                return Experiments.this.train(config);
            }

            @Override
            public Path certify(Cell cell, Path model, String dataset, RunSpec spec) throws IOException {
                return Experiments.this.certify(model, dataset, spec);
            }
        };
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            long t0 = System.nanoTime();
            CellResult r = CellRun.run(cell, steps);
            results.add(r);
            log.println(String.format("grid cell %d/%d %s: %s (%.0f s)", i + 1, cells.size(), cell.label(),
                    r.ok() ? "done" : "failed: " + r.failure(), (System.nanoTime() - t0) / 1e9));
        }
        return GridResult.of(cells, results);
    }

    /** A model's name in messages: its folder for a checkpoint (model.zip), its file name otherwise. */
    private static String label(Path model) {
        return Models.isOnnx(model) || model.getParent() == null ? model.getFileName().toString()
                : model.getParent().getFileName().toString();
    }

    /**
     * A model's path as a log's settings record it: relative to this checkout when inside it (settings files are
     * committed; the checkout's absolute path says nothing on another machine), else as given.
     */
    private Path recorded(Path model) {
        Path root = committed.toAbsolutePath().normalize().getParent();
        Path abs = model.toAbsolutePath().normalize();
        return root != null && abs.startsWith(root) ? root.relativize(abs) : model;
    }

    /** What a log's settings say about its data and model. */
    private static Map<String, Object> describe(Path model, LoadedModel loaded, String dataset) {
        Map<String, Object> describe = new LinkedHashMap<>();
        describe.put("dataset", dataset);
        describe.put("model", model.toString());
        describe.put("modelFingerprint", loaded.fingerprint());
        loaded.trainingMethod().ifPresent(m -> describe.put("trainingMethod", m));
        return describe;
    }

    /** The part of a cache key shared by certify and attack runs: data, model weights (not path), sigma, noise. */
    private static Map<String, Object> cacheKey(Map<String, Object> describe, double sigma) {
        Map<String, Object> key = new LinkedHashMap<>(describe);
        key.remove("model");
        key.put("sigma", sigma);
        key.put("noise", Smoothing.gaussian(sigma).noise().name());
        return key;
    }

    /**
     * Trains (or reuses) a model and certifies it at the radii 0, 0.25, ..., {@code maxRadius} with the profile's
     * sequential CERTIFY on the profile's test images (or reuses the log); the log labelled for tables and plots.
     */
    public CertifyLogs.Log certified(Profile profile, TrainConfig c, double maxRadius,
            String label) throws IOException {
        Path log = certifyAtRadii(train(c), c.dataset(), c.sigma(), profile.certify(), profile.radii(c.sigma(), maxRadius));
        return CertifyLogs.load(log).labelled(label);
    }

    /** Saves a chart as results/figures/NAME.png and .svg. */
    public Path saveFigure(Chart<?, ?> chart, String name) throws IOException {
        return Charts.save(chart, results.resolve("figures").resolve(name));
    }

    /** Saves a table as results/tables/NAME.csv and NAME.md. */
    public void saveTable(Table table, String name) throws IOException {
        AtomicFiles.writeString(results.resolve("tables").resolve(name + ".csv"), TableFormats.csv(table));
        AtomicFiles.writeString(results.resolve("tables").resolve(name + ".md"), TableFormats.markdown(table));
    }

    public Path results() {
        return results;
    }
}
