package org.smoothing4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that determines a training run. Defaults are the reference code's (Cohen et al.: SGD lr 0.1,
 * momentum 0.9, weight decay 1e-4, lr x0.1 every 30 epochs, 90 epochs, batch 256; SmoothAdv: PGD, 1 step, m = 1,
 * first-copy training, eps warm-up over 10 epochs).
 *
 * @param method       {@code gaussian} (noise augmentation) or {@code smoothadv}
 * @param attack       {@code pgd} or {@code ddn} (SmoothAdv only)
 * @param epsilon      L2 attack budget in [0,1] pixel units (SmoothAdv)
 * @param steps        attack steps T
 * @param noiseSamples m_train in the paper: noise copies per image, drawn once per batch and shared by the attack
 *                     and the training step
 * @param multiNoise   train on all m copies (true) or on the first copy only (false)
 * @param warmup       epochs over which eps grows linearly to its final value
 * @param gradient     {@code backprop} or {@code stein} (forward-only attack gradients)
 * @param trainSize    use the first N training images (-1: all)
 */
public record TrainConfig(String dataset, String arch, double sigma, String method, String attack, double epsilon,
        int steps, int noiseSamples, boolean multiNoise, int warmup, int epochs, int batch, double lr, int lrStep,
        double momentum, double weightDecay, long seed, int trainSize, String gradient) {

    public static final List<String> METHODS = List.of("gaussian", "smoothadv");
    public static final List<String> ATTACKS = List.of("pgd", "ddn");
    public static final List<String> GRADIENTS = org.smoothing4j.attack.GradientSource.NAMES;

    public TrainConfig {
        method = method.toLowerCase(Locale.ROOT);
        attack = attack.toLowerCase(Locale.ROOT);
        gradient = gradient.toLowerCase(Locale.ROOT);
        require(sigma > 0 && Double.isFinite(sigma), "--sigma must be a finite number > 0, got " + sigma);
        require(METHODS.contains(method), "--method must be one of " + METHODS + ", got '" + method + "'");
        require(ATTACKS.contains(attack), "--attack must be one of " + ATTACKS + ", got '" + attack + "'");
        require(GRADIENTS.contains(gradient), "--grad must be one of " + GRADIENTS + ", got '" + gradient + "'");
        require(epsilon >= 0 && Double.isFinite(epsilon), "--eps must be a finite number >= 0, got " + epsilon);
        require(steps >= 1, "--steps must be >= 1, got " + steps);
        require(noiseSamples >= 1, "--m must be >= 1, got " + noiseSamples);
        require(warmup >= 1, "--warmup must be >= 1, got " + warmup);
        require(epochs >= 1, "--epochs must be >= 1, got " + epochs);
        require(batch >= 1, "--batch must be >= 1, got " + batch);
        require(lr > 0 && Double.isFinite(lr), "--lr must be a finite number > 0, got " + lr);
        require(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1), got " + momentum);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "--weight-decay must be a finite number >= 0, got "
                + weightDecay);
        require(lrStep >= 1, "--lr-step must be >= 1, got " + lrStep);
        require(trainSize == -1 || trainSize >= 1, "--train-size must be >= 1 or -1, got " + trainSize);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The initial learning rate: the reference's 0.1, except for LeNet (no batch norm), which diverges at 0.1 with
     * noisy inputs and trains well at 0.01 (measured on Fashion-MNIST, sigma 0.5).
     */
    public static double defaultLr(String arch) {
        return arch.equalsIgnoreCase("lenet") ? 0.01 : 0.1;
    }

    public static TrainConfig defaults(String dataset, String arch, double sigma) {
        return new TrainConfig(dataset, arch, sigma, "gaussian", "pgd", 0.25, 1, 1, false, 10, 90, 256, defaultLr(arch), 30,
                0.9, 1e-4, 0, -1, "backprop");
    }

    public TrainConfig withMethod(String v) {
        return new TrainConfig(dataset, arch, sigma, v, attack, epsilon, steps, noiseSamples, multiNoise, warmup,
                epochs, batch, lr, lrStep, momentum, weightDecay, seed, trainSize, gradient);
    }

    public TrainConfig withAttack(String v) {
        return new TrainConfig(dataset, arch, sigma, method, v, epsilon, steps, noiseSamples, multiNoise, warmup,
                epochs, batch, lr, lrStep, momentum, weightDecay, seed, trainSize, gradient);
    }

    public TrainConfig withEpsilon(double v) {
        return new TrainConfig(dataset, arch, sigma, method, attack, v, steps, noiseSamples, multiNoise, warmup,
                epochs, batch, lr, lrStep, momentum, weightDecay, seed, trainSize, gradient);
    }

    public TrainConfig withSteps(int v) {
        return new TrainConfig(dataset, arch, sigma, method, attack, epsilon, v, noiseSamples, multiNoise, warmup,
                epochs, batch, lr, lrStep, momentum, weightDecay, seed, trainSize, gradient);
    }

    public TrainConfig withNoiseSamples(int v) {
        return new TrainConfig(dataset, arch, sigma, method, attack, epsilon, steps, v, multiNoise, warmup,
                epochs, batch, lr, lrStep, momentum, weightDecay, seed, trainSize, gradient);
    }

    public TrainConfig withMultiNoise(boolean v) {
        return new TrainConfig(dataset, arch, sigma, method, attack, epsilon, steps, noiseSamples, v, warmup,
                epochs, batch, lr, lrStep, momentum, weightDecay, seed, trainSize, gradient);
    }

    public TrainConfig withWarmup(int v) {
        return new TrainConfig(dataset, arch, sigma, method, attack, epsilon, steps, noiseSamples, multiNoise, v,
                epochs, batch, lr, lrStep, momentum, weightDecay, seed, trainSize, gradient);
    }

    public TrainConfig withEpochs(int v) {
        return new TrainConfig(dataset, arch, sigma, method, attack, epsilon, steps, noiseSamples, multiNoise, warmup,
                v, batch, lr, lrStep, momentum, weightDecay, seed, trainSize, gradient);
    }

    public TrainConfig withBatch(int v) {
        return new TrainConfig(dataset, arch, sigma, method, attack, epsilon, steps, noiseSamples, multiNoise, warmup,
                epochs, v, lr, lrStep, momentum, weightDecay, seed, trainSize, gradient);
    }

    public TrainConfig withLr(double v) {
        return new TrainConfig(dataset, arch, sigma, method, attack, epsilon, steps, noiseSamples, multiNoise, warmup,
                epochs, batch, v, lrStep, momentum, weightDecay, seed, trainSize, gradient);
    }

    public TrainConfig withLrStep(int v) {
        return new TrainConfig(dataset, arch, sigma, method, attack, epsilon, steps, noiseSamples, multiNoise, warmup,
                epochs, batch, lr, v, momentum, weightDecay, seed, trainSize, gradient);
    }

    public TrainConfig withSeed(long v) {
        return new TrainConfig(dataset, arch, sigma, method, attack, epsilon, steps, noiseSamples, multiNoise, warmup,
                epochs, batch, lr, lrStep, momentum, weightDecay, v, trainSize, gradient);
    }

    public TrainConfig withTrainSize(int v) {
        return new TrainConfig(dataset, arch, sigma, method, attack, epsilon, steps, noiseSamples, multiNoise, warmup,
                epochs, batch, lr, lrStep, momentum, weightDecay, seed, v, gradient);
    }

    public TrainConfig withGradient(String v) {
        return new TrainConfig(dataset, arch, sigma, method, attack, epsilon, steps, noiseSamples, multiNoise, warmup,
                epochs, batch, lr, lrStep, momentum, weightDecay, seed, trainSize, v);
    }

    /** Epsilon at an epoch (0-based) under warm-up: min(eps, (epoch + 1) * eps / warmup). */
    public double epsilonAt(int epoch) {
        return Math.min(epsilon, (epoch + 1) * epsilon / warmup);
    }

    /** Learning rate at an epoch (0-based): lr * 0.1^(epoch / lrStep). */
    public double lrAt(int epoch) {
        return lr * Math.pow(0.1, epoch / lrStep);
    }

    /** All settings, as stored in checkpoint metadata and beside the training log. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("arch", arch);
        m.put("sigma", sigma);
        m.put("method", method);
        if (method.equals("smoothadv")) {
            m.put("attack", attack);
            m.put("eps", epsilon);
            m.put("steps", steps);
            m.put("m", noiseSamples);
            m.put("multiNoise", multiNoise);
            m.put("warmup", warmup);
            m.put("grad", gradient);
        }
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("lr", lr);
        m.put("lrStep", lrStep);
        m.put("momentum", momentum);
        m.put("weightDecay", weightDecay);
        m.put("seed", seed);
        m.put("trainSize", trainSize);
        return m;
    }
}
