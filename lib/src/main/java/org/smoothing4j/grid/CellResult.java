package org.smoothing4j.grid;

import java.io.Serializable;

/**
 * What running a cell gave: its certify log and the model it certified, or why it failed (a diverged training run, a
 * combination the settings refuse). Paths are strings: a Spark task returns it to the driver.
 *
 * @param cell     the cell's name
 * @param model    the certified model (its checkpoint or file), or null
 * @param trainLog the training run's epoch log, or null (a given model, or a failure before training)
 * @param log      the certify log, or null when failed
 * @param failure  why the cell failed, or null
 */
public record CellResult(String cell, String model, String trainLog, String log, String failure)
        implements Serializable {

    public boolean ok() {
        return failure == null;
    }

    static CellResult failed(Cell cell, String reason) {
        return new CellResult(cell.name(), null, null, null, reason);
    }
}
