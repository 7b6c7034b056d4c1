package org.smoothing4j.train;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.smoothing4j.attack.GradientSource;
import org.smoothing4j.noise.NoiseFamily;

/**
 * Everything that determines a training run: what is trained and on which data, the recipe, the optimiser, the attack
 * of the adversarial recipes, and which images enter how.
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
 * @param method {@code gaussian} (noise augmentation), {@code smoothadv}, {@code macer}, {@code consistency}
 *               (Gaussian augmentation with consistency regularisation), {@code smoothadv-consistency} (SmoothAdv with
 *               it, as in the Consistency paper), {@code smoothmix} or {@code dssn}
 */
public record TrainConfig(String dataset, String arch, double sigma, String method, Recipe recipe,
        Optimiser optimiser, Attack attack, Data data) implements Serializable {

    public static final List<String> METHODS = List.of("gaussian", "smoothadv", "macer", "consistency",
            "smoothadv-consistency", "smoothmix", "dssn");
    public static final List<String> ATTACKS = List.of("pgd", "ddn");
    public static final List<String> GRADIENTS = GradientSource.NAMES;
    public static final List<String> NORMALIZE = List.of("dataset", "none");

    /**
     * The noise of a recipe.
     *
     * @param noise        the noise family of the augmentation ({@link NoiseFamily}; sigma its per-coordinate standard
     *                     deviation): gaussian for every method; laplace and uniform for gaussian (noise augmentation)
     *                     and consistency (stability training, as Yang et al. 2020 train for L1), whose losses do not
     *                     assume Gaussian noise (SmoothAdv's and SmoothMix's attacks and MACER's radius term do)
     * @param noiseSamples m_train in the paper: noise copies per image, drawn once per batch and shared by the attack
     *                     and the training step (MACER's k; Consistency's and SmoothMix's m)
     * @param multiNoise   train on all m copies (true) or on the first copy only (false)
     * @param losses       the loss hyperparameters of MACER, Consistency and SmoothMix
     */
    public record Recipe(NoiseFamily noise, int noiseSamples, boolean multiNoise, RecipeConfig losses)
            implements Serializable {
        public Recipe {
            require(noise != null, "--noise is required");
            require(noiseSamples >= 1, "--m must be >= 1, got " + noiseSamples);
            require(losses != null, "recipe settings are required");
        }
    }

    /**
     * The SGD optimiser and its schedule: lr x0.1 every {@code lrStep} epochs; Nesterov momentum (true) or plain
     * momentum, as the reference code (false).
     */
    public record Optimiser(int epochs, int batch, double lr, int lrStep, double momentum, double weightDecay,
            boolean nesterov) implements Serializable {
        public Optimiser {
            require(epochs >= 1, "--epochs must be >= 1, got " + epochs);
            require(batch >= 1, "--batch must be >= 1, got " + batch);
            require(lr > 0 && Double.isFinite(lr), "--lr must be a finite number > 0, got " + lr);
            require(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1), got " + momentum);
            require(weightDecay >= 0 && Double.isFinite(weightDecay), "--weight-decay must be a finite number >= 0, "
                    + "got " + weightDecay);
            require(lrStep >= 1, "--lr-step must be >= 1, got " + lrStep);
        }
    }

    /**
     * The attack of SmoothAdv (and SmoothMix's steps and warm-up).
     *
     * @param kind     {@code pgd} or {@code ddn}
     * @param epsilon  L2 attack budget in [0,1] pixel units
     * @param steps    attack steps T (SmoothMix's T too)
     * @param warmup   epochs over which eps (SmoothAdv) or the mixup weight (SmoothMix) grows linearly to its value
     * @param gradient {@code backprop} or a forward-only Stein estimator ({@link GradientSource#NAMES})
     */
    public record Attack(String kind, double epsilon, int steps, int warmup, String gradient) implements Serializable {
        public Attack {
            kind = kind.toLowerCase(Locale.ROOT);
            gradient = gradient.toLowerCase(Locale.ROOT);
            require(ATTACKS.contains(kind), "--attack must be one of " + ATTACKS + ", got '" + kind + "'");
            require(GRADIENTS.contains(gradient), "--grad must be one of " + GRADIENTS + ", got '" + gradient + "'");
            require(epsilon >= 0 && Double.isFinite(epsilon), "--eps must be a finite number >= 0, got " + epsilon);
            require(steps >= 1, "--steps must be >= 1, got " + steps);
            require(warmup >= 1, "--warmup must be >= 1, got " + warmup);
        }
    }

    /**
     * Which training images enter the network, and how: the first {@code trainSize} (-1: all), through the data set's
     * mean/std layer ({@code normalize = "dataset"}) or as raw [0,1] pixels ({@code "none"}); the run seed feeds
     * shuffling, noise and initialisation.
     */
    public record Data(int trainSize, String normalize, long seed) implements Serializable {
        public Data {
            normalize = normalize.toLowerCase(Locale.ROOT);
            require(NORMALIZE.contains(normalize), "--normalize must be one of " + NORMALIZE + ", got '" + normalize
                    + "'");
            require(trainSize == -1 || trainSize >= 1, "--train-size must be >= 1 or -1, got " + trainSize);
        }
    }

    public TrainConfig {
        method = method.toLowerCase(Locale.ROOT);
        require(sigma >= 0 && Double.isFinite(sigma), "--sigma must be a finite number >= 0 (0: no noise, with "
                + "--method gaussian), got " + sigma);
        require(METHODS.contains(method), "--method must be one of " + METHODS + ", got '" + method + "'");
        // sigma 0: a classifier trained without noise, as most imported ones are (the starting point of denoised
        // smoothing); every other recipe is defined by its noise
        require(sigma > 0 || method.equals("gaussian"), "--sigma 0 (training without noise) is for --method "
                + "gaussian only, got --method " + method);
        require(recipe != null && optimiser != null && attack != null && data != null, "every part of the training "
                + "settings is required");
        NoiseFamily noise = recipe.noise();
        require(!method.equals("dssn") || noise == NoiseFamily.GAUSSIAN, "--method dssn trains on splitting noise "
                + "(Levine & Feizi 2021), not with --noise " + noise.id());
        require(noise == NoiseFamily.GAUSSIAN || method.equals("gaussian") || method.equals("consistency"),
                "--noise " + noise.id() + " applies to --method gaussian (noise augmentation) and consistency; "
                + "--method " + method + " assumes Gaussian noise (its attack or its radius term)");
        require(!method.endsWith("consistency") || recipe.noiseSamples() >= 2,
                "--method " + method + " needs --m >= 2 noisy copies per image, got " + recipe.noiseSamples());
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

    /** Gaussian augmentation with the reference's defaults (see the class comment). */
    public static TrainConfig defaults(String dataset, String arch, double sigma) {
        return new TrainConfig(dataset, arch, sigma, "gaussian",
                new Recipe(NoiseFamily.GAUSSIAN, 1, false, RecipeConfig.defaults()),
                new Optimiser(90, 256, defaultLr(arch), 30, 0.9, 1e-4, true),
                new Attack("pgd", 0.25, 1, 10, "backprop"), new Data(-1, "dataset", 0));
    }

    /**
     * The method, with its public code's copies per image and attack steps ({@link #defaultNoiseSamples},
     * {@link #defaultSteps}) where this config still has the previous method's defaults.
     */
    public TrainConfig withMethod(String v) {
        int m = recipe.noiseSamples() == defaultNoiseSamples(method) ? defaultNoiseSamples(v) : recipe.noiseSamples();
        int steps = attack.steps() == defaultSteps(method) ? defaultSteps(v) : attack.steps();
        return new TrainConfig(dataset, arch, sigma, v, new Recipe(recipe.noise(), m, recipe.multiNoise(),
                recipe.losses()), optimiser, new Attack(attack.kind(), attack.epsilon(), steps, attack.warmup(),
                attack.gradient()), data);
    }

    public TrainConfig withSigma(double v) {
        return new TrainConfig(dataset, arch, v, method, recipe, optimiser, attack, data);
    }

    public TrainConfig withRecipe(Recipe v) {
        return new TrainConfig(dataset, arch, sigma, method, v, optimiser, attack, data);
    }

    public TrainConfig withOptimiser(Optimiser v) {
        return new TrainConfig(dataset, arch, sigma, method, recipe, v, attack, data);
    }

    public TrainConfig withAttack(Attack v) {
        return new TrainConfig(dataset, arch, sigma, method, recipe, optimiser, v, data);
    }

    public TrainConfig withData(Data v) {
        return new TrainConfig(dataset, arch, sigma, method, recipe, optimiser, attack, v);
    }

    public TrainConfig withNoise(NoiseFamily v) {
        return withRecipe(new Recipe(v, recipe.noiseSamples(), recipe.multiNoise(), recipe.losses()));
    }

    /** m_train: noise copies per image. */
    public TrainConfig withNoiseSamples(int v) {
        return withRecipe(new Recipe(recipe.noise(), v, recipe.multiNoise(), recipe.losses()));
    }

    public TrainConfig withMultiNoise(boolean v) {
        return withRecipe(new Recipe(recipe.noise(), recipe.noiseSamples(), v, recipe.losses()));
    }

    public TrainConfig withLosses(RecipeConfig v) {
        return withRecipe(new Recipe(recipe.noise(), recipe.noiseSamples(), recipe.multiNoise(), v));
    }

    /** {@code pgd} or {@code ddn}. */
    public TrainConfig withAttack(String v) {
        return withAttack(new Attack(v, attack.epsilon(), attack.steps(), attack.warmup(), attack.gradient()));
    }

    public TrainConfig withEpsilon(double v) {
        return withAttack(new Attack(attack.kind(), v, attack.steps(), attack.warmup(), attack.gradient()));
    }

    public TrainConfig withSteps(int v) {
        return withAttack(new Attack(attack.kind(), attack.epsilon(), v, attack.warmup(), attack.gradient()));
    }

    public TrainConfig withWarmup(int v) {
        return withAttack(new Attack(attack.kind(), attack.epsilon(), attack.steps(), v, attack.gradient()));
    }

    public TrainConfig withGradient(String v) {
        return withAttack(new Attack(attack.kind(), attack.epsilon(), attack.steps(), attack.warmup(), v));
    }

    public TrainConfig withEpochs(int v) {
        Optimiser o = optimiser;
        return withOptimiser(new Optimiser(v, o.batch(), o.lr(), o.lrStep(), o.momentum(), o.weightDecay(),
                o.nesterov()));
    }

    public TrainConfig withBatch(int v) {
        Optimiser o = optimiser;
        return withOptimiser(new Optimiser(o.epochs(), v, o.lr(), o.lrStep(), o.momentum(), o.weightDecay(),
                o.nesterov()));
    }

    public TrainConfig withLr(double v) {
        Optimiser o = optimiser;
        return withOptimiser(new Optimiser(o.epochs(), o.batch(), v, o.lrStep(), o.momentum(), o.weightDecay(),
                o.nesterov()));
    }

    public TrainConfig withLrStep(int v) {
        Optimiser o = optimiser;
        return withOptimiser(new Optimiser(o.epochs(), o.batch(), o.lr(), v, o.momentum(), o.weightDecay(),
                o.nesterov()));
    }

    public TrainConfig withMomentum(double v) {
        Optimiser o = optimiser;
        return withOptimiser(new Optimiser(o.epochs(), o.batch(), o.lr(), o.lrStep(), v, o.weightDecay(),
                o.nesterov()));
    }

    public TrainConfig withWeightDecay(double v) {
        Optimiser o = optimiser;
        return withOptimiser(new Optimiser(o.epochs(), o.batch(), o.lr(), o.lrStep(), o.momentum(), v,
                o.nesterov()));
    }

    public TrainConfig withNesterov(boolean v) {
        Optimiser o = optimiser;
        return withOptimiser(new Optimiser(o.epochs(), o.batch(), o.lr(), o.lrStep(), o.momentum(), o.weightDecay(),
                v));
    }

    public TrainConfig withSeed(long v) {
        return withData(new Data(data.trainSize(), data.normalize(), v));
    }

    public TrainConfig withTrainSize(int v) {
        return withData(new Data(v, data.normalize(), data.seed()));
    }

    public TrainConfig withNormalize(String v) {
        return withData(new Data(data.trainSize(), v, data.seed()));
    }

    /** Epsilon at an epoch (0-based) under warm-up: min(eps, (epoch + 1) * eps / warmup). */
    public double epsilonAt(int epoch) {
        return Math.min(attack.epsilon(), (epoch + 1) * attack.epsilon() / attack.warmup());
    }

    /** The warm-up factor at an epoch (0-based): min(1, (epoch + 1) / warmup) (SmoothMix's mixup weight). */
    public double warmupAt(int epoch) {
        return Math.min(1.0, (epoch + 1) / (double) attack.warmup());
    }

    /** Learning rate at an epoch (0-based): lr * 0.1^(epoch / lrStep). */
    public double lrAt(int epoch) {
        return optimiser.lr() * Math.pow(0.1, epoch / optimiser.lrStep());
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
            m.put("attack", attack.kind());
            m.put("eps", attack.epsilon());
            m.put("steps", attack.steps());
            m.put("m", recipe.noiseSamples());
            m.put("multiNoise", recipe.multiNoise());
            m.put("warmup", attack.warmup());
            m.put("grad", attack.gradient());
            m.putAll(recipe.losses().toMap(method));
        } else if (!method.equals("gaussian")) {
            m.put("m", recipe.noiseSamples());
            m.putAll(recipe.losses().toMap(method));
            if (method.equals("smoothmix")) {
                m.put("steps", attack.steps());
                m.put("warmup", attack.warmup());
            }
        }
        m.put("epochs", optimiser.epochs());
        m.put("batch", optimiser.batch());
        m.put("lr", optimiser.lr());
        m.put("lrStep", optimiser.lrStep());
        m.put("momentum", optimiser.momentum());
        m.put("weightDecay", optimiser.weightDecay());
        m.put("seed", data.seed());
        m.put("trainSize", data.trainSize());
        if (!optimiser.nesterov()) {
            m.put("nesterov", false);
        }
        if (!data.normalize().equals("dataset")) {
            m.put("normalize", data.normalize());
        }
        if (recipe.noise() != NoiseFamily.GAUSSIAN) {
            m.put("noise", recipe.noise().id());
        }
        return m;
    }
}
