package org.smoothing4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import org.apache.spark.TaskContext;
import org.smoothing4j.grid.Cell;
import org.smoothing4j.grid.CellResult;
import org.smoothing4j.grid.CellRun;
import org.smoothing4j.grid.RunFolders;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction2;

/**
 * A task of a distributed sweep, on an executor: one cell (its partition holds the cell), trained and certified into
 * its run folder under the sweep's root - a path every executor sees - exactly as the local sweep does it
 * ({@link CellRun} with {@link RunFolders}). A rerun task (a lost executor) resumes the folder its first attempt left.
 */
final class CellTask extends AbstractFunction2<TaskContext, Iterator<Cell>, CellResult> implements Serializable {
    private final String root;

    CellTask(Path root) {
        this.root = root.toAbsolutePath().toString();
    }

    @Override
    public CellResult apply(TaskContext context, Iterator<Cell> cells) {
        Cell cell = cells.next();
        try {
            return CellRun.run(cell, RunFolders.quiet(Path.of(root)));
        } catch (IOException e) {
            throw new IllegalStateException("cell " + cell.name() + ": " + e.getMessage(), e);
        }
    }
}
