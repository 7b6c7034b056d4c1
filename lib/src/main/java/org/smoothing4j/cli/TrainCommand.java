package org.smoothing4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.Split;
import org.smoothing4j.io.Progress;
import org.smoothing4j.train.TrainConfig;
import org.smoothing4j.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code smoothing4j train}: Gaussian augmentation or SmoothAdv training with per-epoch checkpoints. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a base classifier for smoothing (Gaussian augmentation or SmoothAdv); writes "
                + "DIR/model.zip + model.json every epoch and DIR/train.tsv.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, description = "fashion-mnist, mnist or cifar10")
    String dataset;

    @Option(names = "--arch", required = true, description = "lenet, mlp, resnet20 or resnet110 (any resnet<6n+2>)")
    String arch;

    @Option(names = "--sigma", required = true, description = "training noise level, [0,1] pixel units")
    double sigma;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Option(names = "--method", description = "gaussian or smoothadv (default: ${DEFAULT-VALUE})")
    String method = "gaussian";

    @Option(names = "--attack", description = "pgd or ddn (default: ${DEFAULT-VALUE})")
    String attack = "pgd";

    @Option(names = "--eps", description = "L2 attack budget, [0,1] pixel units (default: ${DEFAULT-VALUE})")
    double eps = 0.25;

    @Option(names = "--steps", description = "attack steps T (default: ${DEFAULT-VALUE})")
    int steps = 1;

    @Option(names = "--m", description = "noise samples per image, m_train (default: ${DEFAULT-VALUE})")
    int m = 1;

    @Option(names = "--multi-noise", description = "train on all m noisy copies, not just the first")
    boolean multiNoise;

    @Option(names = "--warmup", description = "epochs of linear eps warm-up (default: ${DEFAULT-VALUE})")
    int warmup = 10;

    @Option(names = "--grad", description = "attack gradient: backprop, stein, stein-baseline or stein-antithetic (default: ${DEFAULT-VALUE})")
    String grad = "backprop";

    @Option(names = "--epochs", description = "(default: ${DEFAULT-VALUE})")
    int epochs = 90;

    @Option(names = "--batch", description = "(default: ${DEFAULT-VALUE})")
    int batch = 256;

    @Option(names = "--lr", description = "initial learning rate (default: 0.01 for lenet, which diverges at the "
            + "reference's 0.1 without batch norm; 0.1 otherwise)")
    Double lr;

    @Option(names = "--lr-step", description = "epochs between lr x0.1 (default: ${DEFAULT-VALUE})")
    int lrStep = 30;

    @Option(names = "--seed", description = "(default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--train-size", description = "use the first N training images; -1 for all (default: ${DEFAULT-VALUE})")
    int trainSize = -1;

    @Option(names = "--resume", description = "continue from the last checkpoint in --out")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        TrainConfig config = new TrainConfig(dataset, arch, sigma, method, attack, eps, steps, m, multiNoise, warmup,
                epochs, batch, lr != null ? lr : TrainConfig.defaultLr(arch), lrStep, 0.9, 1e-4, seed, trainSize, grad);
        TrainingRun run = new TrainingRun(config, Datasets.load(dataset, Split.TRAIN), Datasets.load(dataset, Split.TEST));
        Path model = run.run(out, resume, total -> Progress.console("train", total, "img", System.err),
                new java.io.PrintStream(System.out, true));
        spec.commandLine().getOut().println("model: " + model);
        return 0;
    }
}
