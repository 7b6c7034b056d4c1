package org.smoothing4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;
import org.smoothing4j.certify.ExampleSelection;
import org.smoothing4j.certify.SmoothedClassifier;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.io.Progress;
import org.smoothing4j.model.Models;

/** Loading what the run commands share: the test set and the smoothed classifier over a model. */
final class Runs {
    private Runs() {}

    record Setup(LabeledImages data, Models.Loaded model, SmoothedClassifier smoothed, Map<String, Object> describe) {}

    static Setup load(SmoothingOptions o, ExampleSelection selection, PrintWriter err) throws IOException {
        if (!(o.alpha > 0 && o.alpha < 1)) {
            throw new IllegalArgumentException("--alpha must be in (0, 1), got " + o.alpha);
        }
        ModelOptions.Loaded loaded = o.load(selection, o.seed, err);
        Models.Loaded model = loaded.model();
        Map<String, Object> describe = new LinkedHashMap<>();
        describe.put("dataset", o.dataset);
        describe.put("model", o.model.toString()); // as given: relative paths stay relative
        describe.put("modelFormat", model.format());
        describe.put("modelFingerprint", model.fingerprint());
        model.trainingMethod().ifPresent(m -> describe.put("trainingMethod", m));
        if (o.denoiser != null) {
            describe.put("denoiser", o.denoiser.toString());
        }
        if (o.normalize != null) {
            describe.put("normalize", org.smoothing4j.model.Normalization.parse(o.normalize).toString());
        }
        return new Setup(loaded.data(), model, SmoothedClassifier.of(model.classifier(), o.sigma), describe);
    }

    /** A command that runs on an engine (set by {@link Main#commandLine(Engine)}). */
    interface OnEngine {
        void use(Engine engine);
    }

    /** Loads and checks model and data, then runs the spec on the engine into --out. */
    static void execute(Engine engine, org.smoothing4j.RunSpec run, SmoothingOptions o, PrintWriter err, String task)
            throws IOException {
        if (o.denoiser != null && engine != Engine.LOCAL) {
            throw new IllegalArgumentException("--denoiser runs in this process only (bin/smoothing4j), not on Spark");
        }
        Setup s = load(o, run.config().selection(), err);
        run.checkInputs(s.model().classifier(), s.data());
        engine.run(new Engine.Job(run, s.model(), s.data(), s.describe(), o.model, o.normalize, o.dataset, o.out,
                o.resume, bar(task, "img")));
    }

    static LongFunction<Progress> bar(String task, String unit) {
        return total -> Progress.console(task, total, unit, System.err);
    }
}
