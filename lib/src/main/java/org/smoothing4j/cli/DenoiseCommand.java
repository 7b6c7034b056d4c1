package org.smoothing4j.cli;

import static org.smoothing4j.cli.Section.Kind.INPUT;
import static org.smoothing4j.cli.Section.Kind.METHOD;
import static org.smoothing4j.cli.Section.Kind.OPTIMISER;
import static org.smoothing4j.cli.Section.Kind.OUTPUT;
import static org.smoothing4j.cli.Section.Kind.RUN_CONTROL;
import static org.smoothing4j.cli.Section.Kind.SMOOTHING;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.denoise.DenoiseConfig;
import org.smoothing4j.denoise.DnCnn;
import org.smoothing4j.denoise.DenoiserRun;
import org.smoothing4j.io.Progress;
import org.smoothing4j.io.WriterStream;
import org.smoothing4j.model.LoadedModel;
import org.smoothing4j.model.Models;
import org.smoothing4j.model.Normalization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code smoothing4j denoise}: train a denoiser in front of a frozen classifier (denoised smoothing). */
@Command(name = "denoise", footer = {"%nExample:",
            "  smoothing4j denoise --dataset fashion-mnist --classifier lenet.onnx \\",
            "      --sigma 0.25 --objective stab-mse --grad stein --out runs/den"},
        mixinStandardHelpOptions = true,
        description = "Train a DnCNN denoiser for a frozen classifier (Salman et al. 2020, denoised smoothing): "
                + "MSE, stability through the classifier (backprop for smoothing4j checkpoints, Stein estimates "
                + "for any model, ONNX included), or MSE then stability; writes DIR/denoiser.zip + denoiser.json "
                + "every epoch and DIR/denoise.tsv. Certify the pipeline with 'certify --denoiser DIR'.")
final class DenoiseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Section(INPUT)
    @Option(names = "--dataset", required = true, description = "fashion-mnist, mnist, cifar10, or a folder of IDX files")
    String dataset;

    @Section(INPUT)
    @Option(names = "--classifier", required = true, description = "the frozen classifier: a checkpoint "
            + "(model.zip) or an ONNX model (.onnx)")
    Path classifier;

    @Section(INPUT)
    @Option(names = "--normalize", paramLabel = "MEAN,..:SD,..", description = "ONNX models without their "
            + "normalisation: (x - mean) / sd per channel before the classifier (as certify --normalize)")
    String normalize;

    @Section(SMOOTHING)
    @Option(names = "--sigma", required = true, description = "the noise level it denoises, [0,1] pixel units")
    double sigma;

    @Section(METHOD)
    @Option(names = "--objective", description = "mse, stability or stab-mse (default: ${DEFAULT-VALUE})")
    String objective = "stab-mse";

    @Section(METHOD)
    @Option(names = "--grad", description = "how the stability loss reaches the denoiser: backprop (checkpoints) or "
            + "stein (any classifier; forward passes only) (default: backprop for checkpoints, stein for ONNX)")
    String grad;

    @Section(METHOD)
    @Option(names = "--queries", description = "Stein: classifier queries per image and step, q (default: "
            + "${DEFAULT-VALUE}, as Zhang et al. 2022)")
    int queries = 192;

    @Section(METHOD)
    @Option(names = "--mu", description = "Stein: smoothing radius of the estimate (default: ${DEFAULT-VALUE})")
    double mu = 0.005;

    @Section(OPTIMISER)
    @Option(names = "--epochs", description = "(default: ${DEFAULT-VALUE}, as Salman et al.)")
    int epochs = 90;

    @Section(METHOD)
    @Option(names = "--mse-epochs", description = "stab-mse: epochs of the MSE stage (default: half of --epochs)")
    Integer mseEpochs;

    @Section(OPTIMISER)
    @Option(names = "--batch", description = "(default: ${DEFAULT-VALUE})")
    int batch = 256;

    @Section(OPTIMISER)
    @Option(names = "--lr", description = "Adam's learning rate (default: ${DEFAULT-VALUE})")
    double lr = 1e-3;

    @Section(OPTIMISER)
    @Option(names = "--lr-step", description = "lr x0.1 every this many epochs (default: ${DEFAULT-VALUE})")
    int lrStep = 30;

    @Section(METHOD)
    @Option(names = "--finetune-lr", description = "stab-mse: Adam's learning rate in the stability stage "
            + "(default: ${DEFAULT-VALUE}, as Salman et al.)")
    double finetuneLr = 1e-5;

    @Section(OPTIMISER)
    @Option(names = "--weight-decay", description = "(default: ${DEFAULT-VALUE})")
    double weightDecay = 1e-4;

    @Section(METHOD)
    @Option(names = "--depth", description = "convolutions of the DnCNN (default: ${DEFAULT-VALUE}; 17 in the paper "
            + "for CIFAR-10)")
    int depth = DnCnn.DEFAULT_DEPTH;

    @Section(METHOD)
    @Option(names = "--width", description = "channels of its hidden convolutions (default: ${DEFAULT-VALUE}; 64 in "
            + "the paper)")
    int width = DnCnn.DEFAULT_WIDTH;

    @Section(INPUT)
    @Option(names = "--train-size", description = "use the first N training images (default: all)")
    int trainSize = -1;

    @Section(INPUT)
    @Option(names = "--eval-size", description = "test images for each epoch's accuracy and PSNR (default: "
            + "${DEFAULT-VALUE})")
    int evalSize = 1000;

    @Section(RUN_CONTROL)
    @Option(names = "--seed", description = "(default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Section(OUTPUT)
    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Section(RUN_CONTROL)
    @Option(names = "--resume", description = "continue from the last checkpoint in --out")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        Optional<Normalization> norm = normalize == null ? Optional.empty()
                : Optional.of(Normalization.parse(normalize));
        String gradient = grad != null ? grad : Models.isOnnx(classifier) ? "stein" : "backprop";
        int mse = mseEpochs != null ? mseEpochs : Math.max(1, epochs / 2);
        // the settings are checked before the slow loading
        new DenoiseConfig(dataset, classifier.toString(), "-", sigma, objective, gradient, queries, mu, epochs, mse,
                batch, lr, lrStep, finetuneLr, weightDecay, depth, width, trainSize, evalSize, seed);
        try (LoadedModel model = Models.load(classifier, norm)) {
            return train(model, gradient, mse);
        }
    }

    private int train(LoadedModel model, String gradient, int mse) throws IOException {
        LabeledImages train = Datasets.load(dataset, Split.TRAIN);
        if (model.classifier().numClasses() != train.classes()) {
            throw new IllegalArgumentException("--classifier " + classifier + " has " + model.classifier().numClasses()
                    + " classes, --dataset " + dataset + " has " + train.classes());
        }
        DenoiseConfig config = new DenoiseConfig(dataset, classifier.toString(), model.fingerprint(), sigma, objective,
                gradient, queries, mu, epochs, mse, batch, lr, lrStep, finetuneLr, weightDecay, depth, width, trainSize,
                evalSize, seed);
        DenoiserRun run = new DenoiserRun(config, model.classifier(), train, Datasets.load(dataset, Split.TEST));
        Path zip = run.run(out, resume, total -> Progress.console("denoise", total, "img",
                spec.commandLine().getErr()), WriterStream.over(spec.commandLine().getOut()));
        spec.commandLine().getOut().println("denoiser: " + zip);
        return 0;
    }
}
