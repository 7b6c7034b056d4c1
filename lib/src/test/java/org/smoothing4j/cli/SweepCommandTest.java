package org.smoothing4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code smoothing4j sweep}: every cell trained and certified into its run folder, a refused combination recorded in
 * the table with why while the others go on, a rerun with --resume recomputing nothing (the same table byte for byte),
 * a killed cell continuing, and a sweep refused before it writes anything.
 */
@Tag("slow") // over 15 s: in make test, not in make check
class SweepCommandTest {
    @TempDir
    Path dir;

    /** 2 x 2 cells, two of which train.batch = 0 refuses: LeNet on 256 images, CERTIFY n = 100 on 4 test images. */
    private static List<String> sweep(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("sweep", "--out", out.toString(), "--axis", "sigma=0.25,0.5",
                "--axis", "train.batch=64,0", "--train", "--dataset fashion-mnist --arch lenet --epochs 1 "
                        + "--train-size 256 --lr 0.02", "--certify", "--n0 20 --n 100 --skip 2500"));
        a.addAll(List.of(extra));
        return a;
    }

    private static String[] run(List<String> args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args.toArray(String[]::new));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void cellsRunRefusedOnesAreRecordedAndAResumedSweepRecomputesNothing() throws IOException {
        Path out = dir.resolve("sweep");
        String[] r = run(sweep(out));
        assertEquals("0", r[0], r[2]);
        List<String> grid = Files.readAllLines(out.resolve("grid.tsv"));
        assertEquals("sigma\ttrain.batch\tradius\tcertified\tband_low\tband_high\tacr\tclean_acc\tnoisy_acc\ttrain_s\t"
                + "certify_s\tsamples\texamples\tfingerprint\tstatus", grid.get(0));
        List<String> failed = grid.stream().filter(l -> l.contains("\tfailed: ")).toList();
        assertEquals(2, failed.size(), String.join("\n", grid));
        assertTrue(failed.get(0).startsWith("0.25\t0\t") && failed.get(0).endsWith("--batch must be >= 1, got 0"),
                failed.get(0));
        assertTrue(r[1].contains("failed: sigma=0.5 train.batch=0: --batch must be >= 1, got 0"), r[1]);
        assertTrue(r[2].contains("sweep: cell 4/4 sigma=0.5 train.batch=0 FAILED"), r[2]);
        assertTrue(r[2].contains("4 of 4 cells done"), r[2]);
        Path model = out.resolve("sigma=0.25_train.batch=64").resolve("model").resolve("model.zip");
        assertTrue(Files.exists(model));
        assertTrue(Files.exists(out.resolve("sigma=0.5_train.batch=64").resolve("certify.tsv")));
        assertFalse(Files.exists(out.resolve("sigma=0.5_train.batch=0")), "a refused cell writes no folder");

        FileTime trained = Files.getLastModifiedTime(model);
        String[] again = run(sweep(out, "--resume"));
        assertEquals("0", again[0], again[2]);
        assertEquals(grid, Files.readAllLines(out.resolve("grid.tsv")), "a resumed sweep: the same table");
        assertEquals(trained, Files.getLastModifiedTime(model), "nothing retrained");

        // a kill during a cell's certification: its log keeps the header and one row; --resume completes it
        Path log = out.resolve("sigma=0.5_train.batch=64").resolve("certify.tsv");
        List<String> rows = Files.readAllLines(log);
        Files.write(log, rows.subList(0, 2));
        String[] resumed = run(sweep(out, "--resume"));
        assertEquals("0", resumed[0], resumed[2]);
        assertEquals(columnsBut(rows, 5), columnsBut(Files.readAllLines(log), 5), "the same rows but times");
        assertEquals(columnsBut(grid, 10), columnsBut(Files.readAllLines(out.resolve("grid.tsv")), 10),
                "the same table but the certification time");
    }

    /** The lines without their column {@code k} (0-based). */
    private static List<String> columnsBut(List<String> lines, int k) {
        return lines.stream().map(l -> {
            List<String> c = new ArrayList<>(List.of(l.split("\t", -1)));
            c.remove(k);
            return String.join("\t", c);
        }).toList();
    }

    @Test
    void aSweepOfAnotherDefinitionOrWithoutResumeIsRefusedAndChangesNothing() throws IOException {
        Path out = dir.resolve("sweep");
        Files.createDirectories(out);
        String definition = "{\"train\": \"--dataset fashion-mnist --arch lenet\", \"axes\": {\"sigma\": [0.5]}}";
        Path json = Files.writeString(out.resolve("sweep.json"), definition);
        String[] r = run(sweep(out));
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("already holds a sweep") && r[2].contains("--resume"), r[2]);
        r = run(sweep(out, "--resume"));
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("cannot resume") && r[2].contains("another sweep"), r[2]);
        assertEquals(definition, Files.readString(json));
        try (var files = Files.list(out)) {
            assertEquals(List.of(json), files.toList());
        }
    }

    @Test
    void aGridFileDefinesTheSameSweep() throws IOException {
        Path file = Files.writeString(dir.resolve("grid.json"), """
                {"train": "--dataset fashion-mnist --arch lenet --epochs 1 --train-size 256 --lr 0.02",
                 "certify": ["--n0", 20, "--n", 100, "--skip", 2500],
                 "axes": {"sigma": [0.25, 0.5], "train.batch": [64, 0]}}
                """);
        SweepDefinition fromFile = SweepDefinition.read(file);
        SweepDefinition fromFlags = SweepDefinition.of(SweepDefinition.words("--dataset fashion-mnist --arch lenet "
                + "--epochs 1 --train-size 256 --lr 0.02"), SweepDefinition.words("--n0 20 --n 100 --skip 2500"), null,
                null, List.of("sigma=0.25,0.5", "train.batch=64,0"));
        assertEquals(fromFlags, fromFile);
        List<String> names = SweepCommand.cells(fromFile).stream().map(org.smoothing4j.grid.Cell::name).toList();
        assertEquals(List.of("sigma=0.25_train.batch=64", "sigma=0.25_train.batch=0", "sigma=0.5_train.batch=64",
                "sigma=0.5_train.batch=0"), names);
    }
}
