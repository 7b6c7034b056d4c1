package org.smoothing4j.run;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a run over test examples computes and writes (certify, sequential certify, predict, attack): its kind, the
 * log's header, the settings stored beside the log (and compared on resume), and the step that gives one example's
 * middle fields from its index, image and label. Built on one machine or on each of many (Spark executors) from the
 * same {@link RunSpec}, it writes the same rows.
 */
public record RunPlan(String kind, List<String> header, Map<String, Object> settings, Step step) {

    /** The middle fields of one example's row (between label and time). */
    @FunctionalInterface
    public interface Step {
        List<String> fields(int idx, INDArray x, int label);
    }
}
