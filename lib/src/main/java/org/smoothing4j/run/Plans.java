package org.smoothing4j.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.attack.Attack;
import org.smoothing4j.attack.AttackRun;
import org.smoothing4j.attack.AttackSpec;
import org.smoothing4j.certify.Certificate;
import org.smoothing4j.certify.CertifyConfig;
import org.smoothing4j.certify.DeterministicL1;
import org.smoothing4j.certify.Looks;
import org.smoothing4j.certify.Norm;
import org.smoothing4j.certify.Prediction;
import org.smoothing4j.certify.SequentialCertificate;
import org.smoothing4j.certify.SequentialConfig;
import org.smoothing4j.certify.SmoothedClassifier;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.NoiseSource;
import org.smoothing4j.noise.Seeds;
import org.smoothing4j.noise.SplitNoise;

/**
 * The plan of each run kind: its log's header, the settings stored beside the log, and the step that computes one
 * example's fields. Each example's noise comes from its own stream {@link Seeds#forExample}(seed, idx), so a sharded,
 * resumed or distributed run writes the rows (but for the time column) of one uninterrupted run.
 */
public final class Plans {
    /** The reference code's certify log. */
    public static final List<String> CERTIFY_HEADER = List.of("idx", "label", "predict", "radius", "correct", "time");
    /** The reference code's predict log. */
    public static final List<String> PREDICT_HEADER = List.of("idx", "label", "predict", "correct", "time");
    /** Sequential logs: the reference columns and the samples drawn per example (n0 + second stage). */
    public static final List<String> SEQUENTIAL_CERTIFY_HEADER = List.of("idx", "label", "predict", "radius", "correct",
            "samples", "time");
    public static final List<String> SEQUENTIAL_PREDICT_HEADER = List.of("idx", "label", "predict", "correct",
            "samples", "time");
    /** Attack logs: basePredict is the base classifier on the attacked image without noise, norm ||delta||_2. */
    public static final List<String> ATTACK_HEADER = List.of("idx", "label", "predict", "basePredict", "correct",
            "norm", "time");

    /** The kind of Levine &amp; Feizi's deterministic L1 certificate, as its settings name it. */
    public static final String DETERMINISTIC_L1 = "certify-deterministic-l1";

    private Plans() {}

    /** CERTIFY (one- or two-sided radius, as g's smoothing says): idx label predict radius correct time. */
    public static RunPlan certify(SmoothedClassifier g, CertifyConfig config, Map<String, Object> describe) {
        SmoothedClassifier s = g.withBatchSize(config.batch());
        return new RunPlan("certify", CERTIFY_HEADER, settings("certify", s, config, describe), (idx, x, label) -> {
            Certificate c = s.certify(x, config.n0(), config.n(), config.alpha(), Seeds.forExample(config.seed(), idx));
            return List.of(Integer.toString(c.prediction()), s.formatRadius(c.radius()), correct(c.prediction(), label));
        }, s);
    }

    /**
     * Sequential CERTIFY at target radii ({@link SmoothedClassifier#certifyAtRadii}): idx label predict radius correct
     * samples time; the radius a valid certificate, certified accuracy exact at the target radii; n in the settings
     * is n_max (config's n is not used).
     */
    public static RunPlan certifySequential(SmoothedClassifier g, CertifyConfig config, SequentialConfig sequential,
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
                            correct(c.prediction(), label), Long.toString(config.n0() + c.drawn()));
                }, s);
    }

    /**
     * Levine &amp; Feizi's deterministic L1 certificate ({@link DeterministicL1}): idx label predict radius correct time,
     * the radius in L1 on the images' grid; exact, so alpha, n0, n and the seed play no part and are not stored; the
     * settings state the shifts (forward passes per image).
     */
    public static RunPlan certifyDeterministicL1(DeterministicL1 d, CertifyConfig config,
            Map<String, Object> describe) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", DETERMINISTIC_L1);
        s.putAll(describe);
        s.put("sigma", d.split().sigma());
        s.put("noise", "split");
        s.put("family", "split (deterministic)");
        s.put("norm", Norm.L1.id());
        s.put("deterministic", true);
        s.put("gridLevels", d.split().levels());
        s.put("shifts", d.split().shifts());
        s.put("forwardPassesPerImage", d.split().shifts());
        s.put("templateSeed", SplitNoise.TEMPLATE_SEED);
        s.put("radiusFormula", "floor((c1 - c2 - [idx2 < idx1]) / 2) / Q over all L shifts (Levine & Feizi 2021)");
        s.put("batch", config.batch());
        s.put("skip", config.selection().skip());
        s.put("max", config.selection().max());
        s.put("start", config.selection().start());
        s.put("end", config.selection().end());
        s.put("inference", d.base().inference());
        return new RunPlan(DETERMINISTIC_L1, CERTIFY_HEADER, s, (idx, x, label) -> {
            Certificate c = d.certify(x);
            return List.of(Integer.toString(c.prediction()), d.formatRadius(c.radius()),
                    correct(c.prediction(), label));
        });
    }

    /** PREDICT (n samples, level alpha; n0 is not used): idx label predict correct time. */
    public static RunPlan predict(SmoothedClassifier g, CertifyConfig config, Map<String, Object> describe) {
        SmoothedClassifier s = g.withBatchSize(config.batch());
        return new RunPlan("predict", PREDICT_HEADER, settings("predict", s, config, describe), (idx, x, label) -> {
            Prediction p = s.predict(x, config.n(), config.alpha(), Seeds.forExample(config.seed(), idx));
            return List.of(Integer.toString(p.prediction()), correct(p.prediction(), label));
        }, s);
    }

    /**
     * Sequential PREDICT with at most n samples, looking at the counts of the default schedule: idx label predict
     * correct samples time; n in the settings is n_max.
     */
    public static RunPlan predictSequential(SmoothedClassifier g, CertifyConfig config, Map<String, Object> describe) {
        SmoothedClassifier s = g.withBatchSize(config.batch());
        Looks looks = Looks.defaults(config.n(), config.batch());
        Map<String, Object> extra = new LinkedHashMap<>(describe);
        extra.put("nMax", looks.last());
        extra.put("looks", looks.describe());
        CertifyConfig stored = config.withN(Math.toIntExact(looks.last()));
        return new RunPlan("predict-sequential", SEQUENTIAL_PREDICT_HEADER,
                settings("predict-sequential", s, stored, extra), (idx, x, label) -> {
                    Prediction p = s.predictSequential(x, looks, config.alpha(), Seeds.forExample(config.seed(), idx));
                    return List.of(Integer.toString(p.prediction()), correct(p.prediction(), label),
                            Long.toString(p.drawn()));
                }, s);
    }

    /**
     * An attack on each image, then PREDICT on the attacked image ({@link AttackRun}): idx label predict basePredict
     * correct norm time. The attack's noise comes from the example's own stream, PREDICT's from the same stream as a
     * predict run's.
     *
     * @param attack the attack, with its objective set for SMOOTH/NAIVE (BASE attacks the noiseless base classifier)
     * @param mTest  noise samples of the attack
     * @param config PREDICT's n, alpha, batch, seed and the example selection
     */
    public static RunPlan attack(SmoothedClassifier g, Attack attack, AttackRun.Target target, int mTest,
            CertifyConfig config, Map<String, Object> describe) {
        AttackSpec.checkMTest(mTest);
        Classifier f = g.base();
        SmoothedClassifier smoothed = g.withBatchSize(config.batch());
        Map<String, Object> settings = new LinkedHashMap<>(describe);
        settings.put("kind", "attack");
        settings.put("sigma", g.sigma());
        settings.put("attack", attack.toString());
        settings.put("target", target.id());
        settings.put("mTest", mTest);
        settings.putAll(config.toMap());
        settings.put("noise", smoothed.noiseName()); // PREDICT's, as a predict run's settings record it
        settings.put("inference", f.inference());
        NoiseSource noise = NoiseSource.nd4j();
        return new RunPlan("attack", ATTACK_HEADER, settings, (idx, x, label) -> {
            noise.reseed(Seeds.forPurpose(Seeds.forExample(config.seed(), idx), "attack"));
            INDArray delta = AttackRun.perturbation(f, attack, target, mTest, g.sigma(), noise, x, label);
            INDArray adv = x.add(delta);
            Prediction p = smoothed.predict(adv, config.n(), config.alpha(), Seeds.forExample(config.seed(), idx));
            int base = f.scores(adv).argMax(1).getInt(0);
            return List.of(Integer.toString(p.prediction()), Integer.toString(base), correct(p.prediction(), label),
                    String.format(Locale.ROOT, "%.4f", delta.norm2Number().doubleValue()));
        }, smoothed);
    }

    /**
     * The settings a certify or predict run stores beside its log: kind, what describes data and model, the
     * smoothing (sigma, noise, the sound mode, family and norm), the config, and the two-sided radius if used.
     */
    public static Map<String, Object> settings(String kind, SmoothedClassifier g, CertifyConfig config,
            Map<String, Object> describe) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", kind);
        s.putAll(describe);
        long[] shape = g.base().inputShape();
        s.putAll(g.smoothing().toMap(shape[0] * shape[1] * shape[2]));
        s.putAll(config.toMap());
        s.putAll(g.smoothing().radiusMap());
        s.put("inference", g.base().inference());
        return s;
    }

    private static String correct(int prediction, int label) {
        return prediction == label ? "1" : "0";
    }
}
