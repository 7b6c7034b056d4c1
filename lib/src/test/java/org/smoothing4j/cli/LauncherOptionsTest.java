package org.smoothing4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** bin/jvm-options (shared by the launcher, the kernelspec and the tests) and the top-level command. */
class LauncherOptionsTest {
    private static final String AVX512 = "flags\t\t: fpu sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl\n";
    private static final String AVX2 = "flags\t\t: fpu sse2 avx avx2 fma\n";
    private static final String OLD = "flags\t\t: fpu sse2 ssse3\n";

    @TempDir
    Path tmp;

    record Run(int exit, List<String> lines, String err) {}

    private Run jvmOptions(String cpuFlags, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Path cpuinfo = Files.writeString(tmp.resolve("cpuinfo"), "processor\t: 0\n" + cpuFlags);
        Path script = repoRoot().resolve("bin").resolve("jvm-options");
        ProcessBuilder pb = new ProcessBuilder(concat(script.toString(), args));
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_THREAD_TIMEOUT");
        pb.environment().remove("MALLOC_ARENA_MAX");
        pb.environment().remove("SMOOTHING4J_NATIVE");
        pb.environment().remove("SMOOTHING4J_THREADS");
        pb.environment().put("SMOOTHING4J_CPUINFO", cpuinfo.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out.lines().toList(), err);
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static Path repoRoot() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bin").resolve("jvm-options"))) {
                return p;
            }
        }
        throw new IllegalStateException("bin/jvm-options not found above " + Paths.get("").toAbsolutePath());
    }

    @Test
    void avx512CpuGetsTheOneDnnAvx512Build() throws Exception {
        Run r = jvmOptions(AVX512, Map.of());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.lines().contains("-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx512"), r.lines().toString());
    }

    @Test
    void otherCpusGetTheGenericBuildExplicitly() throws Exception {
        for (String flags : List.of(AVX2, OLD)) {
            Run r = jvmOptions(flags, Map.of());
            assertEquals(0, r.exit(), r.err());
            // an empty extension: without it JavaCPP would load the AVX-512 build found on the class path
            assertTrue(r.lines().contains("-Dorg.bytedeco.javacpp.platform.extension="), r.lines().toString());
        }
    }

    @Test
    void everyJvmGetsHeapHeadlessAndAPersistentNativeCache() throws Exception {
        Run r = jvmOptions(AVX2, Map.of("SMOOTHING4J_HEAP", "7g"));
        assertTrue(r.lines().contains("-Xmx7g"), r.lines().toString());
        assertTrue(r.lines().contains("-Djava.awt.headless=true"));
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("-Dorg.bytedeco.javacpp.cachedir=/")
                && l.endsWith("/smoothing4j/javacpp")), r.lines().toString());
    }

    @Test
    void openBlasCoreTypeOnlyWhereVerifiedAndUserSettingWins() throws Exception {
        assertTrue(jvmOptions(AVX512, Map.of(), "--env").lines().contains("OPENBLAS_CORETYPE=SkylakeX"));
        assertTrue(jvmOptions(AVX2, Map.of(), "--env").lines().contains("OPENBLAS_CORETYPE=Haswell"));
        assertTrue(jvmOptions(OLD, Map.of(), "--env").lines().stream().noneMatch(l -> l.startsWith("OPENBLAS_CORETYPE")));
        assertTrue(jvmOptions(AVX2, Map.of("OPENBLAS_CORETYPE", "Zen"), "--env").lines().contains("OPENBLAS_CORETYPE=Zen"));
    }

    @Test
    void threadCountIsConfigurableAndValidated() throws Exception {
        assertTrue(jvmOptions(AVX2, Map.of("SMOOTHING4J_THREADS", "3"), "--env").lines().contains("OMP_NUM_THREADS=3"));
        assertTrue(jvmOptions(AVX2, Map.of(), "--env").lines().contains("OPENBLAS_THREAD_TIMEOUT=4"));
        assertTrue(jvmOptions(AVX2, Map.of(), "--env").lines().contains("MALLOC_ARENA_MAX=2"));
        assertTrue(jvmOptions(AVX2, Map.of("MALLOC_ARENA_MAX", "4"), "--env").lines().contains("MALLOC_ARENA_MAX=4"));
        assertTrue(jvmOptions(AVX2, Map.of("OPENBLAS_THREAD_TIMEOUT", "10"), "--env").lines()
                .contains("OPENBLAS_THREAD_TIMEOUT=10"));
        Run bad = jvmOptions(AVX2, Map.of("SMOOTHING4J_THREADS", "zero"), "--env");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("SMOOTHING4J_THREADS must be a positive integer, got 'zero'"), bad.err());
    }

    @Test
    void badNativeChoiceIsRejected() throws Exception {
        Run bad = jvmOptions(AVX2, Map.of("SMOOTHING4J_NATIVE", "sse"));
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("SMOOTHING4J_NATIVE must be 'avx512' or 'generic', got 'sse'"), bad.err());
    }

    @Test
    void versionPrintsLibraryVersionAndBackend() {
        StringWriter out = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        assertEquals(0, cmd.execute("--version"));
        String text = out.toString();
        assertTrue(text.matches("(?s)smoothing4j \\d+\\.\\d+\\.\\d+.*"), text);
        assertTrue(text.contains("ND4J CpuBackend (linux-x86_64"), text);
    }

    /**
     * Every command's --help renders cleanly: a bare '%' in a description (picocli formats them) makes picocli print a
     * warning and the raw text instead (analyze --bands had "95%").
     */
    @Test
    void everyCommandsHelpRendersWithoutFormatWarnings() {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        CommandLine top = Main.commandLine();
        try {
            System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
            top.getUsageMessage();
            for (CommandLine sub : top.getSubcommands().values()) {
                assertTrue(sub.getUsageMessage().contains("Usage: smoothing4j " + sub.getCommandName()));
            }
        } finally {
            System.setErr(err);
        }
        String warnings = captured.toString(StandardCharsets.UTF_8);
        assertEquals("", warnings, warnings);
        assertTrue(top.getSubcommands().size() >= 6, top.getSubcommands().keySet().toString());
    }
}
