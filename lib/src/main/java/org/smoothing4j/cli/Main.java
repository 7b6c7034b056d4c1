package org.smoothing4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/smoothing4j}. Subcommands are the stages of the data flow. */
@Command(name = "smoothing4j", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Certified adversarial robustness by randomized smoothing (Cohen et al. 2019; "
                + "Salman et al. 2019) on ND4J/DL4J.",
        subcommands = {TrainCommand.class, CertifyCommand.class, PredictCommand.class, AnalyzeCommand.class, AttackCommand.class,
            GradientsCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with its error handling, for tests and {@link #main}. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(new ErrorHandler())
                .setParameterExceptionHandler((e, args) -> {
                    CommandLine cmd = e.getCommandLine();
                    cmd.getErr().println(cmd.getCommandName() + ": error: " + e.getMessage() + " (see "
                            + cmd.getCommandSpec().qualifiedName() + " --help)");
                    return 2;
                });
    }

    public static void main(String[] args) {
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("smoothing4j: error: out of memory (" + e.getMessage() + "): use a smaller --batch, or "
                    + "raise SMOOTHING4J_HEAP / SMOOTHING4J_OFFHEAP (bin/jvm-options)");
            code = 2;
        }
        System.exit(code);
    }
}
