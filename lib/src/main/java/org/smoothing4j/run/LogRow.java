package org.smoothing4j.run;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.certify.LogFormat;

/**
 * The one builder of a log row, {@code idx label <the plan's fields> time} (SPEC 4), used by the local example loop
 * and by every Spark task alike: the step is timed here, so both write the same row but for the time column.
 */
public final class LogRow {
    private LogRow() {}

    /** Runs the plan's step on one example and returns its whole row. */
    public static List<String> of(RunPlan plan, int idx, INDArray x, int label) {
        long t0 = System.nanoTime();
        List<String> middle = plan.step().fields(idx, x, label);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<String> row = new ArrayList<>(middle.size() + 3);
        row.add(Integer.toString(idx));
        row.add(Integer.toString(label));
        row.addAll(middle);
        row.add(LogFormat.elapsed(seconds));
        return row;
    }
}
