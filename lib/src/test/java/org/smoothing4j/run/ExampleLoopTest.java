package org.smoothing4j.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.certify.Certificate;
import org.smoothing4j.certify.CertifyConfig;
import org.smoothing4j.certify.ExampleSelection;
import org.smoothing4j.certify.SequentialConfig;
import org.smoothing4j.certify.SmoothedClassifier;
import org.smoothing4j.certify.Smoothing;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.io.Progress;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.Seeds;

/** Certify/predict runs: resumed and sharded runs write the same rows as one uninterrupted run. */
class ExampleLoopTest {
    @TempDir
    Path dir;

    /** f(z) = 1 if the first pixel >= 0.5: pA varies with the example. */
    private static final Classifier HALF_SPACE = Classifier.of(b -> {
        INDArray first = b.reshape(b.size(0), 4).getColumn(0).reshape(b.size(0), 1);
        INDArray one = first.gte(0.5).castTo(DataType.FLOAT);
        return Nd4j.hstack(one.rsub(1.0), one);
    }, 2, 1, 2, 2);

    private static LabeledImages data(int n) {
        float[] px = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            px[4 * i] = (float) (i / (double) n);
            labels[i] = px[4 * i] >= 0.5 ? 1 : 0;
        }
        return new LabeledImages("synthetic", Nd4j.create(px, new long[] {n, 1, 2, 2}), labels, 2);
    }

    private static final CertifyConfig CONFIG = CertifyConfig.defaults().withN(500).withN0(50).withBatch(128)
            .withSeed(3).withSelection(new ExampleSelection(3, -1, 0, -1));

    private static final Map<String, Object> DESCRIBE = Map.of("dataset", "synthetic");

    private static Path certify(SmoothedClassifier g, LabeledImages data, CertifyConfig config, Path out,
            boolean resume, LongFunction<Progress> progress) throws IOException {
        return ExampleLoop.run(Plans.certify(g, config, DESCRIBE), data, config.selection(), out, resume, progress);
    }

    private static Path certifySequential(SmoothedClassifier g, LabeledImages data, CertifyConfig config,
            SequentialConfig seq, Path out, boolean resume, LongFunction<Progress> progress) throws IOException {
        return ExampleLoop.run(Plans.certifySequential(g, config, seq, DESCRIBE), data, config.selection(), out, resume,
                progress);
    }

    private static Path predict(SmoothedClassifier g, LabeledImages data, CertifyConfig config, Path out)
            throws IOException {
        return ExampleLoop.run(Plans.predict(g, config, DESCRIBE), data, config.selection(), out, false,
                t -> Progress.none());
    }

    /** The rows without the time column. */
    private static List<String> rows(Path log) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            out.add(line.substring(0, line.lastIndexOf('\t')));
        }
        return out;
    }

    /** A progress that "kills" the run after k examples by throwing. */
    private static LongFunction<Progress> killedAfter(int k) {
        return total -> new Progress() {
            int done;

            @Override
            public void step() {
                if (++done == k) {
                    throw new IllegalStateException("killed");
                }
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void resumedLogEqualsUninterrupted() throws IOException {
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, 0.25);
        LabeledImages data = data(60);
        Path full = certify(g, data, CONFIG, dir.resolve("full.tsv"), false, t -> Progress.none());
        Path broken = dir.resolve("broken.tsv");
        assertThrows(IllegalStateException.class,
                () -> certify(g, data, CONFIG, broken, false, killedAfter(7)));
        // a kill in the middle of writing a row leaves a partial line
        Files.writeString(broken, Files.readString(broken) + "21\t1\t1\t0.4", java.nio.file.StandardOpenOption.WRITE);
        assertEquals(8, Files.readAllLines(broken).size() - 1);
        certify(g, data, CONFIG, broken, true, t -> Progress.none());
        assertEquals(rows(full), rows(broken));
        assertEquals(21, rows(full).size()); // header + every 3rd of 60
    }

    /**
     * Early abstention changes no logged row: the same run with and without it writes the same rows (but for the
     * time), and it does stop early on the examples near the decision boundary.
     */
    @Test
    void earlyAbstentionChangesNoLoggedRowAndSavesSamples() throws IOException {
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, 0.5);
        LabeledImages data = data(120);
        CertifyConfig every = CONFIG.withSelection(new ExampleSelection(1, -1, 0, -1));
        Path early = certify(g, data, every, dir.resolve("early.tsv"), false, t -> Progress.none());
        Path full = certify(g.withEarlyAbstention(false), data, every, dir.resolve("full.tsv"), false,
                t -> Progress.none());
        assertEquals(rows(full), rows(early));
        long drawn = 0, abstained = 0;
        SmoothedClassifier s = g.withBatchSize(every.batch());
        for (int i = 0; i < data.size(); i++) {
            Certificate c = s.certify(data.image(i), every.n0(), every.n(), every.alpha(), Seeds.forExample(3, i));
            drawn += c.drawn();
            abstained += c.abstained() ? 1 : 0;
            assertTrue(c.drawn() == every.n() || c.abstained(), "stopped early without abstaining");
        }
        assertTrue(abstained > 0 && drawn < (long) data.size() * every.n(), "no sample was saved");
    }

    @Test
    void sequentialLogsResumeAndShardToTheFullRunAndAnalysisReadsThem() throws IOException {
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, 0.25);
        LabeledImages data = data(60);
        SequentialConfig seq = SequentialConfig.defaults().withRadii(0, 0.1, 0.2).withNMax(2000);
        CertifyConfig config = CONFIG.withN0(100);
        Path full = certifySequential(g, data, config, seq, dir.resolve("seq.tsv"), false,
                t -> Progress.none());
        assertEquals("idx\tlabel\tpredict\tradius\tcorrect\tsamples", rows(full).get(0));
        Path broken = dir.resolve("seq-broken.tsv");
        assertThrows(IllegalStateException.class, () -> certifySequential(g, data, config, seq, broken,
                false, killedAfter(5)));
        certifySequential(g, data, config, seq, broken, true, t -> Progress.none());
        assertEquals(rows(full), rows(broken));
        List<String> joined = new ArrayList<>(rows(full).subList(0, 1));
        for (int[] shard : new int[][] {{0, 31}, {31, 60}}) {
            Path p = certifySequential(g, data, config.withSelection(new ExampleSelection(3, -1, shard[0],
                    shard[1])), seq, dir.resolve("seq" + shard[0] + ".tsv"), false, t -> Progress.none());
            joined.addAll(rows(p).subList(1, rows(p).size()));
        }
        assertEquals(rows(full), joined);
        tech.tablesaw.api.Table t = org.smoothing4j.analysis.CertifyLogs.read(full);
        assertEquals(20, t.rowCount());
        long fewer = t.longColumn("samples").asList().stream().filter(v -> v < 2100).count();
        assertTrue(fewer > 0, "no example stopped before n_max");
        // the settings say which radii are exact
        assertTrue(Files.readString(dir.resolve("seq.tsv.json")).contains("certified accuracy is exact at the radii "
                + "[0.0, 0.1, 0.2] only"));
    }

    @Test
    void shardsConcatenateToTheFullRun() throws IOException {
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, 0.25);
        LabeledImages data = data(60);
        Path full = predict(g, data, CONFIG, dir.resolve("full.tsv"));
        List<String> joined = new ArrayList<>(rows(full).subList(0, 1));
        for (int[] shard : new int[][] {{0, 25}, {25, 60}}) {
            CertifyConfig c = CONFIG.withSelection(new ExampleSelection(3, -1, shard[0], shard[1]));
            Path p = predict(g, data, c, dir.resolve("shard" + shard[0] + ".tsv"));
            joined.addAll(rows(p).subList(1, rows(p).size()));
        }
        assertEquals(rows(full), joined);
        assertEquals("idx\tlabel\tpredict\tcorrect", rows(full).get(0));
    }

    @Test
    void existingLogIsNotOverwrittenAndForeignOrChangedLogsAreNotResumed() throws IOException {
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, 0.25);
        LabeledImages data = data(12);
        Path log = certify(g, data, CONFIG, dir.resolve("a.tsv"), false, t -> Progress.none());
        IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
                () -> certify(g, data, CONFIG, log, false, t -> Progress.none()));
        assertTrue(exists.getMessage().contains("already exists: pass --resume"), exists.getMessage());

        IllegalArgumentException changed = assertThrows(IllegalArgumentException.class,
                () -> certify(g, data, CONFIG.withN(600), log, true, t -> Progress.none()));
        assertTrue(changed.getMessage().contains("cannot resume") && changed.getMessage().contains("n: 500 in the log, 600 now"),
                changed.getMessage());

        Path foreign = Files.writeString(dir.resolve("foreign.tsv"), "epoch\tloss\n1\t0.5\n");
        Files.copy(dir.resolve("a.tsv.json"), dir.resolve("foreign.tsv.json"));
        IllegalArgumentException wrongHeader = assertThrows(IllegalArgumentException.class,
                () -> certify(g, data, CONFIG, foreign, true, t -> Progress.none()));
        assertTrue(wrongHeader.getMessage().contains("header is 'epoch\\tloss'"), wrongHeader.getMessage());
    }

    /** The half-space classifier, claiming to compute on another code path. */
    private static Classifier onPath(String path) {
        return new Classifier() {
            @Override
            public INDArray scores(INDArray batch) {
                return HALF_SPACE.scores(batch);
            }

            @Override
            public int numClasses() {
                return 2;
            }

            @Override
            public long[] inputShape() {
                return HALF_SPACE.inputShape();
            }

            @Override
            public String inference() {
                return path;
            }
        };
    }

    @Test
    void resumingUnderAnotherInferencePathIsRefusedAndALogFromBeforeItWasRecordedResumes() throws IOException {
        LabeledImages data = data(30);
        Path log = dir.resolve("path.tsv");
        SmoothedClassifier onnx = SmoothedClassifier.of(onPath("onnx-runtime 1.20.0"), 0.25);
        assertThrows(IllegalStateException.class, () -> certify(onnx, data, CONFIG, log, false, killedAfter(3)));
        assertTrue(Files.readString(dir.resolve("path.tsv.json")).contains("\"inference\" : \"onnx-runtime 1.20.0\""));
        SmoothedClassifier stack = SmoothedClassifier.of(onPath("layer-stack on nd4j linux-x86_64"), 0.25);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> certify(stack, data, CONFIG, log, true, t -> Progress.none()));
        assertTrue(e.getMessage().contains("inference: onnx-runtime 1.20.0 in the log, layer-stack on nd4j "
                + "linux-x86_64 now"), e.getMessage());
        // a log written before the path was recorded: its settings lack the key, and it resumes as today's path
        Path json = dir.resolve("path.tsv.json");
        Files.writeString(json, Files.readString(json).replaceAll(",\\s*\"inference\" : \"[^\"]*\"", ""));
        assertTrue(!Files.readString(json).contains("inference"));
        certify(stack, data, CONFIG, log, true, t -> Progress.none());
        assertEquals(rows(certify(onnx, data, CONFIG, dir.resolve("whole.tsv"), false, t -> Progress.none())),
                rows(log));
    }

    @Test
    void modelWhoseInputShapeDoesNotFitTheDataIsRejected() {
        Classifier other = Classifier.of(b -> b, 2, 3, 32, 32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExampleLoop.run(new RunSpec.Certify(Smoothing.gaussian(0.5), CONFIG), other, data(5), DESCRIBE,
                        dir.resolve("x.tsv"), false, t -> Progress.none()));
        assertEquals("data set synthetic has images of shape [1, 2, 2] but the model expects [3, 32, 32] "
                + "(channels, height, width)", e.getMessage());
    }

    @Test
    void settingsErrorsNameTheValue() {
        assertEquals("--n0 must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> CONFIG.withN0(0)).getMessage());
        assertEquals("--n must be >= 1, got -5",
                assertThrows(IllegalArgumentException.class, () -> CONFIG.withN(-5)).getMessage());
        assertEquals("--alpha must be in (0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> CONFIG.withAlpha(1)).getMessage());
    }
}
