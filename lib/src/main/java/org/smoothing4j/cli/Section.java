package org.smoothing4j.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The section of a command's {@code --help} an option is listed under ({@link GroupedHelp}), written beside the
 * option it places. Sections come in the order a command line is read: what goes in, how it is smoothed, what the
 * command computes from it (its method), how it is optimised, where results go, how the run is controlled.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface Section {
    Kind value();

    /** The sections, in the help's order. */
    enum Kind {
        /** Data, model and the examples visited. */
        INPUT,
        /** The noise: family, level, norm, soundness. */
        SMOOTHING,
        /** What the command computes; its heading is the command's (certificate, attack, training recipe, ...). */
        METHOD,
        /** The optimiser of a training command. */
        OPTIMISER,
        /** Where the results go. */
        OUTPUT,
        /** Seeds, resuming, batch sizes, help. */
        RUN_CONTROL
    }
}
