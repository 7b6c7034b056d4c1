package org.smoothing4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loss hyperparameters of the recipes after SmoothAdv, with their public code's defaults and the papers' names
 * (SPEC 13). Copies per image (MACER's k, Consistency's and SmoothMix's m) and SmoothMix's steps T are
 * {@link TrainConfig#noiseSamples} and {@link TrainConfig#steps}.
 *
 * @param macerBeta         MACER's inverse temperature beta of the soft smoothed classifier (16)
 * @param macerGamma        MACER's hinge gamma on the radius gap (8)
 * @param macerLambda       MACER's weight lambda of the robustness loss (12)
 * @param macerDelay        epochs MACER trains on its classification loss alone before the robustness loss joins
 *                          (0: the public code; benchmark variants defer the robustness loss; on results/recipes'
 *                          LeNet a delay of 1 does not prevent the collapse at lambda 12)
 * @param consistencyLambda Consistency's weight lambda of the KL term (10; the paper picks 5, 10 or 20 per sigma)
 * @param consistencyEta    Consistency's weight eta of the entropy term (0.5)
 * @param smoothMixAlpha    SmoothMix's attack step size alpha (1.0)
 * @param smoothMixEta      SmoothMix's weight eta of the mixup loss (1.0)
 * @param smoothMixMixStep  the attack step whose point is the clean side of the mixup (0: x itself)
 * @param smoothMixMaxNorm  SmoothMix's largest L2 norm of the adversarial perturbation (0: none)
 */
public record RecipeConfig(double macerBeta, double macerGamma, double macerLambda, int macerDelay,
        double consistencyLambda,
        double consistencyEta, double smoothMixAlpha, double smoothMixEta, int smoothMixMixStep,
        double smoothMixMaxNorm) {

    public RecipeConfig {
        positive("--beta", macerBeta);
        positive("--gamma", macerGamma);
        nonNegative("--lambda", macerLambda);
        if (macerDelay < 0) {
            throw new IllegalArgumentException("--lambda-delay must be >= 0 epochs, got " + macerDelay);
        }
        nonNegative("--consistency-lambda", consistencyLambda);
        nonNegative("--consistency-eta", consistencyEta);
        positive("--alpha", smoothMixAlpha);
        nonNegative("--eta", smoothMixEta);
        nonNegative("--max-norm", smoothMixMaxNorm);
        if (smoothMixMixStep < 0) {
            throw new IllegalArgumentException("--mix-step must be >= 0, got " + smoothMixMixStep);
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
        return new RecipeConfig(16, 8, 12, 0, 10, 0.5, 1.0, 1.0, 0, 0);
    }

    public RecipeConfig withMacer(double beta, double gamma, double lambda, int delay) {
        return new RecipeConfig(beta, gamma, lambda, delay, consistencyLambda, consistencyEta, smoothMixAlpha,
                smoothMixEta, smoothMixMixStep, smoothMixMaxNorm);
    }

    public RecipeConfig withConsistency(double lambda, double eta) {
        return new RecipeConfig(macerBeta, macerGamma, macerLambda, macerDelay, lambda, eta, smoothMixAlpha,
                smoothMixEta, smoothMixMixStep, smoothMixMaxNorm);
    }

    public RecipeConfig withSmoothMix(double alpha, double eta, int mixStep, double maxNorm) {
        return new RecipeConfig(macerBeta, macerGamma, macerLambda, macerDelay, consistencyLambda, consistencyEta,
                alpha, eta, mixStep, maxNorm);
    }

    /** The settings a method uses, as stored with a run. */
    Map<String, Object> toMap(String method) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (method) {
            case "macer" -> {
                m.put("beta", macerBeta);
                m.put("gamma", macerGamma);
                m.put("lambda", macerLambda);
                if (macerDelay > 0) { // absent in runs written before the option, which had none
                    m.put("lambdaDelay", macerDelay);
                }
            }
            case "consistency", "smoothadv-consistency" -> {
                m.put("consistencyLambda", consistencyLambda);
                m.put("consistencyEta", consistencyEta);
            }
            case "smoothmix" -> {
                m.put("alpha", smoothMixAlpha);
                m.put("eta", smoothMixEta);
                m.put("mixStep", smoothMixMixStep);
                m.put("maxNorm", smoothMixMaxNorm);
            }
            default -> {
            }
        }
        return m;
    }
}
