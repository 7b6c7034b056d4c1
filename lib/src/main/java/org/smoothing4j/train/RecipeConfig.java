package org.smoothing4j.train;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loss hyperparameters of the recipes after SmoothAdv, with their public code's defaults and the papers' names
 * (SPEC 13), one record per recipe. Copies per image (MACER's k, Consistency's and SmoothMix's m) and SmoothMix's steps
 * T are {@link TrainConfig.Recipe#noiseSamples} and {@link TrainConfig.Attack#steps}.
 */
public record RecipeConfig(MacerParams macer, ConsistencyParams consistency, SmoothMixParams smoothMix)
        implements Serializable {

    /**
     * MACER (Zhai et al., ICLR 2020).
     *
     * @param beta   inverse temperature beta of the soft smoothed classifier (16)
     * @param gamma  hinge gamma on the radius gap (8)
     * @param lambda weight lambda of the robustness loss (12)
     * @param delay  epochs MACER trains on its classification loss alone before the robustness loss joins (0: the
     *               public code; benchmark variants defer the robustness loss; on results/recipes' LeNet a delay of 1
     *               does not prevent the collapse at lambda 12)
     */
    public record MacerParams(double beta, double gamma, double lambda, int delay) implements Serializable {
        public MacerParams {
            positive("--beta", beta);
            positive("--gamma", gamma);
            nonNegative("--lambda", lambda);
            if (delay < 0) {
                throw new IllegalArgumentException("--lambda-delay must be >= 0 epochs, got " + delay);
            }
        }
    }

    /**
     * Consistency regularisation (Jeong &amp; Shin, NeurIPS 2020).
     *
     * @param lambda weight lambda of the KL term (10; the paper picks 5, 10 or 20 per sigma)
     * @param eta    weight eta of the entropy term (0.5)
     */
    public record ConsistencyParams(double lambda, double eta) implements Serializable {
        public ConsistencyParams {
            nonNegative("--consistency-lambda", lambda);
            nonNegative("--consistency-eta", eta);
        }
    }

    /**
     * SmoothMix (Jeong et al., NeurIPS 2021).
     *
     * @param alpha   attack step size alpha (1.0)
     * @param eta     weight eta of the mixup loss (1.0)
     * @param mixStep the attack step whose point is the clean side of the mixup (0: x itself)
     * @param maxNorm largest L2 norm of the adversarial perturbation (0: none)
     */
    public record SmoothMixParams(double alpha, double eta, int mixStep, double maxNorm) implements Serializable {
        public SmoothMixParams {
            positive("--alpha", alpha);
            nonNegative("--eta", eta);
            nonNegative("--max-norm", maxNorm);
            if (mixStep < 0) {
                throw new IllegalArgumentException("--mix-step must be >= 0, got " + mixStep);
            }
        }
    }

    public RecipeConfig {
        if (macer == null || consistency == null || smoothMix == null) {
            throw new IllegalArgumentException("every recipe's settings are required");
        }
    }

    private static void positive(String flag, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(flag + " must be a finite number > 0, got " + v);
        }
    }

    private static void nonNegative(String flag, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(flag + " must be a finite number >= 0, got " + v);
        }
    }

    public static RecipeConfig defaults() {
        return new RecipeConfig(new MacerParams(16, 8, 12, 0), new ConsistencyParams(10, 0.5),
                new SmoothMixParams(1.0, 1.0, 0, 0));
    }

    public RecipeConfig withMacer(double beta, double gamma, double lambda, int delay) {
        return new RecipeConfig(new MacerParams(beta, gamma, lambda, delay), consistency, smoothMix);
    }

    public RecipeConfig withConsistency(double lambda, double eta) {
        return new RecipeConfig(macer, new ConsistencyParams(lambda, eta), smoothMix);
    }

    public RecipeConfig withSmoothMix(double alpha, double eta, int mixStep, double maxNorm) {
        return new RecipeConfig(macer, consistency, new SmoothMixParams(alpha, eta, mixStep, maxNorm));
    }

    /** The settings a method uses, as stored with a run. */
    Map<String, Object> toMap(String method) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (method) {
            case "macer" -> {
                m.put("beta", macer.beta());
                m.put("gamma", macer.gamma());
                m.put("lambda", macer.lambda());
                if (macer.delay() > 0) { // absent in runs written before the option, which had none
                    m.put("lambdaDelay", macer.delay());
                }
            }
            case "consistency", "smoothadv-consistency" -> {
                m.put("consistencyLambda", consistency.lambda());
                m.put("consistencyEta", consistency.eta());
            }
            case "smoothmix" -> {
                m.put("alpha", smoothMix.alpha());
                m.put("eta", smoothMix.eta());
                m.put("mixStep", smoothMix.mixStep());
                m.put("maxNorm", smoothMix.maxNorm());
            }
            default -> {
            }
        }
        return m;
    }
}
