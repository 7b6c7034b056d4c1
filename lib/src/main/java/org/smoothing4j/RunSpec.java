package org.smoothing4j;

import java.io.Serializable;
import java.util.Map;
import org.smoothing4j.attack.AttackRun;
import org.smoothing4j.attack.AttackSpec;
import org.smoothing4j.certify.CertifyConfig;
import org.smoothing4j.certify.CertifyRun;
import org.smoothing4j.certify.Looks;
import org.smoothing4j.certify.RunPlan;
import org.smoothing4j.certify.SequentialConfig;
import org.smoothing4j.certify.SmoothedClassifier;
import org.smoothing4j.model.Classifier;

/**
 * A run over test examples as its flags describe it, independent of the machine: the kind ({@code certify},
 * {@code certify-sequential}, {@code predict}, {@code predict-sequential}, {@code attack}), the noise level and the
 * settings of that kind. Serializable, so that a distributed run sends it to its machines, which build the same
 * {@link RunPlan} on their own copy of the model: every machine computes the rows one machine would.
 *
 * @param sequential the sequential settings (kind certify-sequential), else null
 * @param attack     the attack (kind attack), else null
 * @param soundGrid  0 for the standard mode, else the grid's levels L of the sound mode (255 for 8-bit images;
 *                   {@link SmoothedClassifier#withSoundGrid}); not for attacks
 */
public record RunSpec(String kind, double sigma, CertifyConfig config, SequentialConfig sequential, AttackSpec attack,
        int soundGrid) implements Serializable {

    /** A run in the standard mode. */
    public RunSpec(String kind, double sigma, CertifyConfig config, SequentialConfig sequential, AttackSpec attack) {
        this(kind, sigma, config, sequential, attack, 0);
    }

    public RunSpec {
        require(soundGrid >= 0 && soundGrid <= 65535, "--grid-levels must be in [1, 65535], got " + soundGrid);
        require(soundGrid == 0 || !kind.equals("attack"), "--sound applies to predict and certify, not to attacks");
        switch (kind) {
            case "certify", "predict", "predict-sequential" -> { }
            case "certify-sequential" -> require(sequential != null, "sequential certify needs its settings");
            case "attack" -> require(attack != null, "an attack run needs its attack");
            default -> throw new IllegalArgumentException("unknown run kind '" + kind + "'");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The plan of this run on a base classifier; {@code describe} goes into its settings (data set, model). */
    public RunPlan plan(Classifier base, Map<String, Object> describe) {
        SmoothedClassifier g = smoothed(base);
        return switch (kind) {
            case "certify" -> CertifyRun.certifyPlan(g, config, describe);
            case "certify-sequential" -> CertifyRun.sequentialPlan(g, config, sequential, describe);
            case "predict" -> CertifyRun.predictPlan(g, config, describe);
            case "predict-sequential" -> CertifyRun.predictSequentialPlan(g, config,
                    Looks.defaults(config.n(), config.batch()), describe);
            default -> AttackRun.plan(g, attack.build(sigma), attack.target(), attack.mTest(), config, describe);
        };
    }

    /** The smoothed classifier of this run over a base classifier (sound when {@code soundGrid > 0}). */
    public SmoothedClassifier smoothed(Classifier base) {
        SmoothedClassifier g = SmoothedClassifier.of(base, sigma);
        return soundGrid > 0 ? g.withSoundGrid(soundGrid) : g;
    }
}
