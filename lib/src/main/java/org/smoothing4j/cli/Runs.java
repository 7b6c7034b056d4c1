package org.smoothing4j.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;
import org.smoothing4j.certify.SmoothedClassifier;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.io.Progress;
import org.smoothing4j.model.Checkpoint;

/** Loading what the run commands share: the test set and the smoothed classifier over a checkpoint. */
final class Runs {
    private Runs() {}

    record Setup(LabeledImages data, Checkpoint.Loaded model, SmoothedClassifier smoothed, Map<String, Object> describe) {}

    static Setup load(SmoothingOptions o) throws IOException {
        if (!(o.alpha > 0 && o.alpha < 1)) {
            throw new IllegalArgumentException("--alpha must be in (0, 1), got " + o.alpha);
        }
        ModelOptions.Loaded loaded = o.load();
        Checkpoint.Loaded model = loaded.checkpoint();
        Map<String, Object> describe = new LinkedHashMap<>();
        describe.put("dataset", o.dataset);
        describe.put("model", o.model.toAbsolutePath().normalize().toString());
        describe.put("modelFingerprint", model.fingerprint());
        if (model.metadata().get("training") instanceof Map<?, ?> t && t.get("method") instanceof String m) {
            describe.put("trainingMethod", m);
        }
        return new Setup(loaded.data(), model, SmoothedClassifier.of(model.network(), o.sigma), describe);
    }

    static LongFunction<Progress> bar(String task, String unit) {
        return total -> Progress.console(task, total, unit, System.err);
    }
}
