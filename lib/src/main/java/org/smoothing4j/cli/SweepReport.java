package org.smoothing4j.cli;

import java.io.PrintWriter;
import java.util.List;
import org.smoothing4j.certify.LogFormat;
import org.smoothing4j.grid.Cell;
import org.smoothing4j.grid.CellResult;

/**
 * A sweep's progress, a line per cell: when it starts, and when it ends with how it ended, the cells done and the
 * time the rest should take at the pace so far (on a cluster cells end in any order; the count is what has ended).
 */
public final class SweepReport {
    private final List<Cell> cells;
    private final PrintWriter err;
    private final long t0 = System.nanoTime();
    private int finished;
    private int failed;

    SweepReport(List<Cell> cells, PrintWriter err) {
        this.cells = cells;
        this.err = err;
    }

    /** Cell {@code i} (0-based) starts. */
    public synchronized void started(int i) {
        err.printf("sweep: cell %d/%d %s%n", i + 1, cells.size(), cells.get(i).label());
        err.flush();
    }

    /** Cell {@code i} (0-based) ended. */
    public synchronized void finished(int i, CellResult r) {
        finished++;
        failed += r.ok() ? 0 : 1;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double left = elapsed / finished * (cells.size() - finished);
        err.printf("sweep: cell %d/%d %s %s; %d of %d cells done (%s), about %s left%n", i + 1, cells.size(),
                cells.get(i).label(), r.ok() ? "done" : "FAILED: " + r.failure(), finished, cells.size(),
                LogFormat.elapsed(elapsed), LogFormat.elapsed(left));
        err.flush();
    }

    /** The cells that failed so far. */
    public synchronized int failed() {
        return failed;
    }
}
