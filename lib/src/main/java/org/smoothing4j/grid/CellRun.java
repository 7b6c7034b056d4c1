package org.smoothing4j.grid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.smoothing4j.train.TrainingRun;

/**
 * Runs one cell: trains its model (unless it certifies a given one), then certifies it. A cell that fails - training
 * diverged, a combination the settings refuse, any error of the run but for input and output - is returned with its
 * reason, so that a grid records it and goes on with the others; a failed write (a full disk) stops the grid.
 */
public final class CellRun {
    private CellRun() {}

    public static CellResult run(Cell cell, CellSteps steps) throws IOException {
        if (cell.refused() != null) {
            return CellResult.failed(cell, cell.refused());
        }
        Path model;
        String trainLog = null;
        try {
            if (cell.train() != null) {
                model = steps.train(cell, cell.train());
                Path log = model.resolveSibling(TrainingRun.LOG);
                trainLog = Files.exists(log) ? log.toString() : null;
            } else {
                model = Path.of(cell.model());
            }
            Path log = steps.certify(cell, model, cell.dataset(), cell.certify());
            return new CellResult(cell.name(), model.toString(), trainLog, log.toString(), null);
        } catch (RuntimeException e) {
            return new CellResult(cell.name(), null, trainLog, null, reason(e));
        }
    }

    /** The exception's message (its type where it has none), on one line. */
    static String reason(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m).replace('\t', ' ');
    }
}
