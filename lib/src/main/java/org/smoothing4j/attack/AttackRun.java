package org.smoothing4j.attack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.certify.CertifyConfig;
import org.smoothing4j.certify.CertifyRun;
import org.smoothing4j.certify.Prediction;
import org.smoothing4j.certify.RunPlan;
import org.smoothing4j.certify.SmoothedClassifier;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.io.Progress;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.NoiseSource;
import org.smoothing4j.noise.Seeds;

/**
 * Empirical robustness of a smoothed classifier (Salman et al., section 4 / SPEC 8): attack each selected image with
 * an L2 attack on objective (S), the naive objective, or the base classifier without noise, using m_test noise
 * samples, then run PREDICT on the attacked image. Log: {@code idx label predict basePredict correct norm time}
 * (basePredict: the base classifier on the attacked image without noise; norm: ||delta||_2).
 */
public final class AttackRun {
    public static final List<String> HEADER = List.of("idx", "label", "predict", "basePredict", "correct", "norm",
            "time");

    /** What the attack maximises. */
    public enum Target { SMOOTH, NAIVE, BASE }

    private AttackRun() {}

    /**
     * @param attack  the attack, with its objective set for SMOOTH/NAIVE (BASE attacks the noiseless base classifier)
     * @param mTest   noise samples of the attack
     * @param config  PREDICT's n, alpha, batch, seed and the example selection
     */
    public static Path run(SmoothedClassifier g, Attack attack, Target target, int mTest, LabeledImages data,
            CertifyConfig config, Path out, boolean resume, Map<String, Object> describe,
            LongFunction<Progress> progress) throws IOException {
        g.base().checkInputShape(data.imageShape(), "data set " + data.name());
        return CertifyRun.run(plan(g, attack, target, mTest, config, describe), data, config.selection(), out, resume,
                progress);
    }

    /** The attack run's plan: idx label predict basePredict correct norm time. */
    public static RunPlan plan(SmoothedClassifier g, Attack attack, Target target, int mTest, CertifyConfig config,
            Map<String, Object> describe) {
        if (mTest < 1) {
            throw new IllegalArgumentException("--m-test must be >= 1, got " + mTest);
        }
        Classifier f = g.base();
        SmoothedClassifier smoothed = g.withBatchSize(config.batch());
        Map<String, Object> settings = new LinkedHashMap<>(describe);
        settings.put("kind", "attack");
        settings.put("sigma", g.sigma());
        settings.put("attack", attack.toString());
        settings.put("target", target.name().toLowerCase(Locale.ROOT));
        settings.put("mTest", mTest);
        settings.putAll(config.toMap());
        NoiseSource noise = NoiseSource.nd4j();
        return new RunPlan("attack", HEADER, settings, (idx, x, label) -> {
            noise.reseed(Seeds.forPurpose(Seeds.forExample(config.seed(), idx), "attack"));
            int m = target == Target.BASE ? 1 : mTest;
            long[] shape = x.shape().clone();
            shape[0] = m;
            INDArray copies = Nd4j.create(x.dataType(), shape);
            if (target != Target.BASE) {
                noise.fill(copies, g.sigma());
            }
            INDArray delta = attack.perturbation(f, x, new int[] {label}, copies, noise);
            INDArray adv = x.add(delta);
            Prediction p = smoothed.predict(adv, config.n(), config.alpha(), Seeds.forExample(config.seed(), idx));
            int base = f.scores(adv).argMax(1).getInt(0);
            return List.of(Integer.toString(p.prediction()), Integer.toString(base),
                    p.prediction() == label ? "1" : "0",
                    String.format(Locale.ROOT, "%.4f", delta.norm2Number().doubleValue()));
        });
    }
}
