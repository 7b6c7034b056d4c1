package org.smoothing4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.Split;
import org.smoothing4j.io.Progress;
import org.smoothing4j.train.TrainConfig;
import org.smoothing4j.train.TrainingRun;
import picocli.CommandLine;

/**
 * The certify command end to end on a real (small) Fashion-MNIST model: a run killed with SIGKILL and resumed
 * writes the same log as an uninterrupted run; bad flags and files give one clear line and exit code 2.
 */
@Tag("slow") // over 15 s: in make test, not in make check
class CertifyCommandKillTest {
    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void trainTinyModel() throws IOException {
        TrainConfig c = TrainConfig.defaults("fashion-mnist", "mlp", 0.5).withEpochs(1).withBatch(128).withTrainSize(512);
        model = new TrainingRun(c, Datasets.load("fashion-mnist", Split.TRAIN), Datasets.load("fashion-mnist", Split.TEST))
                .run(dir.resolve("model"), false, t -> Progress.none(), new PrintStream(PrintStream.nullOutputStream()));
    }

    private static List<String> certifyArgs(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("certify", "--dataset", "fashion-mnist", "--model",
                model.toString(), "--sigma", "0.5", "--out", out.toString(), "--skip", "400", "--n", "10000",
                "--batch", "500"));
        args.addAll(List.of(extra));
        return args;
    }

    private static Process start(List<String> args) throws IOException {
        return ChildJvm.start(dir.resolve("child.out"), args);
    }

    private static List<String> rowsWithoutTime(Path log) throws IOException {
        return Files.readAllLines(log).stream().map(l -> l.substring(0, l.lastIndexOf('\t'))).toList();
    }

    @Test
    void killedAndResumedRunEqualsUninterruptedRun() throws Exception {
        Path full = dir.resolve("full.tsv");
        Process p = start(certifyArgs(full));
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, Files.readString(dir.resolve("child.out")));

        Path killed = dir.resolve("killed.tsv");
        p = start(certifyArgs(killed));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while ((!Files.exists(killed) || Files.readAllLines(killed).size() < 1 + 5) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        p.destroyForcibly().waitFor();
        int rowsAtKill = Files.readAllLines(killed).size() - 1;
        assertTrue(rowsAtKill >= 5 && rowsAtKill < 25, "killed with " + rowsAtKill + " rows");

        p = start(certifyArgs(killed, "--resume"));
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, Files.readString(dir.resolve("child.out")));
        assertEquals(26, Files.readAllLines(full).size()); // header + indices 0, 400, ..., 9600
        assertEquals(rowsWithoutTime(full), rowsWithoutTime(killed));
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void badFlagsAndFilesGiveOneClearLine() throws IOException {
        String out = dir.resolve("x.tsv").toString();
        String m = model.toString();
        String[] r = run("certify", "--dataset", "fashion-mnist", "--model", m, "--sigma", "-0.5", "--out", out);
        assertEquals("2", r[0]);
        assertEquals("certify: error: --sigma must be a finite number > 0, got -0.5\n", r[2]);
        r = run("certify", "--dataset", "fashion-mnist", "--model", m, "--sigma", "0.5", "--alpha", "1.5", "--out", out);
        assertEquals("certify: error: --alpha must be in (0, 1), got 1.5\n", r[2]);
        r = run("certify", "--dataset", "fashion-mnist", "--model", m, "--sigma", "0.5", "--n0", "0", "--out", out);
        assertEquals("certify: error: --n0 must be >= 1, got 0\n", r[2]);
        r = run("predict", "--dataset", "fashion-mnist", "--model", m, "--sigma", "0.5", "--n", "0", "--out", out);
        assertEquals("predict: error: --n must be >= 1, got 0\n", r[2]);
        r = run("certify", "--dataset", "fashion-mnist", "--model", dir.resolve("nope.zip").toString(), "--sigma",
                "0.5", "--out", out);
        assertTrue(r[2].contains("nope.zip: model file not found"), r[2]);
        Path foreign = Files.writeString(dir.resolve("foreign.tsv"), "a\tb\n");
        r = run("analyze", foreign.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("analyze: error: " + foreign + " is not a certify log"), r[2]);
    }

    @Test
    void modelWithAnotherInputShapeIsRejected() throws IOException {
        Path cifar = Files.createDirectories(dir.resolve("root").resolve("cifar10"));
        byte[] batch = new byte[3 * 3073];
        Files.write(cifar.resolve("test_batch.bin"), batch);
        System.setProperty("smoothing4j.data", dir.resolve("root").toString());
        try {
            String[] r = run("certify", "--dataset", "cifar10", "--model", model.toString(), "--sigma", "0.5",
                    "--out", dir.resolve("y.tsv").toString());
            assertEquals("2", r[0]);
            assertTrue(r[2].contains("--dataset cifar10 has images of shape [3, 32, 32] but the model expects [1, 28, 28]"),
                    r[2]);
        } finally {
            System.clearProperty("smoothing4j.data");
        }
    }
}
