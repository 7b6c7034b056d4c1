package org.smoothing4j.certify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.io.Progress;
import org.smoothing4j.io.TsvLog;
import org.smoothing4j.noise.GridNoise;
import org.smoothing4j.noise.Seeds;

/**
 * Certify or predict every selected example of a data set into a log in the reference format (SPEC 4):
 * {@code idx label predict radius correct time} for certify, {@code idx label predict correct time} for predict.
 * Each example's noise comes from its own stream {@link Seeds#forExample(long, long)}, so a sharded or resumed run
 * writes the same rows (but for the time column) as one uninterrupted run.
 */
public final class CertifyRun {
    public static final List<String> CERTIFY_HEADER = List.of("idx", "label", "predict", "radius", "correct", "time");
    public static final List<String> PREDICT_HEADER = List.of("idx", "label", "predict", "correct", "time");
    /** Sequential logs: the reference columns and the samples drawn per example (n0 + second stage). */
    public static final List<String> SEQUENTIAL_CERTIFY_HEADER = List.of("idx", "label", "predict", "radius", "correct",
            "samples", "time");
    public static final List<String> SEQUENTIAL_PREDICT_HEADER = List.of("idx", "label", "predict", "correct",
            "samples", "time");

    private CertifyRun() {}

    /**
     * Runs CERTIFY over the selection into {@code out}; with {@code resume}, continues an existing log of the same
     * settings. {@code describe} names the data set and model in the stored settings (e.g. dataset, model path).
     */
    public static Path certify(SmoothedClassifier g, LabeledImages data, CertifyConfig config, Path out,
            boolean resume, Map<String, Object> describe, LongFunction<Progress> progress) throws IOException {
        g.base().checkInputShape(data.imageShape(), "data set " + data.name());
        checkInputs(g, data, config.selection());
        return run(certifyPlan(g, config, describe), data, config.selection(), out, resume, progress);
    }

    /**
     * Runs sequential CERTIFY at target radii ({@link SmoothedClassifier#certifyAtRadii}) over the selection into
     * {@code out}: the reference columns (the radius a valid certificate; certified accuracy exact at the target
     * radii) and the samples drawn. {@code config}'s n is not used: {@code sequential} gives n_max.
     */
    public static Path certifySequential(SmoothedClassifier g, LabeledImages data, CertifyConfig config,
            SequentialConfig sequential, Path out, boolean resume, Map<String, Object> describe,
            LongFunction<Progress> progress) throws IOException {
        g.base().checkInputShape(data.imageShape(), "data set " + data.name());
        checkInputs(g, data, config.selection());
        return run(sequentialPlan(g, config, sequential, describe), data, config.selection(), out, resume, progress);
    }

    /** Runs sequential PREDICT with at most n_max samples (the schedule's last look) over the selection. */
    public static Path predictSequential(SmoothedClassifier g, LabeledImages data, CertifyConfig config, Looks looks,
            Path out, boolean resume, Map<String, Object> describe, LongFunction<Progress> progress)
            throws IOException {
        g.base().checkInputShape(data.imageShape(), "data set " + data.name());
        checkInputs(g, data, config.selection());
        return run(predictSequentialPlan(g, config, looks, describe), data, config.selection(), out, resume, progress);
    }

    /** Runs PREDICT (n samples, level alpha) over the selection into {@code out}; n0 is not used. */
    public static Path predict(SmoothedClassifier g, LabeledImages data, CertifyConfig config, Path out,
            boolean resume, Map<String, Object> describe, LongFunction<Progress> progress) throws IOException {
        g.base().checkInputShape(data.imageShape(), "data set " + data.name());
        checkInputs(g, data, config.selection());
        return run(predictPlan(g, config, describe), data, config.selection(), out, resume, progress);
    }

    /** CERTIFY's plan: idx label predict radius correct time. */
    public static RunPlan certifyPlan(SmoothedClassifier g, CertifyConfig config, Map<String, Object> describe) {
        SmoothedClassifier s = g.withBatchSize(config.batch());
        return new RunPlan("certify", CERTIFY_HEADER, settings("certify", s, config, describe), (idx, x, label) -> {
            long seed = Seeds.forExample(config.seed(), idx);
            Certificate c = config.twoSidedRadius() ? s.certifyTwoSided(x, config.n0(), config.n(), config.alpha(), seed)
                    : s.certify(x, config.n0(), config.n(), config.alpha(), seed);
            return List.of(Integer.toString(c.prediction()), s.formatRadius(c.radius()),
                    c.prediction() == label ? "1" : "0");
        });
    }

    /**
     * The deterministic L1 certificate's plan (Levine &amp; Feizi 2021, {@link DeterministicL1}): idx label predict
     * radius correct time, the radius in L1 on the images' grid; exact, so alpha, n0, n and the seed play no part and
     * are not stored; the settings state the shifts (forward passes per image).
     */
    public static RunPlan deterministicL1Plan(DeterministicL1 d, CertifyConfig config, Map<String, Object> describe) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", org.smoothing4j.RunSpec.DETERMINISTIC_L1);
        s.putAll(describe);
        s.put("sigma", d.split().sigma());
        s.put("noise", "split");
        s.put("family", "split (deterministic)");
        s.put("norm", Norm.L1.id());
        s.put("deterministic", true);
        s.put("gridLevels", d.split().levels());
        s.put("shifts", d.split().shifts());
        s.put("forwardPassesPerImage", d.split().shifts());
        s.put("templateSeed", org.smoothing4j.noise.SplitNoise.TEMPLATE_SEED);
        s.put("radiusFormula", "floor((c1 - c2 - [idx2 < idx1]) / 2) / Q over all L shifts (Levine & Feizi 2021)");
        s.put("batch", config.batch());
        s.put("skip", config.selection().skip());
        s.put("max", config.selection().max());
        s.put("start", config.selection().start());
        s.put("end", config.selection().end());
        return new RunPlan(org.smoothing4j.RunSpec.DETERMINISTIC_L1, CERTIFY_HEADER, s, (idx, x, label) -> {
            Certificate c = d.certify(x);
            return List.of(Integer.toString(c.prediction()), Claims.formatDown(c.radius()),
                    c.prediction() == label ? "1" : "0");
        });
    }

    /** Checks that every selected image lies on the splitting noise's grid, before any file is written. */
    public static void checkGrid(DeterministicL1 d, LabeledImages data, ExampleSelection selection) {
        checkEachImage(data, selection, "--deterministic-l1: ", x -> d.split().gridOf(x));
    }


    /** Sequential CERTIFY's plan: idx label predict radius correct samples time; n in the settings is n_max. */
    public static RunPlan sequentialPlan(SmoothedClassifier g, CertifyConfig config, SequentialConfig sequential,
            Map<String, Object> describe) {
        SmoothedClassifier s = g.withBatchSize(config.batch());
        Looks looks = sequential.looks(config.batch());
        Map<String, Object> extra = new LinkedHashMap<>(describe);
        extra.putAll(sequential.toMap(config.batch()));
        CertifyConfig stored = config.withN(Math.toIntExact(sequential.nMax()));
        return new RunPlan("certify-sequential", SEQUENTIAL_CERTIFY_HEADER,
                settings("certify-sequential", s, stored, extra), (idx, x, label) -> {
                    SequentialCertificate c = s.certifyAtRadii(x, sequential.radii(), config.n0(), looks,
                            config.alpha(), sequential.futility(), sequential.bound(),
                            Seeds.forExample(config.seed(), idx));
                    return List.of(Integer.toString(c.prediction()), s.formatRadius(c.radius()),
                            c.prediction() == label ? "1" : "0", Long.toString(config.n0() + c.drawn()));
                });
    }

    /** PREDICT's plan: idx label predict correct time. */
    public static RunPlan predictPlan(SmoothedClassifier g, CertifyConfig config, Map<String, Object> describe) {
        SmoothedClassifier s = g.withBatchSize(config.batch());
        return new RunPlan("predict", PREDICT_HEADER, settings("predict", s, config, describe), (idx, x, label) -> {
            Prediction p = s.predict(x, config.n(), config.alpha(), Seeds.forExample(config.seed(), idx));
            return List.of(Integer.toString(p.prediction()), p.prediction() == label ? "1" : "0");
        });
    }

    /** Sequential PREDICT's plan: idx label predict correct samples time; n in the settings is n_max. */
    public static RunPlan predictSequentialPlan(SmoothedClassifier g, CertifyConfig config, Looks looks,
            Map<String, Object> describe) {
        SmoothedClassifier s = g.withBatchSize(config.batch());
        Map<String, Object> extra = new LinkedHashMap<>(describe);
        extra.put("nMax", looks.last());
        extra.put("looks", looks.describe());
        CertifyConfig stored = config.withN(Math.toIntExact(looks.last()));
        return new RunPlan("predict-sequential", SEQUENTIAL_PREDICT_HEADER,
                settings("predict-sequential", s, stored, extra), (idx, x, label) -> {
                    Prediction p = s.predictSequential(x, looks, config.alpha(), Seeds.forExample(config.seed(), idx));
                    return List.of(Integer.toString(p.prediction()), p.prediction() == label ? "1" : "0",
                            Long.toString(p.drawn()));
                });
    }

    /** Runs a plan over the selected examples of a data set into {@code out} (continuing it with {@code resume}). */
    public static Path run(RunPlan plan, LabeledImages data, ExampleSelection selection, Path out, boolean resume,
            LongFunction<Progress> progress) throws IOException {
        try (TsvLog log = ExampleLoop.openLog(out, plan.header(), plan.settings(), resume, selection, data);
                Progress bar = progress.apply(ExampleLoop.remaining(data, selection, log))) {
            ExampleLoop.run(data, selection, log, bar, plan.step());
        }
        return out;
    }

    /** The settings a run stores beside its log: kind, what describes data and model, sigma, noise, the config. */
    public static Map<String, Object> settings(String kind, SmoothedClassifier g, CertifyConfig config,
            Map<String, Object> describe) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", kind);
        s.putAll(describe);
        s.put("sigma", g.sigma());
        s.put("noise", g.noise().name());
        if (g.noise() instanceof GridNoise grid) { // only then: the settings of standard runs stay as before
            s.put("sound", true);
            s.put("gridLevels", grid.distribution().levels());
        }
        long[] shape = g.base().inputShape();
        s.putAll(g.smoothing().toMap(g.sigma(), shape[0] * shape[1] * shape[2]));
        s.putAll(config.toMap());
        return s;
    }

    /**
     * For a sound smoothed classifier, checks that every selected image lies on its grid (before any log is opened,
     * so a refused run changes no file); nothing otherwise.
     */
    public static void checkInputs(SmoothedClassifier g, LabeledImages data, ExampleSelection selection) {
        if (g.smoothing().box()) { // the box certificate needs [0,1] pixels: refuse before any file is written
            checkEachImage(data, selection, "", x -> g.smoothing().radiusAt(g.sigma(), x));
        }
        if (g.noise() instanceof GridNoise grid) {
            checkEachImage(data, selection, "--sound: ", grid::gridOf);
        }
    }

    /** Runs {@code check} on every selected image; its error, if any, names the image: PREFIX image i of data set D. */
    private static void checkEachImage(LabeledImages data, ExampleSelection selection, String prefix,
            java.util.function.Consumer<org.nd4j.linalg.api.ndarray.INDArray> check) {
        selection.indices(data.size()).forEach(i -> {
            try {
                check.accept(data.image(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + "image " + i + " of data set " + data.name() + ": "
                        + e.getMessage(), e);
            }
        });
    }
}
