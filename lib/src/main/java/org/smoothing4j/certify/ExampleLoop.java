package org.smoothing4j.certify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.io.Progress;
import org.smoothing4j.io.TsvLog;

/**
 * The loop shared by certify, predict and attack runs: visit the selected examples in index order, skip those the
 * log already has (resume), time each one and append its row, {@code idx label ... time}.
 */
public final class ExampleLoop {
    private ExampleLoop() {}

    /** The middle fields of one example's row (between label and time). */
    @FunctionalInterface
    public interface Step {
        List<String> fields(int idx, INDArray x, int label);
    }

    /**
     * Opens (or, resuming, continues) the log of a run over this selection; on resume every row is checked
     * ({@link LogRows}), including that its idx is one the selection visits. The model's path ({@code model} in the
     * settings) is stored as an input, not compared on resume: the settings identify the model by its fingerprint.
     */
    public static TsvLog openLog(Path out, List<String> header, Map<String, Object> settings, boolean resume,
            ExampleSelection selection, LabeledImages data) throws IOException {
        Map<String, Object> compared = new java.util.LinkedHashMap<>(settings);
        Map<String, Object> inputs = new java.util.LinkedHashMap<>();
        if (compared.containsKey("model")) {
            inputs.put("model", compared.remove("model"));
        }
        return TsvLog.open(out, header, compared, inputs, resume, () -> LogRows.check(header,
                i -> selection.includes(i, data.size())));
    }

    /** Returns the number of rows written. */
    public static int run(LabeledImages data, ExampleSelection selection, TsvLog log, Progress progress, Step step)
            throws IOException {
        Set<String> done = log.existingValues("idx");
        int[] todo = selection.indices(data.size()).filter(i -> !done.contains(Integer.toString(i))).toArray();
        int written = 0;
        for (int idx : todo) {
            long t0 = System.nanoTime();
            List<String> middle = step.fields(idx, data.image(idx), data.labels()[idx]);
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(idx));
            row.add(Integer.toString(data.labels()[idx]));
            row.addAll(middle);
            row.add(LogFormat.elapsed(seconds));
            log.append(row);
            written++;
            progress.step();
        }
        return written;
    }

    /** How many rows a run over this selection will write, given what the log already holds. */
    public static long remaining(LabeledImages data, ExampleSelection selection, TsvLog log) {
        Set<String> done = log.existingValues("idx");
        return selection.indices(data.size()).filter(i -> !done.contains(Integer.toString(i))).count();
    }
}
