package org.smoothing4j;

import java.io.Serializable;
import java.util.Map;
import org.smoothing4j.attack.AttackRun;
import org.smoothing4j.attack.AttackSpec;
import org.smoothing4j.certify.CertifyConfig;
import org.smoothing4j.certify.CertifyRun;
import org.smoothing4j.certify.DeterministicL1;
import org.smoothing4j.certify.Looks;
import org.smoothing4j.certify.RunPlan;
import org.smoothing4j.certify.SequentialConfig;
import org.smoothing4j.certify.SmoothedClassifier;
import org.smoothing4j.certify.Smoothing;
import org.smoothing4j.model.Classifier;

/**
 * A run over test examples as its flags describe it, independent of the machine: the kind ({@code certify},
 * {@code certify-sequential}, {@code certify-deterministic-l1}, {@code predict}, {@code predict-sequential},
 * {@code attack}), the noise level and the
 * settings of that kind. Serializable, so that a distributed run sends it to its machines, which build the same
 * {@link RunPlan} on their own copy of the model: every machine computes the rows one machine would.
 *
 * @param sequential the sequential settings (kind certify-sequential), else null
 * @param attack     the attack (kind attack), else null
 * @param soundGrid  0 for the standard mode, else the grid's levels L of the sound mode (255 for 8-bit images;
 *                   {@link SmoothedClassifier#withSoundGrid}); not for attacks; for kind certify-deterministic-l1 the
 *                   grid of its splitting noise ({@link DeterministicL1}), required
 * @param smoothing  the noise family and the norm of the radii ({@link Smoothing}; Gaussian L2 for attacks)
 */
public record RunSpec(String kind, double sigma, CertifyConfig config, SequentialConfig sequential, AttackSpec attack,
        int soundGrid, Smoothing smoothing) implements Serializable {

    /** A run with Gaussian noise and L2 radii. */
    public RunSpec(String kind, double sigma, CertifyConfig config, SequentialConfig sequential, AttackSpec attack,
            int soundGrid) {
        this(kind, sigma, config, sequential, attack, soundGrid, Smoothing.GAUSSIAN_L2);
    }

    /** A run in the standard mode. */
    public RunSpec(String kind, double sigma, CertifyConfig config, SequentialConfig sequential, AttackSpec attack) {
        this(kind, sigma, config, sequential, attack, 0);
    }

    public RunSpec {
        require(soundGrid >= 0 && soundGrid <= 65535, "--grid-levels must be in [1, 65535], got " + soundGrid);
        require(soundGrid == 0 || !kind.equals("attack"), "--sound applies to predict and certify, not to attacks");
        require(smoothing != null, "the noise family and norm are required");
        require(smoothing.isDefault() || !kind.equals("attack"), "attacks run on Gaussian smoothing in L2: --noise "
                + "and --norm apply to predict and certify");
        boolean deterministic = kind.equals(DETERMINISTIC_L1);
        require(!deterministic || soundGrid > 0, "the deterministic L1 certificate needs the images' grid levels");
        require(!deterministic || smoothing.isDefault(), "--deterministic-l1 has its own noise (splitting noise, "
                + "Levine & Feizi 2021) and norm (L1): not with --noise or --norm");
        if (!deterministic && soundGrid > 0) {
            smoothing.checkSound();
        }
        if (config.twoSidedRadius()) {
            smoothing.checkTwoSidedRadius();
        }
        switch (kind) {
            case "certify", "predict", "predict-sequential", DETERMINISTIC_L1 -> { }
            case "certify-sequential" -> require(sequential != null, "sequential certify needs its settings");
            case "attack" -> require(attack != null, "an attack run needs its attack");
            default -> throw new IllegalArgumentException("unknown run kind '" + kind + "'");
        }
    }

    /** The kind of Levine &amp; Feizi's deterministic L1 certificate ({@link DeterministicL1}). */
    public static final String DETERMINISTIC_L1 = "certify-deterministic-l1";

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The plan of this run on a base classifier; {@code describe} goes into its settings (data set, model). */
    public RunPlan plan(Classifier base, Map<String, Object> describe) {
        if (kind.equals(DETERMINISTIC_L1)) {
            return CertifyRun.deterministicL1Plan(deterministic(base), config, describe);
        }
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

    /** The deterministic L1 certificate of this run (kind certify-deterministic-l1) over a base classifier. */
    public DeterministicL1 deterministic(Classifier base) {
        return DeterministicL1.withGrid(base, sigma, soundGrid).withBatchSize(config.batch());
    }

    /**
     * Checks the selected images as this run needs them (on the grid for the sound and deterministic modes, in [0,1]
     * for --box) before any file is written.
     */
    public void checkInputs(Classifier base, org.smoothing4j.data.LabeledImages data) {
        if (kind.equals(DETERMINISTIC_L1)) {
            CertifyRun.checkGrid(deterministic(base), data, config.selection());
        } else if (!kind.equals("attack")) {
            CertifyRun.checkInputs(smoothed(base), data, config.selection());
        }
    }

    /** The smoothed classifier of this run over a base classifier (sound when {@code soundGrid > 0}). */
    public SmoothedClassifier smoothed(Classifier base) {
        SmoothedClassifier g = SmoothedClassifier.of(base, sigma);
        g = smoothing.isDefault() ? g : g.withSmoothing(smoothing);
        return soundGrid > 0 ? g.withSoundGrid(soundGrid) : g;
    }
}
