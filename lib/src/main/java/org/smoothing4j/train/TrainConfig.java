package org.smoothing4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.smoothing4j.noise.NoiseFamily;

/**
 * Everything that determines a training run.
 * <p>
 * Defaults that are the reference code's (Cohen et al.: SGD lr 0.1, momentum 0.9, weight decay 1e-4, lr x0.1 every
 * 30 epochs, 90 epochs, batch 256; SmoothAdv: PGD, 1 step, m = 1, first-copy training, eps warm-up over 10 epochs;
 * MACER, Consistency and SmoothMix: their public code's loss hyperparameters, see {@link RecipeConfig}) and defaults
 * that are not: LeNet's initial lr is 0.01 ({@link #defaultLr}); the optimiser uses Nesterov momentum where the
 * reference uses plain momentum ({@code nesterov = false} matches it); and every network starts with its data set's
 * mean/std normalisation layer where the reference code feeds raw [0,1] pixels to LeNet and the MLP ({@code normalize
 * = "none"} matches it; its CIFAR models normalise as ours do). Measured on Fashion-MNIST: with the normalisation
 * layer, clean base accuracy is 1.7-3.1 points above the reference's at identical settings, without it within 1.7.
 *
 * @param method       {@code gaussian} (noise augmentation), {@code smoothadv}, {@code macer}, {@code consistency}
 *                     (Gaussian augmentation with consistency regularisation), {@code smoothadv-consistency}
 *                     (SmoothAdv with it, as in the Consistency paper) or {@code smoothmix}
 * @param attack       {@code pgd} or {@code ddn} (SmoothAdv only)
 * @param epsilon      L2 attack budget in [0,1] pixel units (SmoothAdv)
 * @param steps        attack steps T (SmoothAdv; SmoothMix's T)
 * @param noiseSamples m_train in the paper: noise copies per image, drawn once per batch and shared by the attack
 *                     and the training step (MACER's k; Consistency's and SmoothMix's m)
 * @param multiNoise   train on all m copies (true) or on the first copy only (false)
 * @param warmup       epochs over which eps (SmoothAdv) or the mixup weight (SmoothMix) grows linearly to its value
 * @param gradient     {@code backprop} or {@code stein} (forward-only attack gradients)
 * @param trainSize    use the first N training images (-1: all)
 * @param nesterov     Nesterov momentum (true) or plain momentum, as the reference code (false)
 * @param normalize    {@code dataset}: the data set's mean/std layer first; {@code none}: raw [0,1] pixels
 * @param recipe       the loss hyperparameters of MACER, Consistency and SmoothMix
 * @param noise        the noise family of the augmentation ({@link NoiseFamily}; sigma its per-coordinate standard
 *                     deviation): gaussian for every method; laplace and uniform for gaussian (noise augmentation)
 *                     and consistency (stability training, as Yang et al. 2020 train for L1), whose losses do not
 *                     assume Gaussian noise (SmoothAdv's and SmoothMix's attacks and MACER's radius term do)
 */
public record TrainConfig(String dataset, String arch, double sigma, String method, String attack, double epsilon,
        int steps, int noiseSamples, boolean multiNoise, int warmup, int epochs, int batch, double lr, int lrStep,
        double momentum, double weightDecay, long seed, int trainSize, String gradient, boolean nesterov,
        String normalize, RecipeConfig recipe, NoiseFamily noise) {

    /** A run with Gaussian noise. */
    public TrainConfig(String dataset, String arch, double sigma, String method, String attack, double epsilon,
            int steps, int noiseSamples, boolean multiNoise, int warmup, int epochs, int batch, double lr, int lrStep,
            double momentum, double weightDecay, long seed, int trainSize, String gradient, boolean nesterov,
            String normalize, RecipeConfig recipe) {
        this(dataset, arch, sigma, method, attack, epsilon, steps, noiseSamples, multiNoise, warmup, epochs, batch, lr,
                lrStep, momentum, weightDecay, seed, trainSize, gradient, nesterov, normalize, recipe,
                NoiseFamily.GAUSSIAN);
    }

    public static final List<String> METHODS = List.of("gaussian", "smoothadv", "macer", "consistency",
            "smoothadv-consistency", "smoothmix", "dssn");
    public static final List<String> ATTACKS = List.of("pgd", "ddn");
    public static final List<String> GRADIENTS = org.smoothing4j.attack.GradientSource.NAMES;
    public static final List<String> NORMALIZE = List.of("dataset", "none");

    public TrainConfig {
        method = method.toLowerCase(Locale.ROOT);
        attack = attack.toLowerCase(Locale.ROOT);
        gradient = gradient.toLowerCase(Locale.ROOT);
        normalize = normalize.toLowerCase(Locale.ROOT);
        require(sigma >= 0 && Double.isFinite(sigma), "--sigma must be a finite number >= 0 (0: no noise, with "
                + "--method gaussian), got " + sigma);
        require(METHODS.contains(method), "--method must be one of " + METHODS + ", got '" + method + "'");
        // sigma 0: a classifier trained without noise, as most imported ones are (the starting point of denoised
        // smoothing); every other recipe is defined by its noise
        require(sigma > 0 || method.equals("gaussian"), "--sigma 0 (training without noise) is for --method "
                + "gaussian only, got --method " + method);
        require(ATTACKS.contains(attack), "--attack must be one of " + ATTACKS + ", got '" + attack + "'");
        require(GRADIENTS.contains(gradient), "--grad must be one of " + GRADIENTS + ", got '" + gradient + "'");
        require(NORMALIZE.contains(normalize), "--normalize must be one of " + NORMALIZE + ", got '" + normalize + "'");
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
        require(recipe != null, "recipe settings are required");
        require(noise != null, "--noise is required");
        require(!method.equals("dssn") || noise == NoiseFamily.GAUSSIAN, "--method dssn trains on splitting noise "
                + "(Levine & Feizi 2021), not with --noise " + noise.id());
        require(noise == NoiseFamily.GAUSSIAN || method.equals("gaussian") || method.equals("consistency"),
                "--noise " + noise.id() + " applies to --method gaussian (noise augmentation) and consistency; "
                + "--method " + method + " assumes Gaussian noise (its attack or its radius term)");
        require(!method.endsWith("consistency") || noiseSamples >= 2,
                "--method " + method + " needs --m >= 2 noisy copies per image, got " + noiseSamples);
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

    /** The noise copies per image of a method's public code: MACER 16, Consistency 2, others 1. */
    public static int defaultNoiseSamples(String method) {
        return switch (method.toLowerCase(Locale.ROOT)) {
            case "macer" -> 16;
            case "consistency", "smoothadv-consistency" -> 2;
            default -> 1;
        };
    }

    /** The attack steps of a method's public code: SmoothMix 8, SmoothAdv 1. */
    public static int defaultSteps(String method) {
        return method.equalsIgnoreCase("smoothmix") ? 8 : 1;
    }

    public static TrainConfig defaults(String dataset, String arch, double sigma) {
        return new TrainConfig(dataset, arch, sigma, "gaussian", "pgd", 0.25, 1, 1, false, 10, 90, 256,
                defaultLr(arch), 30, 0.9, 1e-4, 0, -1, "backprop", true, "dataset", RecipeConfig.defaults());
    }

    /** A mutable copy, for the {@code with} methods. */
    private Builder copy() {
        return new Builder(this);
    }

    /**
     * The method, with its public code's copies per image and attack steps ({@link #defaultNoiseSamples},
     * {@link #defaultSteps}) where this config still has the previous method's defaults.
     */
    public TrainConfig withMethod(String v) {
        Builder b = copy();
        b.method = v;
        if (noiseSamples == defaultNoiseSamples(method)) {
            b.noiseSamples = defaultNoiseSamples(v);
        }
        if (steps == defaultSteps(method)) {
            b.steps = defaultSteps(v);
        }
        return b.build();
    }

    public TrainConfig withNoise(NoiseFamily v) {
        Builder b = copy();
        b.noise = v;
        return b.build();
    }

    public TrainConfig withAttack(String v) {
        Builder b = copy();
        b.attack = v;
        return b.build();
    }

    public TrainConfig withEpsilon(double v) {
        Builder b = copy();
        b.epsilon = v;
        return b.build();
    }

    public TrainConfig withSteps(int v) {
        Builder b = copy();
        b.steps = v;
        return b.build();
    }

    public TrainConfig withNoiseSamples(int v) {
        Builder b = copy();
        b.noiseSamples = v;
        return b.build();
    }

    public TrainConfig withMultiNoise(boolean v) {
        Builder b = copy();
        b.multiNoise = v;
        return b.build();
    }

    public TrainConfig withWarmup(int v) {
        Builder b = copy();
        b.warmup = v;
        return b.build();
    }

    public TrainConfig withEpochs(int v) {
        Builder b = copy();
        b.epochs = v;
        return b.build();
    }

    public TrainConfig withBatch(int v) {
        Builder b = copy();
        b.batch = v;
        return b.build();
    }

    public TrainConfig withLr(double v) {
        Builder b = copy();
        b.lr = v;
        return b.build();
    }

    public TrainConfig withLrStep(int v) {
        Builder b = copy();
        b.lrStep = v;
        return b.build();
    }

    public TrainConfig withMomentum(double v) {
        Builder b = copy();
        b.momentum = v;
        return b.build();
    }

    public TrainConfig withWeightDecay(double v) {
        Builder b = copy();
        b.weightDecay = v;
        return b.build();
    }

    public TrainConfig withSeed(long v) {
        Builder b = copy();
        b.seed = v;
        return b.build();
    }

    public TrainConfig withTrainSize(int v) {
        Builder b = copy();
        b.trainSize = v;
        return b.build();
    }

    public TrainConfig withGradient(String v) {
        Builder b = copy();
        b.gradient = v;
        return b.build();
    }

    public TrainConfig withNesterov(boolean v) {
        Builder b = copy();
        b.nesterov = v;
        return b.build();
    }

    public TrainConfig withNormalize(String v) {
        Builder b = copy();
        b.normalize = v;
        return b.build();
    }

    public TrainConfig withRecipe(RecipeConfig v) {
        Builder b = copy();
        b.recipe = v;
        return b.build();
    }

    /** Epsilon at an epoch (0-based) under warm-up: min(eps, (epoch + 1) * eps / warmup). */
    public double epsilonAt(int epoch) {
        return Math.min(epsilon, (epoch + 1) * epsilon / warmup);
    }

    /** The warm-up factor at an epoch (0-based): min(1, (epoch + 1) / warmup) (SmoothMix's mixup weight). */
    public double warmupAt(int epoch) {
        return Math.min(1.0, (epoch + 1) / (double) warmup);
    }

    /** Learning rate at an epoch (0-based): lr * 0.1^(epoch / lrStep). */
    public double lrAt(int epoch) {
        return lr * Math.pow(0.1, epoch / lrStep);
    }

    /** Whether the method attacks (SmoothAdv, SmoothMix), so eps or the attack steps matter. */
    boolean adversarial() {
        return method.startsWith("smoothadv") || method.equals("smoothmix");
    }

    /**
     * All settings, as stored in checkpoint metadata and beside the training log. Settings that a method does not
     * use are left out, as are the optimiser and input settings at their defaults (so earlier runs' settings stay
     * what they were).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("arch", arch);
        m.put("sigma", sigma);
        m.put("method", method);
        if (method.startsWith("smoothadv")) {
            m.put("attack", attack);
            m.put("eps", epsilon);
            m.put("steps", steps);
            m.put("m", noiseSamples);
            m.put("multiNoise", multiNoise);
            m.put("warmup", warmup);
            m.put("grad", gradient);
            m.putAll(recipe.toMap(method));
        } else if (!method.equals("gaussian")) {
            m.put("m", noiseSamples);
            m.putAll(recipe.toMap(method));
            if (method.equals("smoothmix")) {
                m.put("steps", steps);
                m.put("warmup", warmup);
            }
        }
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("lr", lr);
        m.put("lrStep", lrStep);
        m.put("momentum", momentum);
        m.put("weightDecay", weightDecay);
        m.put("seed", seed);
        m.put("trainSize", trainSize);
        if (!nesterov) {
            m.put("nesterov", false);
        }
        if (!normalize.equals("dataset")) {
            m.put("normalize", normalize);
        }
        if (noise != NoiseFamily.GAUSSIAN) {
            m.put("noise", noise.id());
        }
        return m;
    }

    private static final class Builder {
        String dataset, arch, method, attack, gradient, normalize;
        double sigma, epsilon, lr, momentum, weightDecay;
        int steps, noiseSamples, warmup, epochs, batch, lrStep, trainSize;
        boolean multiNoise, nesterov;
        long seed;
        RecipeConfig recipe;
        NoiseFamily noise;

        Builder(TrainConfig c) {
            dataset = c.dataset;
            arch = c.arch;
            sigma = c.sigma;
            method = c.method;
            attack = c.attack;
            epsilon = c.epsilon;
            steps = c.steps;
            noiseSamples = c.noiseSamples;
            multiNoise = c.multiNoise;
            warmup = c.warmup;
            epochs = c.epochs;
            batch = c.batch;
            lr = c.lr;
            lrStep = c.lrStep;
            momentum = c.momentum;
            weightDecay = c.weightDecay;
            seed = c.seed;
            trainSize = c.trainSize;
            gradient = c.gradient;
            nesterov = c.nesterov;
            normalize = c.normalize;
            recipe = c.recipe;
            noise = c.noise;
        }

        TrainConfig build() {
            return new TrainConfig(dataset, arch, sigma, method, attack, epsilon, steps, noiseSamples, multiNoise,
                    warmup, epochs, batch, lr, lrStep, momentum, weightDecay, seed, trainSize, gradient, nesterov,
                    normalize, recipe, noise);
        }
    }
}
