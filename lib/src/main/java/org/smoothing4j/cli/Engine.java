package org.smoothing4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.grid.Cell;
import org.smoothing4j.grid.CellResult;
import org.smoothing4j.grid.CellRun;
import org.smoothing4j.grid.RunFolders;
import org.smoothing4j.io.Progress;
import org.smoothing4j.model.LoadedModel;
import org.smoothing4j.run.ExampleLoop;
import org.smoothing4j.run.RunSpec;

/**
 * Where the run commands (certify, predict, attack) execute, after parsing their flags and loading and checking model
 * and data on this machine, and where a sweep's cells run: here ({@link #LOCAL}), or spread over machines (the Spark
 * module's engine). Every engine writes the same log and the same run folders.
 */
public interface Engine {

    /** Runs a job into its log; returns the log. */
    Path run(Job job) throws IOException;

    /**
     * A run as the command line describes it.
     *
     * @param spec      what to compute (serializable)
     * @param model     the model, loaded and checked here
     * @param data      the test set, loaded here
     * @param describe  what the log's settings say of data and model (data set, model path, fingerprint, ...)
     * @param modelFile the model file as given (--model)
     * @param normalize --normalize as given (null: none)
     * @param dataset   --dataset as given
     */
    record Job(RunSpec spec, LoadedModel model, LabeledImages data, Map<String, Object> describe, Path modelFile,
            String normalize, String dataset, Path out, boolean resume, LongFunction<Progress> progress) {}

    /**
     * A sweep's cells into their run folders under {@code root} ({@link RunFolders}); {@code report} hears of each
     * cell's start and end, {@code err} takes the progress lines of a cell's steps where the engine shows them.
     */
    record Sweep(List<Cell> cells, Path root, SweepReport report, PrintWriter err) {}

    /**
     * Runs a sweep's cells; returns their results, in the cells' order. Here: one cell after another, each step with
     * its progress line.
     */
    default List<CellResult> sweep(Sweep sweep) throws IOException {
        RunFolders folders = new RunFolders(sweep.root(), task -> total -> Progress.console(task, total, "img",
                sweep.err()), new PrintStream(PrintStream.nullOutputStream()));
        List<CellResult> results = new ArrayList<>();
        for (int i = 0; i < sweep.cells().size(); i++) {
            sweep.report().started(i);
            CellResult r = CellRun.run(sweep.cells().get(i), folders);
            results.add(r);
            sweep.report().finished(i, r);
        }
        return results;
    }

    /** This process. */
    Engine LOCAL = job -> ExampleLoop.run(job.spec().plan(job.model().classifier(), job.describe()), job.data(),
            job.spec().config().selection(), job.out(), job.resume(), job.progress());
}
