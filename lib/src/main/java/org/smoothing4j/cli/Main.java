package org.smoothing4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** Entry point of {@code bin/smoothing4j}. Subcommands are the stages of the data flow. */
@Command(name = "smoothing4j", footer = {"%nExamples:",
            "  smoothing4j train --dataset fashion-mnist --arch lenet --sigma 0.5 \\",
            "      --out runs/gauss --epochs 10",
            "  smoothing4j certify --dataset fashion-mnist --model runs/gauss/model.zip \\",
            "      --sigma 0.5 --out gauss.tsv --skip 20",
            "  smoothing4j analyze gauss.tsv --bands --plot curves"},
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Certified adversarial robustness by randomized smoothing (Cohen et al. 2019; "
                + "Salman et al. 2019) on ND4J/DL4J.",
        subcommands = {TrainCommand.class, DenoiseCommand.class, CertifyCommand.class, PredictCommand.class, AnalyzeCommand.class, AttackCommand.class,
            GradientsCommand.class, SweepCommand.class,
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
        return commandLine(Engine.LOCAL);
    }

    /** The command line whose run commands execute on {@code engine} (the Spark module's, for one). */
    public static CommandLine commandLine(Engine engine) {
        CommandLine cmd = GroupedHelp.install(new CommandLine(new Main()));
        for (CommandLine sub : cmd.getSubcommands().values()) {
            if (sub.getCommand() instanceof RunCommand run) {
                run.use(engine);
            }
            if (sub.getCommand() instanceof SweepCommand sweep) {
                sweep.use(engine);
            }
        }
        return cmd.setExecutionExceptionHandler(new ErrorHandler())
                .setParameterExceptionHandler((e, args) -> {
                    CommandLine failed = e.getCommandLine();
                    failed.getErr().println(failed.getCommandName() + ": error: " + e.getMessage() + " (see "
                            + failed.getCommandSpec().qualifiedName() + " --help)");
                    return 2;
                });
    }

    public static void main(String[] args) {
        System.exit(run(Engine.LOCAL, args));
    }

    /** Runs the command line on an engine, turning running out of memory into a message; returns the exit code. */
    public static int run(Engine engine, String... args) {
        CommandLine cmd = commandLine(engine);
        int code;
        try {
            code = cmd.execute(args);
        } catch (OutOfMemoryError e) {
            cmd.getErr().println("smoothing4j: error: out of memory (" + e.getMessage() + "): use a smaller --batch, or "
                    + "raise SMOOTHING4J_HEAP / SMOOTHING4J_OFFHEAP (bin/jvm-options)");
            code = 2;
        }
        return code;
    }
}
