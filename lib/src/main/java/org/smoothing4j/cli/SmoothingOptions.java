package org.smoothing4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Flags shared by the commands that run a smoothed classifier over a data set. */
final class SmoothingOptions extends ModelOptions {
    @Option(names = "--out", required = true, description = "log file (tab-separated)")
    Path out;

    @Option(names = "--alpha", description = "failure probability (default: ${DEFAULT-VALUE})")
    double alpha = 0.001;

    @Option(names = "--batch", description = "noisy samples per forward pass (default: ${DEFAULT-VALUE})")
    int batch = 400;

    @Option(names = "--seed", description = "run seed; example i uses a stream derived from (seed, i) (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--resume", description = "continue an existing log of the same settings")
    boolean resume;

    @Option(names = "--sound", description = "certificates sound in floating point (Voracek & Hein 2023): images "
            + "must be on the grid m/L (8-bit pixels), noise is the exact rounded Gaussian from random bits; radii "
            + "are rounded down")
    boolean sound;

    @Option(names = "--grid-levels", paramLabel = "L", description = "with --sound: the images' grid m/L, m = 0..L "
            + "(default: ${DEFAULT-VALUE}, 8-bit)")
    int gridLevels = 255;

    /** The sound mode's grid levels, or 0 for the standard mode; --grid-levels without --sound is refused. */
    int soundGrid(picocli.CommandLine.ParseResult parsed) {
        if (!sound && parsed.hasMatchedOption("--grid-levels")) {
            throw new IllegalArgumentException("--grid-levels applies to --sound only: give --sound too");
        }
        if (sound && (gridLevels < 1 || gridLevels > 65535)) {
            throw new IllegalArgumentException("--grid-levels must be in [1, 65535], got " + gridLevels);
        }
        return sound ? gridLevels : 0;
    }
}
