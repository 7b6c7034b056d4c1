package org.smoothing4j.grid;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.io.Progress;
import org.smoothing4j.model.LoadedModel;
import org.smoothing4j.model.Models;
import org.smoothing4j.run.ExampleLoop;
import org.smoothing4j.run.RunSpec;
import org.smoothing4j.train.TrainConfig;
import org.smoothing4j.train.TrainingRun;

/**
 * One run folder per cell under a root, as {@code train} and {@code certify} write them: {@code ROOT/NAME/model/}
 * (model.zip, model.json, train.tsv) and {@code ROOT/NAME/certify.tsv} (+ .json). Both steps always resume, so a
 * rerun reuses what is done and continues what a kill interrupted. A certify log names its model relative to the root,
 * so a grid's logs read the same wherever the root is (this machine, or a path every Spark executor sees).
 */
public final class RunFolders implements CellSteps {
    public static final String CERTIFY_LOG = "certify.tsv";

    private final Path root;
    private final Function<String, LongFunction<Progress>> progress;
    private final PrintStream out;

    /**
     * @param progress the progress line of each step, given its task name, as {@code task -> total -> line}
     * @param out      where the steps' messages go
     */
    public RunFolders(Path root, Function<String, LongFunction<Progress>> progress, PrintStream out) {
        this.root = root;
        this.progress = progress;
        this.out = out;
    }

    /** Quiet: no progress lines, no messages (Spark tasks). */
    public static RunFolders quiet(Path root) {
        return new RunFolders(root, task -> total -> Progress.none(), new PrintStream(PrintStream.nullOutputStream()));
    }

    public Path root() {
        return root;
    }

    /** A cell's folder. */
    public Path folder(Cell cell) {
        return root.resolve(cell.name());
    }

    @Override
    public Path train(Cell cell, TrainConfig config) throws IOException {
        return new TrainingRun(config, Datasets.load(config.dataset(), Split.TRAIN),
                Datasets.load(config.dataset(), Split.TEST)).run(folder(cell).resolve("model"), true,
                        progress.apply("train " + cell.label()), out);
    }

    @Override
    public Path certify(Cell cell, Path model, String dataset, RunSpec spec) throws IOException {
        LabeledImages test = Datasets.load(dataset, Split.TEST);
        try (LoadedModel loaded = Models.load(model, Optional.empty())) {
            Map<String, Object> describe = new LinkedHashMap<>();
            describe.put("dataset", dataset);
            Path abs = model.toAbsolutePath().normalize();
            Path r = root.toAbsolutePath().normalize();
            describe.put("model", (abs.startsWith(r) ? r.relativize(abs) : model).toString());
            describe.put("modelFormat", loaded.format());
            describe.put("modelFingerprint", loaded.fingerprint());
            loaded.trainingMethod().ifPresent(m -> describe.put("trainingMethod", m));
            return ExampleLoop.run(spec, loaded.classifier(), test, describe, folder(cell).resolve(CERTIFY_LOG), true,
                    progress.apply("certify " + cell.label()));
        }
    }
}
