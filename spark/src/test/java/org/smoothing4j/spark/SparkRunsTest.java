package org.smoothing4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smoothing4j.cli.Main;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.Split;
import org.smoothing4j.io.Progress;
import org.smoothing4j.train.TrainConfig;
import org.smoothing4j.train.TrainingRun;

/**
 * Runs on Spark (local[2], in this JVM) write exactly the rows of a single-process run: idx..correct byte for byte,
 * for any number of partitions, for certify, sequential certify, predict and attack, with the data read by the
 * executors or shipped to them; a resumed job computes only the missing indices; a task that fails and is rerun
 * leaves no duplicate row.
 */
@Tag("slow") // over 15 s: in make test, not in make check
class SparkRunsTest {
    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void trainTinyModel() throws IOException {
        TrainConfig c = TrainConfig.defaults("fashion-mnist", "mlp", 0.5).withEpochs(1).withBatch(128)
                .withTrainSize(512);
        model = new TrainingRun(c, Datasets.load("fashion-mnist", Split.TRAIN),
                Datasets.load("fashion-mnist", Split.TEST)).run(dir.resolve("model"), false, t -> Progress.none(),
                        new PrintStream(PrintStream.nullOutputStream()));
    }

    static List<String> args(String kind, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of(kind, "--dataset", "fashion-mnist", "--model", model.toString(),
                "--sigma", "0.5", "--out", out.toString(), "--skip", "400", "--n", "1000", "--batch", "250"));
        if (kind.equals("attack")) {
            a.set(a.indexOf("--n") + 1, "500");
            a.addAll(List.of("--eps", "0.5", "--steps", "2", "--m-test", "4"));
        }
        a.addAll(List.of(extra));
        return a;
    }

    /** The columns idx..the last before time, as the reference compares them. */
    static List<String> rows(Path log) throws IOException {
        return Files.readAllLines(log).stream().map(l -> l.substring(0, l.lastIndexOf('\t'))).toList();
    }

    /** A run command's arguments with Spark's flags after the command. */
    static List<String> onSpark(List<String> run, String... sparkFlags) {
        List<String> a = new ArrayList<>(run.subList(0, 1));
        a.addAll(List.of(sparkFlags));
        a.addAll(run.subList(1, run.size()));
        return a;
    }

    /** SparkMain with its stderr (the progress lines) captured; returns {exit code, stderr}. */
    static String[] spark(List<String> args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = SparkMain.run(args.toArray(String[]::new));
            return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(old);
        }
    }

    static Path local(String kind, String... extra) throws IOException {
        Path out = dir.resolve(kind + "-" + String.join("", extra).replaceAll("[^a-z0-9]", "") + "-local.tsv");
        if (!Files.exists(out)) {
            assertEquals(0, Main.run(org.smoothing4j.cli.Engine.LOCAL, args(kind, out, extra).toArray(String[]::new)));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void certifyOnSparkWritesTheRowsOfOneProcessForAnyNumberOfPartitions(int partitions) throws IOException {
        Path out = dir.resolve("certify-" + partitions + ".tsv");
        String[] r = spark(onSpark(args("certify", out), "--master", "local[2]", "--partitions",
                Integer.toString(partitions)));
        assertEquals("0", r[0], r[1]);
        assertEquals(rows(local("certify")), rows(out));
        assertEquals(26, Files.readAllLines(out).size()); // header + indices 0, 400, ..., 9600
        assertTrue(r[1].contains("25/25 img") && r[1].contains("25 written in index order"), r[1]); // the progress line
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "predict", "attack", "ship-data"})
    void everyRunKindAndShippedDataGiveTheRowsOfOneProcess(String variant) throws IOException {
        String kind = variant.equals("predict") || variant.equals("attack") ? variant : "certify";
        String[] extra = variant.equals("sequential") ? new String[] {"--radii", "0,0.25,0.5", "--n-max", "4000"}
                : new String[0];
        Path out = dir.resolve(variant + "-spark.tsv");
        List<String> run = args(kind, out, extra);
        if (variant.equals("sequential")) { // --n is CERTIFY's fixed count: a sequential run has --n-max only
            int at = run.indexOf("--n");
            run.remove(at + 1);
            run.remove(at);
        }
        String[] r = spark(variant.equals("ship-data") ? onSpark(run, "--master", "local[2]", "--partitions", "4",
                "--ship-data") : onSpark(run, "--master", "local[2]", "--partitions", "4"));
        assertEquals("0", r[0], r[1]);
        Path single = dir.resolve(variant + "-local.tsv");
        assertEquals(0, Main.run(org.smoothing4j.cli.Engine.LOCAL, run.stream()
                .map(v -> v.equals(out.toString()) ? single.toString() : v).toArray(String[]::new)));
        assertEquals(rows(single), rows(out));
    }

    @Test
    void aResumedJobComputesOnlyTheMissingIndicesAndARerunTaskWritesNoRowTwice() throws IOException {
        Path full = local("certify");
        Path out = dir.resolve("resumed.tsv");
        List<String> head = Files.readAllLines(full).subList(0, 1 + 9); // a job killed after 9 rows
        Files.write(out, head);
        Files.copy(org.smoothing4j.io.TsvLog.settingsFile(full), org.smoothing4j.io.TsvLog.settingsFile(out));
        List<String> a = onSpark(args("certify", out, "--resume"), "--master", "local[2,4]", "--partitions", "4");
        // the second task to start fails once (as on a lost executor) and Spark runs it again
        System.setProperty(org.smoothing4j.io.FaultPoints.PROPERTY, "spark.task@2:enospc");
        String[] r;
        try {
            r = spark(a);
        } finally {
            System.clearProperty(org.smoothing4j.io.FaultPoints.PROPERTY);
        }
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("16/16 img"), "only the 16 missing indices are computed: " + r[1]);
        assertEquals(rows(full), rows(out));
    }

    @Test
    void badFlagsAreRefusedBeforeSparkStarts() {
        String[] r = spark(List.of("certify", "--master", "local[2]", "--dataset", "fashion-mnist", "--model",
                model.toString(), "--sigma", "-1", "--out", dir.resolve("bad.tsv").toString()));
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("certify: error: --sigma must be a finite number > 0, got -1.0"), r[1]);
        r = spark(List.of("train", "--master", "local[2]"));
        assertEquals("2", r[0]);
        assertTrue(r[1].startsWith("smoothing4j-spark: error: the first argument must be one of"), r[1]);
        r = spark(List.of("certify", "--dataset", "fashion-mnist"));
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("no Spark master"), r[1]);
        assertTrue(!Files.exists(dir.resolve("bad.tsv")));
    }

    /** The Spark options this test JVM runs with are bin/jvm-options --spark (the launcher's), the one list. */
    @Test
    void theTestJvmsSparkOptionsAreTheLaunchersOnes() throws Exception {
        Path script = Path.of("..", "bin", "jvm-options");
        Process p = new ProcessBuilder(script.toString(), "--spark").redirectErrorStream(true).start();
        List<String> launcher = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0);
        List<String> mine = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String option : launcher) {
            assertTrue(mine.contains(option), "spark/pom.xml lacks " + option + " of bin/jvm-options --spark");
        }
        long opens = mine.stream().filter(o -> o.startsWith("--add-opens")).count();
        assertEquals(launcher.stream().filter(o -> o.startsWith("--add-opens")).count(), opens,
                "spark/pom.xml has --add-opens that bin/jvm-options --spark lacks: " + mine);
    }
}
