package org.smoothing4j.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.smoothing4j.data.Datasets;

/** The command line in a child JVM with this JVM's options and class path, for tests that kill or race it. */
final class ChildJvm {
    private ChildJvm() {}

    /** Starts {@code smoothing4j ARGS} with extra system properties ({@code -Dk=v}); output goes to {@code output}. */
    static Process start(Path output, List<String> properties, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-D") || a.startsWith("-Xmx")).toList());
        cmd.add("-Dsmoothing4j.data=" + Datasets.root());
        cmd.addAll(properties);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    static Process start(Path output, List<String> args) throws IOException {
        return start(output, List.of(), args);
    }

    /** Runs to the end (at most 5 minutes) and returns the exit code. */
    static int run(Path output, List<String> properties, List<String> args) throws IOException, InterruptedException {
        Process p = start(output, properties, args);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("child JVM still running after 5 minutes: " + args + "\n"
                    + Files.readString(output));
        }
        return p.exitValue();
    }
}
