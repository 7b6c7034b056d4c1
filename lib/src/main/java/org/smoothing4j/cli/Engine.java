package org.smoothing4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongFunction;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.io.Progress;
import org.smoothing4j.model.LoadedModel;
import org.smoothing4j.run.ExampleLoop;
import org.smoothing4j.run.RunSpec;

/**
 * Where the run commands (certify, predict, attack) execute, after parsing their flags and loading and checking model
 * and data on this machine: here ({@link #LOCAL}), or spread over machines (the Spark module's engine). Every engine
 * writes the same log.
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

    /** This process. */
    Engine LOCAL = job -> ExampleLoop.run(job.spec().plan(job.model().classifier(), job.describe()), job.data(),
            job.spec().config().selection(), job.out(), job.resume(), job.progress());
}
