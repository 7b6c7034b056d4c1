package org.smoothing4j.cli;

import static org.smoothing4j.cli.Section.Kind.INPUT;

import org.smoothing4j.certify.ExampleSelection;
import picocli.CommandLine.Option;

/** The reference code's flags for which test examples a run visits. */
final class SelectionOptions {
    @Section(INPUT)
    @Option(names = "--skip", description = "visit every k-th example (default: ${DEFAULT-VALUE})")
    int skip = 1;

    @Section(INPUT)
    @Option(names = "--max", description = "index cutoff, not a count; -1 for none (default: ${DEFAULT-VALUE})")
    int max = -1;

    @Section(INPUT)
    @Option(names = "--start", description = "first index of this shard (default: ${DEFAULT-VALUE})")
    int start = 0;

    @Section(INPUT)
    @Option(names = "--end", description = "end index (exclusive) of this shard; -1 for the end (default: ${DEFAULT-VALUE})")
    int end = -1;

    ExampleSelection selection() {
        return new ExampleSelection(skip, max, start, end);
    }
}
