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

    private CertifyRun() {}

    /**
     * Runs CERTIFY over the selection into {@code out}; with {@code resume}, continues an existing log of the same
     * settings. {@code describe} names the data set and model in the stored settings (e.g. dataset, model path).
     */
    public static Path certify(SmoothedClassifier g, LabeledImages data, CertifyConfig config, Path out,
            boolean resume, Map<String, Object> describe, LongFunction<Progress> progress) throws IOException {
        return run("certify", CERTIFY_HEADER, g, data, config, out, resume, describe, progress, (s, idx, x, label) -> {
            Certificate c = s.certify(x, config.n0(), config.n(), config.alpha(), Seeds.forExample(config.seed(), idx));
            return List.of(Integer.toString(c.prediction()), LogFormat.radius(c.radius()),
                    c.prediction() == label ? "1" : "0");
        });
    }

    /** Runs PREDICT (n samples, level alpha) over the selection into {@code out}; n0 is not used. */
    public static Path predict(SmoothedClassifier g, LabeledImages data, CertifyConfig config, Path out,
            boolean resume, Map<String, Object> describe, LongFunction<Progress> progress) throws IOException {
        return run("predict", PREDICT_HEADER, g, data, config, out, resume, describe, progress, (s, idx, x, label) -> {
            Prediction p = s.predict(x, config.n(), config.alpha(), Seeds.forExample(config.seed(), idx));
            return List.of(Integer.toString(p.prediction()), p.prediction() == label ? "1" : "0");
        });
    }

    /** One example's middle fields, from the smoothed classifier with the run's batch size. */
    private interface Row {
        List<String> fields(SmoothedClassifier smoothed, int idx, org.nd4j.linalg.api.ndarray.INDArray x, int label);
    }

    private static Path run(String kind, List<String> header, SmoothedClassifier g, LabeledImages data,
            CertifyConfig config, Path out, boolean resume, Map<String, Object> describe,
            LongFunction<Progress> progress, Row row) throws IOException {
        g.base().checkInputShape(data.imageShape(), "data set " + data.name());
        SmoothedClassifier smoothed = g.withBatchSize(config.batch());
        try (TsvLog log = ExampleLoop.openLog(out, header, settings(kind, smoothed, config, describe), resume,
                config.selection(), data);
                Progress bar = progress.apply(ExampleLoop.remaining(data, config.selection(), log))) {
            ExampleLoop.run(data, config.selection(), log, bar, (idx, x, label) -> row.fields(smoothed, idx, x, label));
        }
        return out;
    }

    private static Map<String, Object> settings(String kind, SmoothedClassifier g, CertifyConfig config,
            Map<String, Object> describe) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", kind);
        s.putAll(describe);
        s.put("sigma", g.sigma());
        s.put("noise", g.noise().name());
        s.putAll(config.toMap());
        return s;
    }
}
