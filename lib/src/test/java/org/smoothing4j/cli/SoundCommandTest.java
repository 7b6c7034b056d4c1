package org.smoothing4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.Split;
import org.smoothing4j.io.Progress;
import org.smoothing4j.train.TrainConfig;
import org.smoothing4j.train.TrainingRun;
import picocli.CommandLine;

/**
 * {@code certify --sound} and {@code predict --sound} end to end on Fashion-MNIST: the settings record the mode,
 * {@code analyze} says it, the sound log's rows match the standard one's shape, and a sound log does not resume as
 * a standard one.
 */
class SoundCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void soundRunsRecordTheirModeAndAnalyzeSaysIt() throws Exception {
        TrainConfig c = TrainConfig.defaults("fashion-mnist", "mlp", 0.25).withEpochs(1).withBatch(128)
                .withTrainSize(512);
        Path model = new TrainingRun(c, Datasets.load("fashion-mnist", Split.TRAIN),
                Datasets.load("fashion-mnist", Split.TEST)).run(dir.resolve("model"), false, t -> Progress.none(),
                        new PrintStream(PrintStream.nullOutputStream()));
        List<String> common = List.of("--dataset", "fashion-mnist", "--model", model.toString(), "--sigma", "0.25",
                "--skip", "1000", "--n0", "20", "--n", "400", "--batch", "200", "--alpha", "0.01");
        Path sound = dir.resolve("sound.tsv"), standard = dir.resolve("standard.tsv");
        Result r = run(concat(List.of("certify"), common, List.of("--out", sound.toString(), "--sound")));
        assertEquals(0, r.code(), r.err());
        r = run(concat(List.of("certify"), common, List.of("--out", standard.toString())));
        assertEquals(0, r.code(), r.err());
        String settings = Files.readString(Path.of(sound + ".json"));
        assertTrue(settings.contains("\"sound\" : true") && settings.contains("\"gridLevels\" : 255")
                && settings.contains("\"noise\" : \"rounded-gaussian-255\""), settings);
        assertTrue(!Files.readString(Path.of(standard + ".json")).contains("\"sound\""));
        List<String> rows = Files.readAllLines(sound);
        assertEquals("idx\tlabel\tpredict\tradius\tcorrect\ttime", rows.get(0));
        assertEquals(11, rows.size()); // 10 examples (every 1000th)

        r = run("analyze", standard.toString(), sound.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("certified in: standard: standard mode, sound: sound (grid m/255) mode"), r.out());

        // resuming the sound log without --sound: different settings, refused, log unchanged
        String before = Files.readString(sound);
        r = run(concat(List.of("certify"), common, List.of("--out", sound.toString(), "--resume")));
        assertEquals(2, r.code(), r.err());
        assertEquals(before, Files.readString(sound));

        Path predicted = dir.resolve("predict.tsv");
        r = run(concat(List.of("predict"), List.of("--dataset", "fashion-mnist", "--model", model.toString(),
                "--sigma", "0.25", "--skip", "2000", "--n", "400", "--batch", "200", "--sound"),
                List.of("--out", predicted.toString())));
        assertEquals(0, r.code(), r.err());
        assertEquals(6, Files.readAllLines(predicted).size());
        assertTrue(Files.readString(Path.of(predicted + ".json")).contains("\"sound\" : true"));
    }

    @SafeVarargs
    private static String[] concat(List<String>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toArray(String[]::new);
    }
}
