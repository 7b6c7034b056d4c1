package org.smoothing4j.grid;

import java.io.IOException;
import java.nio.file.Path;
import org.smoothing4j.run.RunSpec;
import org.smoothing4j.train.TrainConfig;

/**
 * Where a cell's steps write and how they are found again: a notebook's cache (keyed by the full settings, shared with
 * the notebook's other steps), or one run folder per cell ({@link RunFolders}, the command line's sweep). Either way a
 * step already done is reused and a step killed half-way resumes.
 */
public interface CellSteps {

    /** Trains the cell's model (or resumes, or reuses it); returns its checkpoint. */
    Path train(Cell cell, TrainConfig config) throws IOException;

    /** Certifies a model on a data set's test images (or resumes, or reuses the log); returns the log. */
    Path certify(Cell cell, Path model, String dataset, RunSpec spec) throws IOException;
}
