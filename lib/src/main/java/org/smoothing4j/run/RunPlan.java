package org.smoothing4j.run;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a run over test examples computes and writes (certify, sequential certify, predict, attack): its kind, the
 * log's header, the settings stored beside the log (and compared on resume), and the step that gives one example's
 * middle fields from its index, image and label. Built on one machine or on each of many (Spark executors) from the
 * same {@link RunSpec}, it writes the same rows. Closing it frees what its step made (the smoothed classifier's
 * sampling threads' copies of the base classifier); the base classifier is its caller's.
 *
 * @param owned what the plan made and frees when closed
 */
public record RunPlan(String kind, List<String> header, Map<String, Object> settings, Step step,
        AutoCloseable owned) implements AutoCloseable {

    /** A plan that made nothing to free. */
    public RunPlan(String kind, List<String> header, Map<String, Object> settings, Step step) {
        this(kind, header, settings, step, () -> { });
    }

    @Override
    public void close() {
        try {
            owned.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the plan of a " + kind + " run: " + e.getMessage(), e);
        }
    }

    /** The middle fields of one example's row (between label and time). */
    @FunctionalInterface
    public interface Step {
        List<String> fields(int idx, INDArray x, int label);
    }
}
