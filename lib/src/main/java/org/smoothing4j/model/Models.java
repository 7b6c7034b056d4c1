package org.smoothing4j.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.smoothing4j.model.dl4j.Checkpoint;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.model.onnx.OnnxClassifier;

/**
 * Model files as base classifiers, whichever backend runs them: smoothing4j checkpoints ({@code .zip}, DL4J networks,
 * on the direct layer-stack path where they can be) and ONNX models ({@code .onnx}, e.g. PyTorch exports, run by ONNX
 * Runtime; inference only, so attacks on them use forward-only Stein gradients).
 */
public final class Models {
    private Models() {}

    /**
     * A loaded model.
     *
     * @param classifier  the base classifier (for an ONNX model with {@code --normalize}, behind the normalisation)
     * @param format      {@code checkpoint} or {@code onnx}
     * @param fingerprint what identifies the weights: the checkpoint's fingerprint, or the ONNX file's SHA-256
     * @param network     the DL4J network of a checkpoint (backprop gradients, training), empty for ONNX models
     * @param metadata    a checkpoint's metadata (empty for ONNX models)
     */
    public record Loaded(Classifier classifier, String format, String fingerprint, Optional<Network> network,
            Map<String, Object> metadata) {
        /** Whether the model was trained elsewhere (the preflight checks such models before every run). */
        public boolean imported() {
            return format.equals("onnx");
        }

        /** The data set the model was trained on, where its metadata says. */
        public Optional<String> trainedOn() {
            return metadata.get("training") instanceof Map<?, ?> t && t.get("dataset") instanceof String d
                    ? Optional.of(d) : Optional.empty();
        }

        /** The training method (gaussian, smoothadv, ...), where its metadata says. */
        public Optional<String> trainingMethod() {
            return metadata.get("training") instanceof Map<?, ?> t && t.get("method") instanceof String m
                    ? Optional.of(m) : Optional.empty();
        }
    }

    /** Whether a path names an ONNX model (by its extension). */
    public static boolean isOnnx(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    /**
     * Loads a checkpoint or an ONNX model; {@code normalize}, for ONNX models whose normalisation is not inside,
     * adds it on the JVM side (after the noise, as everywhere).
     */
    public static Loaded load(Path file, Optional<Normalization> normalize) throws IOException {
        if (isOnnx(file)) {
            OnnxClassifier onnx = OnnxClassifier.load(file);
            Classifier f = normalize.isPresent() ? normalize.get().before(onnx) : onnx;
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("outputs", onnx.outputsProbabilities() ? "probabilities" : "logits");
            return new Loaded(f, "onnx", onnx.fingerprint(), Optional.empty(), meta);
        }
        if (normalize.isPresent()) {
            throw new IllegalArgumentException("--normalize is for ONNX models without their normalisation: " + file
                    + " is a smoothing4j checkpoint, which normalises in its first layer");
        }
        Checkpoint.Loaded c = Checkpoint.load(file);
        return new Loaded(c.network(), "checkpoint", c.fingerprint(), Optional.of(c.network()), c.metadata());
    }
}
