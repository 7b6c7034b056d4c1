package org.smoothing4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.Split;
import org.smoothing4j.io.FileHash;
import org.smoothing4j.io.Progress;
import org.smoothing4j.train.TrainConfig;
import org.smoothing4j.train.TrainingRun;
import picocli.CommandLine;

/**
 * The table of bad inputs kept beside the tests ({@code bad-inputs.md} in this package's test resources): every
 * command it lists is refused with exit code 2 and exactly one line on stderr, {@code COMMAND: error: MESSAGE}, whose
 * message matches the table's ({@code *} stands for any text), with no stack trace; and no file in the test's folder
 * changes, appears or disappears (a refused command changes nothing). The messages actually printed are written to
 * {@code target/bad-inputs-actual.md}.
 */
@Tag("slow") // over 15 s: in make test, not in make check
class BadInputsTest {
    @TempDir
    static Path dir;

    static Map<String, String> vars = new LinkedHashMap<>();

    @BeforeAll
    static void fixtures() throws IOException {
        TrainConfig c = TrainConfig.defaults("fashion-mnist", "mlp", 0.5).withEpochs(1).withBatch(128)
                .withTrainSize(256);
        Path model = new TrainingRun(c, Datasets.load("fashion-mnist", Split.TRAIN),
                Datasets.load("fashion-mnist", Split.TEST)).run(dir.resolve("model"), false, t -> Progress.none(),
                        new PrintStream(PrintStream.nullOutputStream()));
        vars.put("dir", dir.toString());
        vars.put("model", model.toString());
        vars.put("onnx", Path.of("src", "test", "resources", "onnx", "lenet-fmnist.onnx").toAbsolutePath().toString());
        byte[] zip = Files.readAllBytes(model);
        String json = Files.readString(dir.resolve("model/model.json"));

        copyPair(zip, json, "trunc", bytes -> Arrays.copyOf(bytes, bytes.length / 2));
        copyPair(zip, json, "corrupt", bytes -> {
            byte[] b = bytes.clone();
            b[b.length / 3] ^= 0x5a;
            return b;
        });
        // a zip whose metadata is complete and typed right, but which holds no DL4J network
        Path notDl4j = Files.createDirectories(dir.resolve("notdl4j")).resolve("model.zip");
        writeZip(notDl4j, Map.of("smoothing4j.json", "{\"arch\": \"mlp\", \"inputShape\": [1, 28, 28], \"classes\": 10,"
                + " \"fingerprint\": \"00\"}", "readme.txt", "not a network"));
        // the earlier format: a zip and its model.json whose size and SHA-256 match it, but no DL4J network inside
        Path legacy = Files.createDirectories(dir.resolve("legacy")).resolve("model.zip");
        writeZip(legacy, Map.of("readme.txt", "not a network"));
        Files.writeString(legacy.resolveSibling("model.json"), "{\"arch\": \"mlp\", \"inputShape\": [1, 28, 28], "
                + "\"classes\": 10, \"bytes\": " + Files.size(legacy) + ", \"sha256\": \"" + FileHash.sha256(legacy) + "\"}");
        // metadata fields of the wrong type, in the zip's own entry and in an earlier-format model.json
        Path typed = Files.createDirectories(dir.resolve("wrongtype")).resolve("model.zip");
        replaceEntry(model, typed, "smoothing4j.json",
                json(model).replaceFirst("\"classes\" : 10", "\"classes\" : \"ten\""));
        Path shape = Files.createDirectories(dir.resolve("wrongshape")).resolve("model.zip");
        replaceEntry(model, shape, "smoothing4j.json",
                json(model).replaceFirst("\"inputShape\" : \\[ 1, 28, 28 \\]", "\"inputShape\" : \"1x28x28\""));
        Path arch = Files.createDirectories(dir.resolve("wrongarch")).resolve("model.zip");
        replaceEntry(model, arch, "smoothing4j.json", json(model).replaceFirst("\"arch\" : \"mlp\"", "\"arch\" : 7"));
        Path classes = Files.createDirectories(dir.resolve("wrongclasses")).resolve("model.zip");
        replaceEntry(model, classes, "smoothing4j.json",
                json(model).replaceFirst("\"classes\" : 10", "\"classes\" : 7"));
        Files.writeString(dir.resolve("model.txt"), "not a model\n");
        Files.writeString(dir.resolve("notes.onnx"), "not a model\n");

        // data sets: a folder of IDX files with a truncated image file, one with labels of another count
        Path idx = Files.createDirectories(dir.resolve("idx-truncated"));
        byte[] images = Files.readAllBytes(Datasets.root().resolve("fashion-mnist/t10k-images-idx3-ubyte.gz"));
        Files.write(idx.resolve("t10k-images-idx3-ubyte.gz"), Arrays.copyOf(images, 5000));
        Files.copy(Datasets.root().resolve("fashion-mnist/t10k-labels-idx1-ubyte.gz"),
                idx.resolve("t10k-labels-idx1-ubyte.gz"));
        Path notIdx = Files.createDirectories(dir.resolve("idx-text"));
        Files.writeString(notIdx.resolve("t10k-images-idx3-ubyte"), "hello\n");
        Files.writeString(notIdx.resolve("t10k-labels-idx1-ubyte"), "hello\n");
        Files.createDirectories(dir.resolve("idx-empty"));

        // logs
        String header = "idx\tlabel\tpredict\tradius\tcorrect\ttime\n";
        log("good.tsv", header + "0\t9\t9\t0.5\t1\t0:00:01.00\n20\t2\t2\t0.25\t1\t0:00:01.00\n");
        log("dup.tsv", header + "0\t9\t9\t0.5\t1\t0:00:01.00\n0\t9\t9\t0.5\t1\t0:00:01.00\n");
        log("correct2.tsv", header + "0\t9\t9\t0.5\t2\t0:00:01.00\n");
        log("inconsistent.tsv", header + "0\t9\t3\t0.5\t1\t0:00:01.00\n");
        log("radius-nan.tsv", header + "0\t9\t9\tnan\t1\t0:00:01.00\n");
        log("radius-inf.tsv", header + "0\t9\t9\tInfinity\t1\t0:00:01.00\n");
        log("radius-negative.tsv", header + "0\t9\t9\t-0.5\t1\t0:00:01.00\n");
        log("abstain-radius.tsv", header + "0\t9\t-1\t0.5\t0\t0:00:01.00\n");
        log("fields.tsv", header + "0\t9\t9\t0.5\t1\n");
        log("idx-text.tsv", header + "zero\t9\t9\t0.5\t1\t0:00:01.00\n");
        log("idx-negative.tsv", header + "-3\t9\t9\t0.5\t1\t0:00:01.00\n");
        log("time.tsv", header + "0\t9\t9\t0.5\t1\tyesterday\n");
        log("label.tsv", header + "0\t-2\t-1\t0.0\t0\t0:00:01.00\n");
        log("empty.tsv", "");
        Files.write(dir.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0,
            0, 13, 'I', 'H', 'D', 'R', '\n'});
        // a log whose settings say every 20th example, with a row of another index
        log("outside.tsv", header + "0\t9\t9\t0.5\t1\t0:00:01.00\n7\t2\t2\t0.5\t1\t0:00:01.00\n");
        Files.writeString(dir.resolve("outside.tsv.json"), "{\"settings\": {\"kind\": \"certify\", \"skip\": 20, "
                + "\"max\": -1, \"start\": 0, \"end\": -1}}");
        // logs to resume: with garbage settings, without settings, with other settings
        run("certify", "--dataset", "fashion-mnist", "--model", model.toString(), "--sigma", "0.5", "--out",
                dir.resolve("run.tsv").toString(), "--n", "100", "--skip", "5000");
        Files.copy(dir.resolve("run.tsv"), dir.resolve("nosettings.tsv"));
        Files.copy(dir.resolve("run.tsv"), dir.resolve("garbage.tsv"));
        Files.writeString(dir.resolve("garbage.tsv.json"), "{\"settings\": [1, 2");
        Files.writeString(dir.resolve("notes.txt"), "my notes\nsecond line");
        Files.writeString(dir.resolve("attack.tsv"), "idx\tlabel\tpredict\tbasePredict\tcorrect\tnorm\ttime\n"
                + "0\t9\t9\t9\t1\t-1.0\t0:00:01.00\n");
        Files.writeString(dir.resolve("attack.tsv.json"), "{\"settings\": {\"attack\": \"PgdL2[epsilon=0.5, steps=2]\","
                + " \"target\": \"smooth\", \"mTest\": 4, \"sigma\": 0.5, \"n\": 100}}");
    }

    @Test
    void everyBadInputOfTheTableIsRefusedWithItsMessageAndChangesNothing() throws IOException {
        List<String[]> cases = table();
        assertTrue(cases.size() >= 40, "the table has " + cases.size() + " cases");
        StringBuilder actual = new StringBuilder("| # | case | arguments | message |\n|---|---|---|---|\n");
        List<String> failures = new ArrayList<>();
        for (String[] c : cases) {
            String[] args = expand(c[2]).split(" ");
            Map<String, String> before = snapshot();
            String[] r = run(args);
            String err = r[2].replace(dir.toString(), "{dir}");
            actual.append("| ").append(c[0]).append(" | ").append(c[1]).append(" | `").append(c[2]).append("` | ")
                    .append(err.strip().replace("|", "\\|")).append(" |\n");
            String expected = args[0] + ": error: " + c[3];
            if (!r[0].equals("2")) {
                failures.add(c[0] + " " + c[1] + ": exit code " + r[0] + ", expected 2; stderr: " + err);
            } else if (err.lines().count() != 1 || !glob(expected).matcher(err.strip()).matches()) {
                failures.add(c[0] + " " + c[1] + ":\n  expected " + expected + "\n  got      " + err.strip());
            } else if (err.contains("Exception") || err.contains("\tat ")) {
                failures.add(c[0] + " " + c[1] + ": a stack trace or exception name: " + err);
            }
            Map<String, String> after = snapshot();
            if (!after.equals(before)) {
                failures.add(c[0] + " " + c[1] + ": files changed: " + difference(before, after));
            }
        }
        Path report = Path.of("target", "bad-inputs-actual.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, actual);
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases failed (actual messages in "
                + report.toAbsolutePath() + "):\n" + String.join("\n", failures));
    }

    /** Rows of the markdown table: number, case, arguments (in backquotes), message. */
    static List<String[]> table() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = BadInputsTest.class.getResourceAsStream("bad-inputs.md")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("| ") || line.startsWith("| # ")) {
                    continue;
                }
                String[] cells = line.substring(2, line.length() - 2).split(" \\| ", 4);
                assertEquals(4, cells.length, "table row: " + line);
                String args = cells[2].strip();
                assertTrue(args.startsWith("`") && args.endsWith("`"), "arguments in backquotes: " + line);
                rows.add(new String[] {cells[0].strip(), cells[1].strip(), args.substring(1, args.length() - 1),
                    cells[3].strip().replace("\\|", "|")});
            }
        }
        return rows;
    }

    private static String expand(String args) {
        String out = args;
        for (Map.Entry<String, String> v : vars.entrySet()) {
            out = out.replace("{" + v.getKey() + "}", v.getValue());
        }
        return out;
    }

    /** The message with {@code {dir}} for the test folder and {@code *} for any text. */
    private static Pattern glob(String message) {
        StringBuilder re = new StringBuilder();
        for (String part : message.split("\\*", -1)) {
            if (re.length() > 0) {
                re.append(".*");
            }
            re.append(Pattern.quote(part));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    /** Every file under the test folder with the SHA-256 of its content (folders too, as themselves). */
    static Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                files.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir" : FileHash.sha256(p)
                        + " " + Files.getPosixFilePermissions(p));
            }
        }
        return files;
    }

    private static String difference(Map<String, String> before, Map<String, String> after) {
        List<String> d = new ArrayList<>();
        for (String k : before.keySet()) {
            if (!after.containsKey(k)) {
                d.add("removed " + k);
            } else if (!after.get(k).equals(before.get(k))) {
                d.add("changed " + k);
            }
        }
        for (String k : after.keySet()) {
            if (!before.containsKey(k)) {
                d.add("added " + k);
            }
        }
        return String.join(", ", d);
    }

    private interface Edit {
        byte[] apply(byte[] bytes);
    }

    private static void copyPair(byte[] zip, String json, String folder, Edit edit) throws IOException {
        Path d = Files.createDirectories(dir.resolve(folder));
        Files.write(d.resolve("model.zip"), edit.apply(zip));
        Files.writeString(d.resolve("model.json"), json);
    }

    private static void writeZip(Path file, Map<String, String> entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, String> e : new TreeMap<>(entries).entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }

    private static String json(Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return new String(z.getInputStream(z.getEntry("smoothing4j.json")).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A copy of a zip with one entry's content replaced. */
    private static void replaceEntry(Path from, Path to, String name, String content) throws IOException {
        assertFalse(content.equals(json(from)), "the edit of " + to + " changed nothing");
        try (ZipFile in = new ZipFile(from.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry e : in.stream().toList()) {
                out.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals(name)) {
                    out.write(content.getBytes(StandardCharsets.UTF_8));
                } else {
                    in.getInputStream(e).transferTo(out);
                }
                out.closeEntry();
            }
        }
    }

    private static void log(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content);
    }
}
