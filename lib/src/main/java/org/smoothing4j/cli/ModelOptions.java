package org.smoothing4j.cli;

import static org.smoothing4j.cli.Section.Kind.INPUT;
import static org.smoothing4j.cli.Section.Kind.SMOOTHING;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.smoothing4j.certify.ExampleSelection;
import org.smoothing4j.certify.Preflight;
import org.smoothing4j.certify.Smoothing;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.denoise.DenoisedClassifier;
import org.smoothing4j.denoise.DiffusionDenoiser;
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
    @Option(names = "--denoiser", paramLabel = "DIR|MODEL.onnx", description = "certify the classifier behind a "
            + "denoiser: a folder written by 'smoothing4j denoise --out DIR', or a diffusion model in ONNX (with the "
            + "diffusion flag below); denoised smoothing: the noise is added before the denoiser")
    Path denoiser;

    @Section(INPUT)
    @Option(names = "--diffusion", description = "the --denoiser is a diffusion model's noise prediction eps(x_t, t) "
            + "in ONNX, used as Carlini et al. 2023 do: t* from sigma, x_t = sqrt(abar) (x + delta) in its scale, "
            + "its x0 estimate clipped (schedule and range from MODEL.json beside it, or the flags below)")
    boolean diffusion;

    @Section(INPUT)
    @Option(names = "--schedule", paramLabel = "SPEC", description = "with --diffusion: the model's noise schedule, "
            + "linear[:START,END,T] or cosine[:T] (default: MODEL.json beside the model, else linear:1e-4,0.02,1000, "
            + "DDPM's)")
    String schedule;

    @Section(INPUT)
    @Option(names = "--input-range", paramLabel = "-1,1|0,1", description = "with --diffusion: the pixel range the "
            + "model was trained on (default: MODEL.json, else -1,1; sigma is then doubled in the model's scale)")
    String inputRange;

    @Section(INPUT)
    @Option(names = "--denoise-steps", paramLabel = "K", description = "with --diffusion: 1 for the one-shot x0 "
            + "estimate (default, the paper's choice), K > 1 for ancestral sampling on K steps from t* down to 0 "
            + "(t* + 1: every step, the paper's multi-step variant)")
    Integer denoiseSteps;

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
        checkDiffusionFlags();
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
        Preflight without = null;
        if (denoiser != null) { // the pipeline's base accuracy, and the classifier's alone for comparison
            without = Preflight.run(plain.classifier(), data, selection, sigma, seed);
            err.println(without.report().replace("base classifier", "classifier without the denoiser"));
        }
        if (m.imported() || denoiser != null) {
            Preflight p = Preflight.run(m.classifier(), data, selection, sigma, seed);
            Optional<String> warning = without != null ? p.denoiserWarning(without)
                    : p.suspicious() ? Optional.of(p.warning()) : Optional.empty();
            if (warning.isPresent() && strict) {
                throw new IllegalArgumentException("--strict: " + warning.get() + " (" + p.report() + ")");
            }
            err.println(p.report());
            warning.ifPresent(w -> err.println("warning: " + w));
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
        if (diffusion) {
            return withDiffusion(m, err);
        }
        if (denoiser.toString().endsWith(".onnx")) {
            throw new IllegalArgumentException("--denoiser " + denoiser + " is an ONNX model: add --diffusion if it is a "
                    + "diffusion model's noise prediction eps(x_t, t) (trained denoisers are 'smoothing4j denoise' "
                    + "folders)");
        }
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

    /** The classifier behind an imported diffusion model (its settings: the model's hash, schedule, range, t*). */
    private LoadedModel withDiffusion(LoadedModel m, PrintWriter err) throws IOException {
        DiffusionDenoiser d = DiffusionDenoiser.load(denoiser, schedule, inputRange, sigma,
                denoiseSteps == null ? 1 : denoiseSteps);
        try {
            Map<String, Object> about = d.metadata();
            err.printf(Locale.ROOT, "diffusion denoiser: t* = %d of %s (noise %.4f in [0,1] pixels for sigma %s), "
                    + "range %s, %s%n", d.step(), about.get("schedule"), (Double) about.get("noiseAtTStar"), sigma,
                    about.get("inputRange"), d.path().length == 1 ? "one shot" : d.path().length + " steps");
            Map<String, Object> meta = new LinkedHashMap<>(m.metadata());
            meta.put("denoiser", about);
            String fingerprint = m.fingerprint() + "+diffusion:" + about.get("sha256") + "@" + about.get("schedule")
                    + "," + about.get("inputRange") + ",t" + d.step() + "x" + d.path().length;
            return new LoadedModel(new DenoisedClassifier(m.classifier(), d), m.format(), fingerprint,
                    Optional.empty(), meta);
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** The --diffusion flags without --diffusion, or --diffusion without a --denoiser, refused by name. */
    private void checkDiffusionFlags() {
        if (diffusion && denoiser == null) {
            throw new IllegalArgumentException("--diffusion needs --denoiser MODEL.onnx (the diffusion model)");
        }
        if (!diffusion) {
            for (var f : new Object[][] {{"--schedule", schedule}, {"--input-range", inputRange},
                    {"--denoise-steps", denoiseSteps}}) {
                if (f[1] != null) {
                    throw new IllegalArgumentException(f[0] + " is a setting of a diffusion denoiser: add --diffusion "
                            + "and --denoiser MODEL.onnx");
                }
            }
        }
    }

    private static boolean sameDataset(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT).replace("cifar-10", "cifar10");
        String y = b.toLowerCase(Locale.ROOT).replace("cifar-10", "cifar10");
        return x.equals(y) || Path.of(a).toAbsolutePath().normalize().equals(Path.of(b).toAbsolutePath().normalize());
    }
}
