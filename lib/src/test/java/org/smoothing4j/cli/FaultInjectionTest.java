package org.smoothing4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.Split;
import org.smoothing4j.io.Progress;
import org.smoothing4j.model.dl4j.Checkpoint;
import org.smoothing4j.train.TrainConfig;
import org.smoothing4j.train.TrainingRun;

/**
 * What survives what: runs stopped as {@code kill -9} stops them (the JVM halted, through the fault points of
 * {@link org.smoothing4j.io.FaultPoints}) at each write point of certify, predict, attack and train, or failing there
 * as on a full disk, then resumed, end with the same rows (and, for training, the same weights) as an uninterrupted
 * run, and leave no temporary or lock file behind; a second writer of a log or run folder is refused while the first
 * runs and accepted once it is killed; a read-only folder gives a clear error; files get the user's umask.
 */
@Tag("slow") // over 15 s: in make test, not in make check
class FaultInjectionTest {
    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void trainTinyModel() throws IOException {
        TrainConfig c = TrainConfig.defaults("fashion-mnist", "mlp", 0.5).withEpochs(1).withBatch(128)
                .withTrainSize(256);
        model = new TrainingRun(c, Datasets.load("fashion-mnist", Split.TRAIN),
                Datasets.load("fashion-mnist", Split.TEST)).run(dir.resolve("model"), false, t -> Progress.none(),
                        new PrintStream(PrintStream.nullOutputStream()));
    }

    private static List<String> command(String kind, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of(kind, "--dataset", "fashion-mnist", "--model", model.toString(),
                "--sigma", "0.5", "--out", out.toString(), "--skip", "2000", "--n", "2000", "--batch", "500"));
        if (kind.equals("attack")) {
            args.addAll(List.of("--eps", "0.5", "--steps", "2", "--m-test", "4"));
        }
        return withFlags(args, extra);
    }

    private static List<String> train(Path out, String... extra) {
        return withFlags(new ArrayList<>(List.of("train", "--dataset", "fashion-mnist", "--arch", "mlp", "--sigma",
                "0.5", "--out", out.toString(), "--epochs", "3", "--train-size", "256", "--batch", "128", "--seed",
                "5")), extra);
    }

    /** The arguments with {@code extra} flags added, a flag given again replacing its value. */
    private static List<String> withFlags(List<String> args, String... extra) {
        for (int i = 0; i < extra.length; i++) {
            boolean valued = i + 1 < extra.length && !extra[i + 1].startsWith("--");
            int at = args.indexOf(extra[i]);
            if (at >= 0 && valued) {
                args.set(at + 1, extra[++i]);
            } else {
                args.add(extra[i]);
                if (valued) {
                    args.add(extra[++i]);
                }
            }
        }
        return args;
    }

    private static int child(String name, List<String> properties, List<String> args) throws Exception {
        return ChildJvm.run(dir.resolve(name + ".out"), properties, args);
    }

    private static String output(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".out"));
    }

    /** A log's rows without the time column (the last). */
    private static List<String> rowsWithoutTime(Path log) throws IOException {
        return Files.readAllLines(log).stream().map(l -> l.substring(0, l.lastIndexOf('\t'))).toList();
    }

    /** train.tsv's rows without the columns that measure time (time, images_per_s). */
    private static List<String> epochRows(Path log) throws IOException {
        return Files.readAllLines(log).stream().map(l -> {
            String[] f = l.split("\t");
            f[1] = "-";
            f[8] = "-";
            return String.join("\t", f);
        }).toList();
    }

    private static void assertNothingLeftIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<String> left = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".tmp") || n.contains(".tmp.") || n.endsWith(".lock")).toList();
            assertTrue(left.isEmpty(), "left behind in " + folder + ": " + left);
        }
    }

    private static Path reference(String kind) throws Exception {
        Path ref = dir.resolve(kind + "-reference.tsv");
        if (!Files.exists(ref)) {
            assertEquals(0, child(kind + "-reference", List.of(), command(kind, ref)), output(kind + "-reference"));
        }
        return ref;
    }

    @ParameterizedTest
    @ValueSource(strings = {"log.settings-written", "atomic.before-rename", "log.before-line", "log.mid-line",
        "log.mid-line@3", "log.after-line@4"})
    void certifyKilledAtAWritePointResumesToTheUninterruptedRows(String point) throws Exception {
        Path ref = reference("certify");
        String name = "certify-" + point.replaceAll("[^a-z0-9]", "-");
        Path out = dir.resolve(name + ".tsv");
        assertEquals(137, child(name, List.of("-Dsmoothing4j.fault=" + point), command("certify", out)), output(name));
        assertEquals(0, child(name + "-resumed", List.of(), command("certify", out, "--resume")),
                output(name + "-resumed"));
        assertEquals(rowsWithoutTime(ref), rowsWithoutTime(out));
        assertEquals(6, Files.readAllLines(out).size()); // header + indices 0, 2000, ..., 8000
        assertNothingLeftIn(dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"predict", "attack"})
    void predictAndAttackKilledInTheMiddleOfARowResumeToTheUninterruptedRows(String kind) throws Exception {
        Path ref = reference(kind);
        Path out = dir.resolve(kind + "-killed.tsv");
        assertEquals(137, child(kind + "-killed", List.of("-Dsmoothing4j.fault=log.mid-line@3"), command(kind, out)),
                output(kind + "-killed"));
        assertEquals(0, child(kind + "-resumed", List.of(), command(kind, out, "--resume")), output(kind + "-resumed"));
        assertEquals(rowsWithoutTime(ref), rowsWithoutTime(out));
        assertNothingLeftIn(dir);
    }

    @Test
    void certifyFailingToWriteARowAsOnAFullDiskResumesToTheUninterruptedRows() throws Exception {
        Path ref = reference("certify");
        Path out = dir.resolve("certify-full-disk.tsv");
        assertEquals(2, child("certify-full-disk", List.of("-Dsmoothing4j.fault=log.before-line@3:enospc"),
                command("certify", out)));
        assertTrue(output("certify-full-disk").contains("certify: error: No space left on device"),
                output("certify-full-disk"));
        assertEquals(0, child("certify-full-disk-resumed", List.of(), command("certify", out, "--resume")));
        assertEquals(rowsWithoutTime(ref), rowsWithoutTime(out));
        assertNothingLeftIn(dir);
    }

    private static Path trainingReference() throws Exception {
        Path ref = dir.resolve("train-reference");
        if (!Files.exists(ref.resolve("model.zip"))) {
            assertEquals(0, child("train-reference", List.of(), train(ref)), output("train-reference"));
        }
        return ref;
    }

    /**
     * Write points of a 3-epoch run: atomic writes are train.tsv.json (1), then per epoch e the zip (2e) and
     * model.json (2e + 1); lines of train.tsv are the header (1) and epoch e's row (e + 1).
     */
    @ParameterizedTest
    @ValueSource(strings = {"checkpoint.zip-published@2", "checkpoint.json-written@2", "train.checkpoint-saved@2",
        "atomic.before-rename@4", "log.mid-line@3", "atomic.before-rename@2:enospc", "atomic.before-rename@4:enospc"})
    void trainingStoppedAtAWritePointResumesToTheUninterruptedWeightsAndRows(String point) throws Exception {
        Path ref = trainingReference();
        String name = "train-" + point.replaceAll("[^a-z0-9]", "-");
        Path out = dir.resolve(name);
        int expected = point.endsWith(":enospc") ? 2 : 137;
        assertEquals(expected, child(name, List.of("-Dsmoothing4j.fault=" + point), train(out)), output(name));
        if (point.equals("atomic.before-rename@4:enospc")) { // epoch 2's checkpoint failed: epoch 1's is intact
            assertEquals(1L, Checkpoint.load(out.resolve("model.zip")).metadata().get("epoch") instanceof Number n
                    ? n.longValue() : -1);
        }
        assertEquals(0, child(name + "-resumed", List.of(), train(out, "--resume")), output(name + "-resumed"));
        assertEquals(Checkpoint.load(ref.resolve("model.zip")).fingerprint(),
                Checkpoint.load(out.resolve("model.zip")).fingerprint());
        assertEquals(epochRows(ref.resolve("train.tsv")), epochRows(out.resolve("train.tsv")));
        // model.json describes the final zip (its size and hash match, so the strict check passes)
        assertEquals(Files.size(out.resolve("model.zip")),
                ((Number) org.smoothing4j.io.Json.read(out.resolve("model.json")).get("bytes")).longValue());
        assertNothingLeftIn(out);
    }

    @Test
    void aSecondWriterIsRefusedWhileTheFirstRunsAndAcceptedOnceItIsKilled() throws Exception {
        Path ref = reference("certify");
        Path out = dir.resolve("raced.tsv");
        Process first = ChildJvm.start(dir.resolve("raced.out"), List.of(),
                command("certify", out, "--n", "200000")); // slow enough to race
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while ((!Files.exists(out) || Files.readAllLines(out).size() < 2) && System.nanoTime() < deadline
                    && first.isAlive()) {
                Thread.sleep(50);
            }
            assertTrue(first.isAlive(), Files.readString(dir.resolve("raced.out")));
            byte[] before = Files.readAllBytes(out);
            for (String[] second : List.of(command("certify", out, "--n", "200000", "--resume").toArray(String[]::new),
                    command("certify", out, "--n", "200000").toArray(String[]::new))) {
                String[] r = BadInputsTest.run(second);
                assertEquals("2", r[0], r[2]);
                assertTrue(r[2].contains("is being written by another process (pid " + first.pid() + ")"), r[2]);
            }
            assertTrue(Files.readAllBytes(out).length >= before.length); // only the first writer appends
        } finally {
            first.destroyForcibly().waitFor();
        }
        String[] r = BadInputsTest.run(command("certify", out, "--n", "200000", "--resume").toArray(String[]::new));
        assertEquals("0", r[0], r[2]);
        List<String> rows = Files.readAllLines(out);
        assertEquals(6, rows.size(), String.join("\n", rows));
        assertEquals(rowsWithoutTime(ref).get(0), rowsWithoutTime(out).get(0));
        assertNothingLeftIn(dir);
    }

    @Test
    void aSecondTrainingRunOfTheSameFolderIsRefused() throws Exception {
        Path out = dir.resolve("train-raced");
        Process first = ChildJvm.start(dir.resolve("train-raced.out"), List.of(),
                train(out, "--epochs", "50", "--train-size", "2048"));
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!Files.exists(out.resolve("model.zip")) && System.nanoTime() < deadline && first.isAlive()) {
                Thread.sleep(50);
            }
            assertTrue(first.isAlive(), Files.readString(dir.resolve("train-raced.out")));
            String[] r = BadInputsTest.run(train(out, "--epochs", "50", "--train-size", "2048", "--resume")
                    .toArray(String[]::new));
            assertEquals("2", r[0], r[2]);
            assertTrue(r[2].contains("training run " + out + " is being written by another process (pid "
                    + first.pid() + ")"), r[2]);
        } finally {
            first.destroyForcibly().waitFor();
        }
    }

    @Test
    void aReadOnlyFolderGivesAClearErrorAndNoFile() throws Exception {
        Path ro = Files.createDirectories(dir.resolve("read-only"));
        ReadOnly.make(ro);
        try {
            String[] r = BadInputsTest.run(command("certify", ro.resolve("x.tsv")).toArray(String[]::new));
            assertEquals("2", r[0], r[2]);
            assertTrue(r[2].startsWith("certify: error: " + ro.resolve("x.tsv") + ": cannot write in " + ro), r[2]);
            r = BadInputsTest.run(train(ro.resolve("run")).toArray(String[]::new));
            assertEquals("2", r[0], r[2]);
            assertTrue(r[2].startsWith("train: error: " + ro.resolve("run") + ": cannot create the folder"), r[2]);
        } finally {
            ReadOnly.undo(ro);
        }
        try (Stream<Path> files = Files.list(ro)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void filesAreCreatedWithTheUsersUmask() throws Exception {
        Path out = dir.resolve("modes");
        Files.createDirectories(out);
        Path plain = Files.createFile(out.resolve("plain"));
        Set<PosixFilePermission> umask = Files.getPosixFilePermissions(plain);
        String[] r = BadInputsTest.run(train(out.resolve("run"), "--epochs", "1").toArray(String[]::new));
        assertEquals("0", r[0], r[2]);
        r = BadInputsTest.run(command("certify", out.resolve("log.tsv"), "--n", "100").toArray(String[]::new));
        assertEquals("0", r[0], r[2]);
        for (Path p : List.of(out.resolve("run/model.zip"), out.resolve("run/model.json"),
                out.resolve("run/train.tsv"), out.resolve("run/train.tsv.json"), out.resolve("log.tsv"),
                out.resolve("log.tsv.json"))) {
            assertEquals(umask, Files.getPosixFilePermissions(p), p.toString());
        }
    }

    /** A folder in which even root can create no file: chmod for other users, the immutable attribute for root. */
    static final class ReadOnly {
        static void make(Path folder) throws Exception {
            if (isRoot()) {
                Process p = new ProcessBuilder("chattr", "+i", folder.toString()).redirectErrorStream(true).start();
                assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
            } else {
                Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
            }
            try {
                Files.createFile(folder.resolve("probe"));
                throw new AssertionError(folder + " is still writable: the test cannot make a read-only folder");
            } catch (IOException expected) {
                // read-only, as required
            }
        }

        static void undo(Path folder) throws Exception {
            if (isRoot()) {
                new ProcessBuilder("chattr", "-i", folder.toString()).start().waitFor();
            } else {
                Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }

        private static boolean isRoot() throws IOException {
            return "root".equals(Files.getOwner(Path.of(System.getProperty("java.io.tmpdir"))).getName())
                    && System.getProperty("user.name").equals("root");
        }
    }
}
