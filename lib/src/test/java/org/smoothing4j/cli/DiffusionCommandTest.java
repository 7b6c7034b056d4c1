package org.smoothing4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smoothing4j.io.Json;
import org.smoothing4j.model.onnx.OnnxWriter;
import org.smoothing4j.model.onnx.OnnxWriter.Value;

/**
 * An imported diffusion model as the denoiser from the command line: certify (fixed n, sequential, --sound), predict
 * and Stein attacks run behind it and record it; its flags are refused without --diffusion, backprop through it is
 * refused, and a refused command writes nothing. The model here is eps(x, t) = 0 on Fashion-MNIST's shape, in front of
 * the ONNX LeNet fixture: the pipeline is f(clip(x + delta)).
 */
class DiffusionCommandTest {
    @TempDir
    Path dir;

    private Path zeroModel() throws IOException {
        OnnxWriter w = new OnnxWriter();
        String zero = w.node("Mul", List.of("x", w.constant("zero", new long[0], new float[] {0})));
        w.node("Add", List.of(zero, w.node("Mul", List.of(w.node("Reshape", List.of("t",
                w.constantLongs("shape", new long[] {-1, 1, 1, 1}))), w.constant("z", new long[0], new float[] {0})))),
                "eps");
        Path file = dir.resolve("zero-eps.onnx");
        Files.write(file, w.model("zero", List.of(new Value("x", 1, 28, 28), new Value("t")),
                List.of(new Value("eps", 1, 28, 28))));
        Files.writeString(dir.resolve("zero-eps.json"), "{\"schedule\": \"linear\", \"betaStart\": 0.0001, "
                + "\"betaEnd\": 0.02, \"steps\": 1000, \"inputRange\": \"-1,1\"}\n");
        return file;
    }

    private String[] run(String command, Path out, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of(command, "--dataset", "fashion-mnist", "--model",
                OnnxCommandTest.FIXTURES.resolve("lenet-fmnist.onnx").toString(), "--sigma", "0.25", "--out",
                out.toString(), "--skip", "2000", "--denoiser", zeroModel().toString()));
        args.addAll(List.of(extra));
        return BadInputsTest.run(args.toArray(String[]::new));
    }

    @Test
    void certifyPredictAndSteinAttacksRunBehindADiffusionModelAndRecordIt() throws IOException {
        Path out = dir.resolve("fixed.tsv");
        String[] r = run("certify", out, "--diffusion", "--n", "500");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("diffusion denoiser: t* = "), r[2]);
        assertTrue(r[2].contains("classifier without the denoiser"), r[2]);
        assertEquals(6, Files.readAllLines(out).size());
        var settings = Json.object(Json.read(dir.resolve("fixed.tsv.json")), "settings", out);
        String fingerprint = (String) settings.get("modelFingerprint");
        assertTrue(fingerprint.contains("+diffusion:") && fingerprint.endsWith(",-1,1,t" + expectedStep(0.25) + "x1"),
                fingerprint);
        for (String[] more : List.of(new String[] {"certify", "seq.tsv", "--diffusion", "--radii", "0.25,0.5", "--n-max", "2000"},
                new String[] {"certify", "sound.tsv", "--diffusion", "--sound", "--n", "500"},
                new String[] {"certify", "steps.tsv", "--diffusion", "--denoise-steps", "3", "--n", "200"},
                new String[] {"predict", "predict.tsv", "--diffusion", "--n", "200"},
                new String[] {"attack", "attack.tsv", "--diffusion", "--eps", "0.5", "--steps", "1", "--m-test", "4",
                    "--grad", "stein", "--n", "100", "--max", "2"})) {
            Path o = dir.resolve(more[1]);
            String[] rest = java.util.Arrays.copyOfRange(more, 2, more.length);
            r = run(more[0], o, rest);
            assertEquals("0", r[0], String.join(" ", more) + ": " + r[2]);
            assertTrue(Files.readAllLines(o).size() > 1, String.join(" ", more));
        }
    }

    /** t* of DDPM's linear schedule for a [-1, 1] model: the first step with sqrt((1 - abar) / abar) >= 2 sigma. */
    private static int expectedStep(double sigma) {
        double logs = 0;
        for (int t = 0; ; t++) {
            logs += Math.log1p(-(1e-4 + (0.02 - 1e-4) * t / 999.0));
            double abar = Math.exp(logs);
            if (Math.sqrt((1 - abar) / abar) >= 2 * sigma) {
                return t;
            }
        }
    }

    @Test
    void diffusionFlagsAndMisuseAreRefusedByNameAndWriteNothing() throws IOException {
        Map<String[], String> cases = Map.of(
                new String[] {"--schedule", "cosine"}, "--schedule is a setting of a diffusion denoiser: add --diffusion",
                new String[] {"--denoise-steps", "2"}, "--denoise-steps is a setting of a diffusion denoiser",
                new String[] {}, "is an ONNX model: add --diffusion if it is a diffusion model",
                new String[] {"--diffusion", "--input-range", "0,255"}, "--input-range: input range '0,255', expected",
                new String[] {"--diffusion", "--schedule", "linear:1e-4,0.02,3"}, "no step denoises that much noise",
                new String[] {"--diffusion", "--denoise-steps", "0"}, "--denoise-steps 0: between 1 (one shot) and");
        for (var c : cases.entrySet()) {
            Path out = dir.resolve("refused.tsv");
            String[] r = run("certify", out, c.getKey());
            assertEquals("2", r[0], String.join(" ", c.getKey()) + ": " + r[2]);
            assertTrue(r[2].contains(c.getValue()), r[2]);
            assertFalse(Files.exists(out), "a refused command wrote its log");
        }
        String[] r = run("attack", dir.resolve("backprop.tsv"), "--diffusion", "--eps", "0.5", "--steps", "1",
                "--m-test", "4", "--grad", "backprop", "--n", "100", "--max", "1");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("use --grad stein"), r[2]);
    }

    @Test
    void aModelGivenTheWrongRangeIsWarnedInThePreflightAndStrictRefusesIt() throws IOException {
        // the committed fixtures: results/diffusion's DDPM of Fashion-MNIST ([-1, 1]) and the LeNet trained without noise
        Path ddpm = Path.of("..", "results", "diffusion", "models", "ddpm-fashion.onnx");
        Path lenet = Path.of("..", "results", "denoised", "models", "lenet-plain.onnx");
        List<String> base = List.of("certify", "--dataset", "fashion-mnist", "--model", lenet.toString(), "--sigma",
                "1.0", "--skip", "100", "--n0", "10", "--n", "10", "--denoiser", ddpm.toString(), "--diffusion");
        Path right = dir.resolve("right.tsv");
        String[] r = BadInputsTest.run(concat(base, "--out", right.toString()));
        assertEquals("0", r[0], r[2]);
        assertFalse(r[2].contains("warning"), r[2]); // measured: 61% under noise with it, 44% without
        Path wrong = dir.resolve("wrong.tsv");
        r = BadInputsTest.run(concat(base, "--input-range", "0,1", "--out", wrong.toString()));
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("warning: the denoiser does not raise the accuracy under noise"), r[2]);
        Path strict = dir.resolve("strict.tsv");
        r = BadInputsTest.run(concat(base, "--input-range", "0,1", "--strict", "--out", strict.toString()));
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("certify: error: --strict: the denoiser does not raise"), r[2]);
        assertFalse(Files.exists(strict), "a refused run wrote its log");
    }

    private static String[] concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
