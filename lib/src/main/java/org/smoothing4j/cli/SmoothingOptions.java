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
}
