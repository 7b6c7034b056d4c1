package org.smoothing4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.Split;
import org.smoothing4j.io.Progress;
import org.smoothing4j.noise.NoiseFamily;
import org.smoothing4j.train.TrainConfig;
import org.smoothing4j.train.TrainingRun;
import picocli.CommandLine;

/**
 * {@code train --noise uniform}, then {@code certify --noise uniform --norm l1} (fixed-n, with --box, sequential),
 * {@code predict --noise}, and {@code analyze} on Fashion-MNIST: the settings name family and norm, the box radius is
 * never below the plain one on the same samples, analyze names the norm, and bad combinations are refused with the
 * flag named and no file written.
 */
class NormsCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(List<String> args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    private static List<String> with(List<String> a, String... more) {
        List<String> l = new ArrayList<>(a);
        l.addAll(List.of(more));
        return l;
    }

    @Test
    void uniformNoiseCertifiesL1RadiiEndToEnd() throws Exception {
        TrainConfig c = TrainConfig.defaults("fashion-mnist", "mlp", 0.5).withEpochs(1).withBatch(128)
                .withTrainSize(512).withNoise(NoiseFamily.UNIFORM);
        Path model = new TrainingRun(c, Datasets.load("fashion-mnist", Split.TRAIN),
                Datasets.load("fashion-mnist", Split.TEST)).run(dir.resolve("model"), false, t -> Progress.none(),
                        new PrintStream(PrintStream.nullOutputStream()));
        String meta = Files.readString(org.smoothing4j.model.dl4j.Checkpoint.metadataFile(model));
        assertTrue(meta.contains("\"noise\" : \"uniform\""), meta);
        List<String> common = List.of("certify", "--dataset", "fashion-mnist", "--model", model.toString(), "--sigma",
                "0.5", "--skip", "1000", "--n0", "20", "--n", "1000", "--batch", "250", "--alpha", "0.01",
                "--noise", "uniform", "--norm", "l1");
        Path plain = dir.resolve("plain.tsv"), box = dir.resolve("box.tsv"), seq = dir.resolve("seq.tsv");
        Result r = run(with(common, "--out", plain.toString()));
        assertEquals(0, r.code(), r.err());
        r = run(with(common, "--out", box.toString(), "--box"));
        assertEquals(0, r.code(), r.err());
        String settings = Files.readString(Path.of(plain + ".json"));
        assertTrue(settings.contains("\"family\" : \"uniform\"") && settings.contains("\"norm\" : \"l1\"")
                && settings.contains("\"noise\" : \"uniform\"") && settings.contains("Yang et al. 2020"), settings);
        List<String> a = Files.readAllLines(plain), b = Files.readAllLines(box);
        assertEquals(11, a.size());
        int larger = 0;
        for (int i = 1; i < a.size(); i++) { // same seeds, same samples: the box radius is at least the plain one
            String[] pa = a.get(i).split("\t"), pb = b.get(i).split("\t");
            assertEquals(pa[2], pb[2]);
            assertTrue(Double.parseDouble(pb[3]) >= Double.parseDouble(pa[3]), a.get(i) + " vs " + b.get(i));
            larger += Double.parseDouble(pb[3]) > Double.parseDouble(pa[3]) ? 1 : 0;
        }
        System.out.println("box radius larger on " + larger + " of 10");

        List<String> sequential = new ArrayList<>(common);
        int at = sequential.indexOf("--n");
        sequential.subList(at, at + 2).clear(); // sequential CERTIFY takes --n-max
        r = run(with(sequential, "--out", seq.toString(), "--radii", "0,0.1,0.3", "--n-max", "2000",
                "--first-look", "500"));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(Path.of(seq + ".json")).contains("\"norm\" : \"l1\""));

        r = run(List.of("analyze", plain.toString(), box.toString(), "--plot", dir.resolve("l1.png").toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("plain: standard mode, uniform noise, L1 radius")
                && r.out().contains("box: standard mode, uniform (box) noise, L1 radius"), r.out());
        assertTrue(Files.exists(dir.resolve("l1.png")));

        Path dssn = dir.resolve("dssn.tsv"); // the deterministic certificate on the same model and images
        r = run(List.of("certify", "--dataset", "fashion-mnist", "--model", model.toString(), "--sigma", "0.5",
                "--skip", "1000", "--batch", "150", "--deterministic-l1", "--out", dssn.toString()));
        assertEquals(0, r.code(), r.err());
        String ds = Files.readString(Path.of(dssn + ".json"));
        assertTrue(ds.contains("\"kind\" : \"certify-deterministic-l1\"") && ds.contains("\"shifts\" : 441")
                && ds.contains("\"norm\" : \"l1\"") && !ds.contains("\"alpha\""), ds);
        assertEquals(11, Files.readAllLines(dssn).size());
        r = run(List.of("analyze", dssn.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("dssn: deterministic (grid m/255) mode, split (deterministic) noise, L1 radius"),
                r.out());

        Path predicted = dir.resolve("predict.tsv");
        r = run(List.of("predict", "--dataset", "fashion-mnist", "--model", model.toString(), "--sigma", "0.5",
                "--skip", "2000", "--n", "400", "--batch", "200", "--noise", "laplace", "--out", predicted.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(Path.of(predicted + ".json")).contains("\"family\" : \"laplace\""));
    }

    @Test
    void badCombinationsNameTheFlagAndWriteNothing() {
        Path out = dir.resolve("never.tsv");
        String[][] cases = {
            {"--noise", "cauchy"}, {"--norm", "l3"}, {"--noise", "laplace", "--box", "--norm", "l1"},
            {"--noise", "laplace", "--sound"}, {"--noise", "uniform", "--norm", "l1", "--two-sided-radius"},
        };
        String[] expected = {"--noise must be one of", "--norm must be one of", "--box is the L1 certificate",
            "--sound draws the rounded Gaussian", "--two-sided-radius is the Gaussian L2 radius"};
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of("certify", "--dataset", "fashion-mnist", "--model", "none.zip",
                    "--sigma", "0.5", "--out", out.toString()));
            args.addAll(List.of(cases[i]));
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", cases[i]) + ": " + r.err());
            assertTrue(r.err().contains(expected[i]), String.join(" ", cases[i]) + ": " + r.err());
            assertTrue(!Files.exists(out));
        }
        for (String[] flags : new String[][] {{"--n", "100"}, {"--alpha", "0.01"}, {"--noise", "uniform"},
            {"--radii", "0,1"}, {"--sound"}}) {
            List<String> args = new ArrayList<>(List.of("certify", "--dataset", "fashion-mnist", "--model", "none.zip",
                    "--sigma", "0.5", "--deterministic-l1", "--out", out.toString()));
            args.addAll(List.of(flags));
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", flags) + ": " + r.err());
            assertTrue(r.err().contains(flags[0] + " does not apply to --deterministic-l1"), r.err());
            assertTrue(!Files.exists(out));
        }
        Result r = run(List.of("predict", "--dataset", "fashion-mnist", "--model", "none.zip", "--sigma", "0.5",
                "--norm", "l1", "--out", out.toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--norm is the norm of certified radii"), r.err());
        r = run(List.of("train", "--dataset", "fashion-mnist", "--arch", "lenet", "--sigma", "0.5", "--method",
                "smoothadv", "--noise", "uniform", "--out", dir.resolve("m").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--noise uniform applies to --method gaussian"), r.err());
    }
}
