package org.smoothing4j.cli;

import static org.smoothing4j.cli.Section.Kind.INPUT;
import static org.smoothing4j.cli.Section.Kind.SMOOTHING;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.smoothing4j.certify.ExampleSelection;
import org.smoothing4j.certify.Preflight;
import org.smoothing4j.certify.Smoothing;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.model.LoadedModel;
import org.smoothing4j.model.Models;
import org.smoothing4j.model.Normalization;
import picocli.CommandLine.Option;

/** Flags naming a model (a smoothing4j checkpoint or an ONNX model), the test set it runs on and its noise level. */
class ModelOptions {
    @Section(INPUT)
    @Option(names = "--dataset", required = true, description = "fashion-mnist, mnist, cifar10, or a folder of IDX files")
    String dataset;

    @Section(INPUT)
    @Option(names = "--model", required = true, description = "a checkpoint written by 'smoothing4j train' "
            + "(model.zip) or an ONNX model (.onnx, e.g. exported from PyTorch)")
    Path model;

    @Section(SMOOTHING)
    @Option(names = "--sigma", required = true, description = "noise level, in [0,1] pixel units")
    double sigma;

    @Section(INPUT)
    @Option(names = "--allow-other-dataset", description = "run a model on a data set other than the one it was "
            + "trained on (refused by default)")
    boolean allowOtherDataset;

    @Section(INPUT)
    @Option(names = "--normalize", paramLabel = "MEAN,..:SD,..", description = "ONNX models without their "
            + "normalisation: apply (x - mean) / sd per channel before the model, after the noise (or a data set "
            + "name: cifar10, imagenet, ...); by default the normalisation is inside the model, as in the public "
            + "checkpoints")
    String normalize;

    @Section(INPUT)
    @Option(names = "--denoiser", paramLabel = "DIR", description = "certify the classifier behind a denoiser "
            + "trained by 'smoothing4j denoise --out DIR' (denoised smoothing: the noise is added before the "
            + "denoiser)")
    Path denoiser;

    @Section(INPUT)
    @Option(names = "--strict", description = "refuse to run an imported model whose preflight accuracy is near "
            + "chance (by default a warning)")
    boolean strict;

    record Loaded(LabeledImages data, LoadedModel model, Optional<Preflight> preflight) {}

    /**
     * The test set and the model, after checking --sigma, that the model takes the data set's images and has its
     * classes, and that it was trained on this data set; an imported model is preflighted on the selection (printed
     * to {@code err}; with --strict a suspicious one is refused).
     */
    Loaded load(ExampleSelection selection, long seed, PrintWriter err) throws IOException {
        Smoothing.checkSigma(sigma);
        Optional<Normalization> norm = normalize == null ? Optional.empty() : Optional.of(Normalization.parse(normalize));
        LabeledImages data = Datasets.load(dataset, Split.TEST);
        LoadedModel m = Models.load(model, norm);
        try {
            return checked(m, data, selection, seed, err);
        } catch (IOException | RuntimeException e) {
            m.close(); // refused: the caller never gets it
            throw e;
        }
    }

    /** The model (behind the --denoiser, which it then owns) after the checks and the preflight of {@link #load}. */
    private Loaded checked(LoadedModel m, LabeledImages data, ExampleSelection selection, long seed, PrintWriter err)
            throws IOException {
        LoadedModel plain = m;
        if (denoiser != null) {
            m = withDenoiser(m, err);
        }
        m.classifier().checkInputShape(data.imageShape(), "--dataset " + dataset);
        if (m.classifier().numClasses() != data.classes()) {
            throw new IllegalArgumentException("--model " + model + " has " + m.classifier().numClasses()
                    + " classes, --dataset " + dataset + " has " + data.classes());
        }
        String trainedOn = m.trainedOn().orElse(null);
        if (trainedOn != null && !allowOtherDataset && !sameDataset(trainedOn, dataset)) {
            throw new IllegalArgumentException("--model " + model + " was trained on '" + trainedOn + "' (its metadata), "
                    + "not on --dataset '" + dataset + "': give the data set it was trained on, or "
                    + "--allow-other-dataset to run it anyway");
        }
        Optional<Preflight> preflight = Optional.empty();
        if (denoiser != null) { // the pipeline's base accuracy, and the classifier's alone for comparison
            err.println(Preflight.run(plain.classifier(), data, selection, sigma, seed).report()
                    .replace("base classifier", "classifier without the denoiser"));
        }
        if (m.imported() || denoiser != null) {
            Preflight p = Preflight.run(m.classifier(), data, selection, sigma, seed);
            if (p.suspicious() && strict) {
                throw new IllegalArgumentException("--strict: " + p.warning() + " (" + p.report() + ")");
            }
            err.println(p.report());
            if (p.suspicious()) {
                err.println("warning: " + p.warning());
            }
            err.flush();
            preflight = Optional.of(p);
        }
        return new Loaded(data, m, preflight);
    }

    /**
     * The classifier behind the --denoiser: a black box to the attacks' backprop (no network), its fingerprint that of
     * both. A denoiser trained for another classifier or noise level is used with a warning (Salman et al.'s
     * black-box setting trains it on surrogates).
     */
    private LoadedModel withDenoiser(LoadedModel m, PrintWriter err) throws IOException {
        org.smoothing4j.denoise.DenoiserRun.Loaded d = org.smoothing4j.denoise.DenoiserRun.load(denoiser);
        Object trainedFor = d.metadata().get("training") instanceof java.util.Map<?, ?> t
                ? t.get("classifierFingerprint") : null;
        if (!m.fingerprint().equals(trainedFor)) {
            err.println("warning: --denoiser " + denoiser + " was trained for another classifier (fingerprint "
                    + trainedFor + ", --model has " + m.fingerprint() + ")");
        }
        Object s = d.metadata().get("training") instanceof java.util.Map<?, ?> t ? t.get("sigma") : null;
        if (!(s instanceof Number n) || n.doubleValue() != sigma) {
            err.println("warning: --denoiser " + denoiser + " was trained at sigma " + s + ", --sigma is " + sigma);
        }
        java.util.Map<String, Object> meta = new java.util.LinkedHashMap<>(m.metadata());
        meta.put("denoiser", d.metadata());
        return new LoadedModel(new org.smoothing4j.denoise.DenoisedClassifier(m.classifier(), d.denoiser()),
                m.format(), m.fingerprint() + "+denoiser:" + d.fingerprint(), Optional.empty(), meta);
    }

    private static boolean sameDataset(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT).replace("cifar-10", "cifar10");
        String y = b.toLowerCase(Locale.ROOT).replace("cifar-10", "cifar10");
        return x.equals(y) || Path.of(a).toAbsolutePath().normalize().equals(Path.of(b).toAbsolutePath().normalize());
    }
}
