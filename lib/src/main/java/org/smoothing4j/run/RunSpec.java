package org.smoothing4j.run;

import java.io.Serializable;
import java.util.Map;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.attack.AttackSpec;
import org.smoothing4j.certify.CertifyConfig;
import org.smoothing4j.certify.DeterministicL1;
import org.smoothing4j.certify.ExampleSelection;
import org.smoothing4j.certify.SequentialConfig;
import org.smoothing4j.certify.SmoothedClassifier;
import org.smoothing4j.certify.Smoothing;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.GridLevels;
import org.smoothing4j.noise.SplitNoise;

/**
 * A run over test examples as its flags describe it, independent of the machine: one record per run kind, each
 * checked where it is built and serializable, so that a distributed run sends it to its machines, which build the
 * same {@link RunPlan} on their own copy of the model: every machine computes the rows one machine would.
 */
public sealed interface RunSpec extends Serializable {

    /** The examples, the samples, alpha, batch and seed. */
    CertifyConfig config();

    /** The plan of this run on a base classifier; {@code describe} goes into its settings (data set, model). */
    RunPlan plan(Classifier base, Map<String, Object> describe);

    /**
     * Checks the selected images as this run needs them (on the grid for the sound and deterministic modes, in [0,1]
     * for --box) before any file is written; nothing for the others.
     */
    default void checkInputs(Classifier base, LabeledImages data) {}

    /**
     * Whether the run backpropagates through the base classifier (an attack with backprop gradients): it then needs the
     * network itself, not a concurrent copy of it (copies compute scores only).
     */
    default boolean backprop() {
        return false;
    }

    /** CERTIFY (Cohen et al.), with the smoothing's noise, norm and modes. */
    record Certify(Smoothing smoothing, CertifyConfig config) implements RunSpec {
        public Certify {
            require(smoothing != null && config != null, "certify needs its smoothing and settings");
        }

        @Override
        public RunPlan plan(Classifier base, Map<String, Object> describe) {
            return Plans.certify(SmoothedClassifier.of(base, smoothing), config, describe);
        }

        @Override
        public void checkInputs(Classifier base, LabeledImages data) {
            checkSmoothingInputs(smoothing, data, config.selection());
        }
    }

    /** Sequential CERTIFY at target radii; config's n is replaced by the sequential settings' n_max. */
    record CertifySequential(Smoothing smoothing, CertifyConfig config, SequentialConfig sequential)
            implements RunSpec {
        public CertifySequential {
            require(smoothing != null && config != null && sequential != null,
                    "sequential certify needs its smoothing and settings");
            require(!smoothing.twoSidedRadius(), "--two-sided-radius applies to fixed-n CERTIFY, not with --radii");
            sequential.looks(config.batch()); // checks the schedule
        }

        @Override
        public RunPlan plan(Classifier base, Map<String, Object> describe) {
            return Plans.certifySequential(SmoothedClassifier.of(base, smoothing), config, sequential, describe);
        }

        @Override
        public void checkInputs(Classifier base, LabeledImages data) {
            checkSmoothingInputs(smoothing, data, config.selection());
        }
    }

    /**
     * Levine &amp; Feizi's deterministic L1 certificate: splitting noise at sigma on the images' grid m / gridLevels,
     * every shift evaluated; config's n0, n, alpha and seed play no part.
     */
    record CertifyDeterministicL1(double sigma, int gridLevels, CertifyConfig config) implements RunSpec {
        public CertifyDeterministicL1 {
            Smoothing.checkSigma(sigma);
            GridLevels.check(gridLevels);
            SplitNoise.shifts(sigma, gridLevels); // checks that the grid gives at least one shift
            require(config != null, "the deterministic L1 certificate needs its settings");
        }

        /** The certificate over a base classifier. */
        public DeterministicL1 certificate(Classifier base) {
            return DeterministicL1.withGrid(base, sigma, gridLevels).withBatchSize(config.batch());
        }

        @Override
        public RunPlan plan(Classifier base, Map<String, Object> describe) {
            return Plans.certifyDeterministicL1(certificate(base), config, describe);
        }

        @Override
        public void checkInputs(Classifier base, LabeledImages data) {
            SplitNoise split = certificate(base).split();
            checkEachImage(data, config.selection(), "--deterministic-l1: ", split::gridOf);
        }
    }

    /** PREDICT (Cohen et al.); config's n0 is not used. */
    record Predict(Smoothing smoothing, CertifyConfig config) implements RunSpec {
        public Predict {
            require(smoothing != null && config != null, "predict needs its smoothing and settings");
            requirePredictable(smoothing);
        }

        @Override
        public RunPlan plan(Classifier base, Map<String, Object> describe) {
            return Plans.predict(SmoothedClassifier.of(base, smoothing), config, describe);
        }

        @Override
        public void checkInputs(Classifier base, LabeledImages data) {
            checkSmoothingInputs(smoothing, data, config.selection());
        }
    }

    /** Sequential PREDICT: config's n is n_max, looked at on the default schedule. */
    record PredictSequential(Smoothing smoothing, CertifyConfig config) implements RunSpec {
        public PredictSequential {
            require(smoothing != null && config != null, "sequential predict needs its smoothing and settings");
            requirePredictable(smoothing);
        }

        @Override
        public RunPlan plan(Classifier base, Map<String, Object> describe) {
            return Plans.predictSequential(SmoothedClassifier.of(base, smoothing), config, describe);
        }

        @Override
        public void checkInputs(Classifier base, LabeledImages data) {
            checkSmoothingInputs(smoothing, data, config.selection());
        }
    }

    /** An attack on each image, then PREDICT (n of config) on the attacked image; Gaussian smoothing in L2 only. */
    record Attack(Smoothing smoothing, CertifyConfig config, AttackSpec attack) implements RunSpec {
        public Attack {
            require(smoothing != null && config != null && attack != null, "an attack run needs its attack");
            require(!smoothing.sound(), "--sound applies to predict and certify, not to attacks");
            require(smoothing.equals(Smoothing.gaussian(smoothing.sigma())), "attacks run on Gaussian smoothing in "
                    + "L2: --noise and --norm apply to predict and certify");
        }

        @Override
        public boolean backprop() {
            return attack.grad().equals("backprop");
        }

        @Override
        public RunPlan plan(Classifier base, Map<String, Object> describe) {
            return Plans.attack(SmoothedClassifier.of(base, smoothing), attack.build(smoothing.sigma()),
                    attack.target(), attack.mTest(), config, describe);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** PREDICT certifies no radius: the modes of the radius do not apply. */
    private static void requirePredictable(Smoothing smoothing) {
        require(!smoothing.box() && !smoothing.twoSidedRadius(), "--box and --two-sided-radius are certificates' "
                + "radii: predict certifies none");
    }

    /** The sound mode's grid and the box certificate's [0,1] pixels, checked on every selected image. */
    private static void checkSmoothingInputs(Smoothing smoothing, LabeledImages data, ExampleSelection selection) {
        if (smoothing.box()) {
            checkEachImage(data, selection, "", smoothing::checkBoxInput);
        }
        if (smoothing.sound()) {
            checkEachImage(data, selection, "--sound: ", smoothing::checkGridInput);
        }
    }

    /** Runs {@code check} on every selected image; its error, if any, names the image: PREFIX image i of data set D. */
    private static void checkEachImage(LabeledImages data, ExampleSelection selection, String prefix,
            Consumer<INDArray> check) {
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
