package org.smoothing4j.denoise;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that determines a denoiser's training run (Salman et al. 2020, {@code code/train_denoiser.py}, METHODS
 * 4a: Adam lr 1e-3, StepLR 30 epochs x 0.1, weight decay 1e-4, batch 256, 90 epochs; Stab+MSE = MSE first, then a
 * stability fine-tune at lr 1e-5 for 20 epochs; Zhang et al. 2022: mu 0.005, q 192).
 *
 * @param classifier           the frozen classifier, as given ({@code --classifier})
 * @param classifierFingerprint its checkpoint fingerprint or ONNX file's SHA-256 (a resumed run refuses another)
 * @param objective            {@code mse}, {@code stability} or {@code stab-mse} (MSE for {@code mseEpochs}, then
 *                             stability at {@code finetuneLr})
 * @param gradient             how the stability loss reaches the denoiser: {@code backprop} (a smoothing4j
 *                             checkpoint) or {@code stein} (any classifier, forward passes only)
 * @param queries              q, Stein queries per image and step
 * @param mu                   the Stein estimate's smoothing radius
 * @param mseEpochs            stab-mse: the epochs of the MSE stage
 * @param finetuneLr           stab-mse: Adam's learning rate in the stability stage
 * @param evalSize             test images for each epoch's accuracy and PSNR row
 */
public record DenoiseConfig(String dataset, String classifier, String classifierFingerprint, double sigma,
        String objective, String gradient, int queries, double mu, int epochs, int mseEpochs, int batch, double lr,
        int lrStep, double finetuneLr, double weightDecay, int depth, int width, int trainSize, int evalSize,
        long seed) {
    public static final List<String> OBJECTIVES = List.of("mse", "stability", "stab-mse");

    public DenoiseConfig {
        require(sigma > 0 && Double.isFinite(sigma), "--sigma must be a finite number > 0, got " + sigma);
        require(OBJECTIVES.contains(objective), "--objective must be one of " + OBJECTIVES + ", got '" + objective
                + "'");
        require(DenoiserLoss.GRADIENTS.contains(gradient), "--grad must be one of " + DenoiserLoss.GRADIENTS
                + ", got '" + gradient + "'");
        require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
        require(!objective.equals("stab-mse") || mseEpochs >= 1 && mseEpochs < epochs, "--objective stab-mse needs "
                + "--mse-epochs in [1, --epochs - 1] (the MSE stage, then the stability stage), got " + mseEpochs
                + " of " + epochs);
        require(batch >= 1, "--batch must be at least 1, got " + batch);
        require(lr > 0 && finetuneLr > 0, "--lr and --finetune-lr must be > 0");
        require(lrStep >= 1, "--lr-step must be at least 1, got " + lrStep);
        require(weightDecay >= 0, "--weight-decay must be >= 0, got " + weightDecay);
        require(queries >= 2, "--queries must be at least 2 (the leave-one-out baseline), got " + queries);
        require(mu > 0 && Double.isFinite(mu), "--mu must be a finite number > 0, got " + mu);
        require(evalSize >= 1, "--eval-size must be at least 1, got " + evalSize);
        require(trainSize == -1 || trainSize >= 1, "--train-size must be -1 (all) or at least 1, got " + trainSize);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The objective of an epoch (1-based): stab-mse is MSE for its first mseEpochs. */
    public String objectiveAt(int epoch) {
        return switch (objective) {
            case "stab-mse" -> epoch <= mseEpochs ? "mse" : "stability";
            default -> objective;
        };
    }

    /** Adam's learning rate in an epoch (1-based): StepLR in each stage. */
    public double lrAt(int epoch) {
        if (objective.equals("stab-mse") && epoch > mseEpochs) {
            return finetuneLr * Math.pow(0.1, (epoch - mseEpochs - 1) / lrStep);
        }
        return lr * Math.pow(0.1, (epoch - 1) / lrStep);
    }

    public DenoiseConfig withEpochs(int e) {
        return new DenoiseConfig(dataset, classifier, classifierFingerprint, sigma, objective, gradient, queries, mu, e,
                mseEpochs, batch, lr, lrStep, finetuneLr, weightDecay, depth, width, trainSize, evalSize, seed);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("classifier", classifier);
        m.put("classifierFingerprint", classifierFingerprint);
        m.put("sigma", sigma);
        m.put("objective", objective);
        m.put("gradient", gradient);
        if (gradient.equals("stein")) {
            m.put("queries", queries);
            m.put("mu", mu);
        }
        m.put("epochs", epochs);
        if (objective.equals("stab-mse")) {
            m.put("mseEpochs", mseEpochs);
            m.put("finetuneLr", finetuneLr);
        }
        m.put("batch", batch);
        m.put("lr", lr);
        m.put("lrStep", lrStep);
        m.put("weightDecay", weightDecay);
        m.put("depth", depth);
        m.put("width", width);
        m.put("trainSize", trainSize);
        m.put("evalSize", evalSize);
        m.put("seed", seed);
        return m;
    }
}
