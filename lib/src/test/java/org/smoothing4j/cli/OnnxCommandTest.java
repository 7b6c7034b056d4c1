package org.smoothing4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smoothing4j.io.FileHash;
import org.smoothing4j.io.Json;

/** ONNX models from the command line: certify, predict, attack (Stein), gradients, preflight, --normalize, --strict. */
class OnnxCommandTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "onnx");

    @TempDir
    Path dir;

    private String[] certify(String model, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("certify", "--dataset", "fashion-mnist", "--model",
                FIXTURES.resolve(model).toString(), "--sigma", "0.25", "--out", out.toString(), "--skip", "1000",
                "--n", "2000"));
        args.addAll(List.of(extra));
        return BadInputsTest.run(args.toArray(String[]::new));
    }

    @Test
    void certifyAnOnnxModelWithItsPreflightAndFingerprint() throws IOException {
        Path out = dir.resolve("onnx.tsv");
        String[] r = certify("lenet-fmnist.onnx", out);
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].startsWith("preflight: base classifier on the first 10 selected test images: "), r[2]);
        assertFalse(r[2].contains("warning"), r[2]);
        assertEquals(11, Files.readAllLines(out).size());
        var settings = Json.object(Json.read(dir.resolve("onnx.tsv.json")), "settings", out);
        assertEquals("onnx", settings.get("modelFormat"));
        assertEquals(FileHash.sha256(FIXTURES.resolve("lenet-fmnist.onnx")), settings.get("modelFingerprint"));
        long certified = Files.readAllLines(out).stream().skip(1).filter(l -> l.split("\t")[4].equals("1")).count();
        assertTrue(certified >= 7, "the trained LeNet certifies only " + certified + " of 10");
    }

    @Test
    void normalisationOnTheJvmSideGivesTheRowsOfTheModelWithItInside() throws IOException {
        Path inside = dir.resolve("inside.tsv"), outside = dir.resolve("outside.tsv");
        assertEquals("0", certify("lenet-fmnist.onnx", inside)[0]);
        String[] r = certify("lenet-fmnist-raw.onnx", outside, "--normalize", "0.2860:0.3530");
        assertEquals("0", r[0], r[2]);
        List<String> a = Files.readAllLines(inside), b = Files.readAllLines(outside);
        for (int i = 1; i < a.size(); i++) { // the same noise: the same predictions, radii within rounding
            String[] x = a.get(i).split("\t"), y = b.get(i).split("\t");
            assertEquals(x[2], y[2], "row " + i);
            assertEquals(Double.parseDouble(x[3]), Double.parseDouble(y[3]), 0.01, "row " + i);
        }
    }

    @Test
    void aModelNearChanceIsFlaggedAndStrictRefusesIt() throws IOException {
        // a wrong normalisation, as users of the public checkpoints report (SPEC 14): the model sees garbage
        Path out = dir.resolve("wrong.tsv");
        String[] r = certify("lenet-fmnist-raw.onnx", out, "--normalize", "5:0.01");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("warning: the model is "), r[2]);
        assertTrue(r[2].contains("check its normalisation"), r[2]);
        Path strict = dir.resolve("strict.tsv");
        r = certify("lenet-fmnist-raw.onnx", strict, "--normalize", "5:0.01", "--strict");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("certify: error: --strict: the model is "), r[2]);
        assertFalse(Files.exists(strict), "a refused run wrote its log");
    }

    @Test
    void attacksAndGradientsOnAnOnnxModelAreForwardOnly() throws IOException {
        Path out = dir.resolve("attack.tsv");
        String[] r = BadInputsTest.run("attack", "--dataset", "fashion-mnist", "--model",
                FIXTURES.resolve("lenet-fmnist.onnx").toString(), "--sigma", "0.25", "--eps", "0.5", "--steps", "2",
                "--m-test", "8", "--grad", "stein", "--n", "200", "--skip", "2500", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        assertEquals(5, Files.readAllLines(out).size());
        r = BadInputsTest.run("attack", "--dataset", "fashion-mnist", "--model",
                FIXTURES.resolve("lenet-fmnist.onnx").toString(), "--sigma", "0.25", "--eps", "0.5", "--grad",
                "backprop", "--out", dir.resolve("bp.tsv").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--grad backprop needs a smoothing4j checkpoint"), r[2]);
        r = BadInputsTest.run("gradients", "--dataset", "fashion-mnist", "--model",
                FIXTURES.resolve("lenet-fmnist.onnx").toString(), "--sigma", "0.25", "--m", "4,16", "--m-ref", "64",
                "--images", "3", "--skip", "1000");
        assertEquals("0", r[0], r[2]);
        // backprop is left out for a forward-only model: the three Stein estimators at m = 4 and 16
        assertEquals(1 + 6, r[1].lines().filter(l -> l.startsWith("stein")).count() + 1, r[1]);
        assertFalse(r[1].contains("backprop"), r[1]);
    }
}
