package org.smoothing4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.smoothing4j.io.Progress;
import org.smoothing4j.model.LoadedModel;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.run.RunSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * What the run commands (certify, predict, attack) share: their flags for model, data, smoothing and the examples, the
 * engine they run on (this process, or Spark's), and how a run is carried out: the command builds its {@link RunSpec}
 * (every flag checked), then model and data are loaded and checked here, the selected inputs checked, and the engine
 * writes the log.
 */
abstract class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SmoothingOptions smoothing = new SmoothingOptions();

    @Mixin
    SelectionOptions selection = new SelectionOptions();

    private Engine engine = Engine.LOCAL;

    /** Runs this command on another engine (set by {@link Main#commandLine(Engine)}). */
    final void use(Engine e) {
        engine = e;
    }

    /** The flags as given. */
    final ParseResult parsed() {
        return spec.commandLine().getParseResult();
    }

    /**
     * Loads and checks model and data, checks the selected inputs, runs the spec on the engine into --out and prints
     * where the log is ({@code TASK log: OUT}); {@code task} names the progress line.
     */
    final int execute(RunSpec run, String task) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (smoothing.denoiser != null && engine != Engine.LOCAL) {
            throw new IllegalArgumentException("--denoiser runs in this process only (bin/smoothing4j), not on Spark");
        }
        ModelOptions.Loaded loaded = smoothing.load(run.config().selection(), smoothing.seed, err);
        try (LoadedModel model = loaded.model()) {
            run.checkInputs(model.classifier(), loaded.data());
            engine.run(new Engine.Job(run, model, loaded.data(), describe(model), smoothing.model, smoothing.normalize,
                    smoothing.dataset, smoothing.out, smoothing.resume,
                    total -> Progress.console(task, total, "img", err)));
        }
        spec.commandLine().getOut().println(task + " log: " + smoothing.out);
        return 0;
    }

    /** What the log's settings say of data and model. */
    private Map<String, Object> describe(LoadedModel model) {
        Map<String, Object> describe = new LinkedHashMap<>();
        describe.put("dataset", smoothing.dataset);
        describe.put("model", smoothing.model.toString()); // as given: relative paths stay relative
        describe.put("modelFormat", model.format());
        describe.put("modelFingerprint", model.fingerprint());
        model.trainingMethod().ifPresent(m -> describe.put("trainingMethod", m));
        if (smoothing.denoiser != null) {
            describe.put("denoiser", smoothing.denoiser.toString());
        }
        if (smoothing.normalize != null) {
            describe.put("normalize", Normalization.parse(smoothing.normalize).toString());
        }
        return describe;
    }
}
