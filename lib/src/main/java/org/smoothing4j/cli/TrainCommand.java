package org.smoothing4j.cli;

import static org.smoothing4j.cli.Section.Kind.INPUT;
import static org.smoothing4j.cli.Section.Kind.METHOD;
import static org.smoothing4j.cli.Section.Kind.OPTIMISER;
import static org.smoothing4j.cli.Section.Kind.OUTPUT;
import static org.smoothing4j.cli.Section.Kind.RUN_CONTROL;
import static org.smoothing4j.cli.Section.Kind.SMOOTHING;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.Split;
import org.smoothing4j.io.Progress;
import org.smoothing4j.io.WriterStream;
import org.smoothing4j.noise.NoiseFamily;
import org.smoothing4j.train.RecipeConfig;
import org.smoothing4j.train.TrainConfig;
import org.smoothing4j.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code smoothing4j train}: Gaussian augmentation or SmoothAdv training with per-epoch checkpoints. */
@Command(name = "train", footer = {"%nExample:",
            "  smoothing4j train --dataset fashion-mnist --arch lenet --sigma 0.5 \\",
            "      --out runs/gauss --epochs 10"},
        mixinStandardHelpOptions = true,
        description = "Train a base classifier for smoothing (Gaussian augmentation, SmoothAdv, MACER, Consistency "
                + "regularisation or SmoothMix); writes "
                + "DIR/model.zip + model.json every epoch and DIR/train.tsv.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Section(INPUT)
    @Option(names = "--dataset", required = true, description = "fashion-mnist, mnist or cifar10")
    String dataset;

    @Section(INPUT)
    @Option(names = "--arch", required = true, description = "lenet, mlp, resnet20 or resnet110 (any resnet<6n+2>)")
    String arch;

    @Section(SMOOTHING)
    @Option(names = "--sigma", required = true, description = "training noise level, [0,1] pixel units")
    double sigma;

    @Section(OUTPUT)
    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Section(METHOD)
    @Option(names = "--method", description = "gaussian, smoothadv, macer, consistency, smoothadv-consistency, "
            + "smoothmix or dssn (splitting noise at one random shift per image, for certify --deterministic-l1) "
            + "(default: ${DEFAULT-VALUE})")
    String method = "gaussian";

    @Section(METHOD)
    @Option(names = "--attack", description = "pgd or ddn (default: ${DEFAULT-VALUE})")
    String attack = "pgd";

    @Section(METHOD)
    @Option(names = "--eps", description = "L2 attack budget, [0,1] pixel units (default: ${DEFAULT-VALUE})")
    double eps = 0.25;

    @Section(METHOD)
    @Option(names = "--steps", description = "attack steps T (default: 1; smoothmix 8)")
    Integer steps;

    @Section(METHOD)
    @Option(names = "--m", description = "noise copies per image: m_train (SmoothAdv, Consistency, SmoothMix), MACER's "
            + "k (default: 1; macer 16, consistency 2)")
    Integer m;

    @Section(METHOD)
    @Option(names = "--multi-noise", description = "train on all m noisy copies, not just the first")
    boolean multiNoise;

    @Section(METHOD)
    @Option(names = "--warmup", description = "epochs of linear eps warm-up (default: ${DEFAULT-VALUE})")
    int warmup = 10;

    @Section(METHOD)
    @Option(names = "--grad", description = "attack gradient: backprop, stein, stein-baseline or stein-antithetic (default: ${DEFAULT-VALUE})")
    String grad = "backprop";

    @Section(OPTIMISER)
    @Option(names = "--epochs", description = "(default: ${DEFAULT-VALUE})")
    int epochs = 90;

    @Section(OPTIMISER)
    @Option(names = "--batch", description = "(default: ${DEFAULT-VALUE})")
    int batch = 256;

    @Section(OPTIMISER)
    @Option(names = "--lr", description = "initial learning rate (default: 0.01 for lenet, which diverges at the "
            + "reference's 0.1 without batch norm; 0.1 otherwise)")
    Double lr;

    @Section(OPTIMISER)
    @Option(names = "--lr-step", description = "epochs between lr x0.1 (default: ${DEFAULT-VALUE})")
    int lrStep = 30;

    @Section(RUN_CONTROL)
    @Option(names = "--seed", description = "(default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Section(INPUT)
    @Option(names = "--train-size", description = "use the first N training images; -1 for all (default: ${DEFAULT-VALUE})")
    int trainSize = -1;

    @Section(OPTIMISER)
    @Option(names = "--momentum", description = "SGD momentum (default: ${DEFAULT-VALUE})")
    double momentum = 0.9;

    @Section(OPTIMISER)
    @Option(names = "--nesterov", negatable = true, description = "Nesterov momentum (default); --no-nesterov: plain "
            + "momentum, as the reference code's torch.optim.SGD")
    boolean nesterov = true;

    @Section(OPTIMISER)
    @Option(names = "--weight-decay", description = "L2 weight decay (default: ${DEFAULT-VALUE})")
    double weightDecay = 1e-4;

    @Section(INPUT)
    @Option(names = "--normalize", description = "dataset: the data set's mean/std as the first layer (default); "
            + "none: raw [0,1] pixels, as the reference code's LeNet")
    String normalize = "dataset";

    @Section(METHOD)
    @Option(names = "--beta", description = "MACER: inverse temperature (default: ${DEFAULT-VALUE})")
    double beta = RecipeConfig.defaults().macer().beta();

    @Section(METHOD)
    @Option(names = "--gamma", description = "MACER: hinge on the radius gap (default: ${DEFAULT-VALUE})")
    double gamma = RecipeConfig.defaults().macer().gamma();

    @Section(METHOD)
    @Option(names = "--lambda", description = "MACER: weight of the robustness loss (default: ${DEFAULT-VALUE})")
    double lambda = RecipeConfig.defaults().macer().lambda();

    @Section(METHOD)
    @Option(names = "--lambda-delay", description = "MACER: epochs on the classification loss alone before the "
            + "robustness loss joins (default: ${DEFAULT-VALUE}, as the public code)")
    int lambdaDelay = RecipeConfig.defaults().macer().delay();

    @Section(METHOD)
    @Option(names = "--consistency-lambda", description = "Consistency: weight of the KL term (default: ${DEFAULT-VALUE})")
    double consistencyLambda = RecipeConfig.defaults().consistency().lambda();

    @Section(METHOD)
    @Option(names = "--consistency-eta", description = "Consistency: weight of the entropy term (default: ${DEFAULT-VALUE})")
    double consistencyEta = RecipeConfig.defaults().consistency().eta();

    @Section(METHOD)
    @Option(names = "--alpha", description = "SmoothMix: attack step size (default: ${DEFAULT-VALUE})")
    double alpha = RecipeConfig.defaults().smoothMix().alpha();

    @Section(METHOD)
    @Option(names = "--eta", description = "SmoothMix: weight of the mixup loss (default: ${DEFAULT-VALUE})")
    double eta = RecipeConfig.defaults().smoothMix().eta();

    @Section(METHOD)
    @Option(names = "--mix-step", description = "SmoothMix: attack step of the mixup's clean side, 0 = x (default: "
            + "${DEFAULT-VALUE})")
    int mixStep = RecipeConfig.defaults().smoothMix().mixStep();

    @Section(METHOD)
    @Option(names = "--max-norm", description = "SmoothMix: largest perturbation norm, 0 = none (default: ${DEFAULT-VALUE})")
    double maxNorm = RecipeConfig.defaults().smoothMix().maxNorm();

    @Section(SMOOTHING)
    @Option(names = "--noise", description = "noise family of the augmentation: gaussian, laplace or uniform, at "
            + "per-coordinate standard deviation --sigma (laplace and uniform: --method gaussian or consistency) "
            + "(default: ${DEFAULT-VALUE})")
    String noise = "gaussian";

    @Section(RUN_CONTROL)
    @Option(names = "--resume", description = "continue from the last checkpoint in --out")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        TrainConfig config = config();
        TrainingRun run = new TrainingRun(config, Datasets.load(dataset, Split.TRAIN), Datasets.load(dataset, Split.TEST));
        Path model = run.run(out, resume, total -> Progress.console("train", total, "img",
                spec.commandLine().getErr()), WriterStream.over(spec.commandLine().getOut()));
        spec.commandLine().getOut().println("model: " + model);
        return 0;
    }

    /** The training run the flags describe, checked ({@link TrainConfig}'s records refuse bad values). */
    TrainConfig config() {
        String recipeName = method.toLowerCase(java.util.Locale.ROOT);
        RecipeConfig recipe = RecipeConfig.defaults().withMacer(beta, gamma, lambda, lambdaDelay)
                .withConsistency(consistencyLambda, consistencyEta).withSmoothMix(alpha, eta, mixStep, maxNorm);
        TrainConfig config = new TrainConfig(dataset, arch, sigma, method,
                new TrainConfig.Recipe(NoiseFamily.parse(noise, "--noise"),
                        m != null ? m : TrainConfig.defaultNoiseSamples(recipeName), multiNoise, recipe),
                new TrainConfig.Optimiser(epochs, batch, lr != null ? lr : TrainConfig.defaultLr(arch), lrStep, momentum,
                        weightDecay, nesterov),
                new TrainConfig.Attack(attack, eps, steps != null ? steps : TrainConfig.defaultSteps(recipeName), warmup,
                        grad),
                new TrainConfig.Data(trainSize, normalize, seed));
        return config;
    }
}
