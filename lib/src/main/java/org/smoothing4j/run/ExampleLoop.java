package org.smoothing4j.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import org.smoothing4j.certify.ExampleSelection;
import org.smoothing4j.certify.LogRows;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.io.Progress;
import org.smoothing4j.io.TsvLog;
import org.smoothing4j.model.Classifier;

/**
 * The loop shared by certify, predict and attack runs: visit the selected examples in index order, skip those the
 * log already has (resume), and append each one's row ({@link LogRow}), with a progress line.
 */
public final class ExampleLoop {
    /**
     * Settings that logs written before smoothing4j recorded them lack, and resume as today's: the inference path
     * ({@code inference}) and an attack run's PREDICT noise generator ({@code noise}), since issue 46.
     */
    public static final Set<String> RECORDED_LATER = Set.of("inference", "noise");

    private ExampleLoop() {}

    /**
     * Runs a spec on a base classifier over its selected examples of a data set into {@code out} (continuing it with
     * {@code resume}), after checking that the classifier takes the data set's images and that the selected inputs are
     * what the run needs, before any file is written; {@code describe} names data and model in the settings.
     */
    public static Path run(RunSpec spec, Classifier base, LabeledImages data, Map<String, Object> describe, Path out,
            boolean resume, LongFunction<Progress> progress) throws IOException {
        base.checkInputShape(data.imageShape(), "data set " + data.name());
        spec.checkInputs(base, data);
        return run(spec.plan(base, describe), data, spec.config().selection(), out, resume, progress);
    }

    /**
     * Runs a plan over the selected examples of a data set into {@code out} (continuing it with {@code resume}), and
     * closes it.
     */
    public static Path run(RunPlan plan, LabeledImages data, ExampleSelection selection, Path out, boolean resume,
            LongFunction<Progress> progress) throws IOException {
        try (plan; TsvLog log = openLog(out, plan.header(), plan.settings(), resume, selection, data);
                Progress bar = progress.apply(remaining(data, selection, log))) {
            run(plan, data, selection, log, bar);
        }
        return out;
    }

    /**
     * Opens (or, resuming, continues) the log of a run over this selection; on resume every row is checked
     * ({@link LogRows}), including that its idx is one the selection visits. The model's path ({@code model} in the
     * settings) is stored as an input, not compared on resume: the settings identify the model by its fingerprint.
     */
    public static TsvLog openLog(Path out, List<String> header, Map<String, Object> settings, boolean resume,
            ExampleSelection selection, LabeledImages data) throws IOException {
        Map<String, Object> compared = new LinkedHashMap<>(settings);
        Map<String, Object> inputs = new LinkedHashMap<>();
        if (compared.containsKey("model")) {
            inputs.put("model", compared.remove("model"));
        }
        return TsvLog.open(out, header, compared, inputs, RECORDED_LATER, resume, () -> LogRows.check(header,
                i -> selection.includes(i, data.size())));
    }

    /** Appends the row of every selected example the log does not hold yet; returns the number written. */
    private static int run(RunPlan plan, LabeledImages data, ExampleSelection selection, TsvLog log,
            Progress progress) throws IOException {
        int written = 0;
        for (int idx : todo(data.size(), selection, log)) {
            log.append(LogRow.of(plan, idx, data.image(idx), data.labels()[idx]));
            written++;
            progress.step();
        }
        return written;
    }

    /** The selected indices of a data set of {@code size} examples that the log does not hold yet, in order. */
    public static int[] todo(int size, ExampleSelection selection, TsvLog log) {
        Set<String> done = log.existingValues("idx");
        return selection.indices(size).filter(i -> !done.contains(Integer.toString(i))).toArray();
    }

    private static long remaining(LabeledImages data, ExampleSelection selection, TsvLog log) {
        return todo(data.size(), selection, log).length;
    }
}
