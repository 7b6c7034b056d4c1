package org.smoothing4j.model;

import java.util.Map;
import java.util.Optional;
import org.smoothing4j.io.NativeMemory;

/**
 * A loaded model file.
 *
 * @param classifier  the base classifier (for an ONNX model with {@code --normalize}, behind the normalisation)
 * @param format      {@code checkpoint} or {@code onnx}
 * @param fingerprint what identifies the weights: the checkpoint's fingerprint, or the ONNX file's SHA-256
 * @param network     the classifier when it backpropagates (a smoothing4j checkpoint: backprop gradients), empty for
 *                    ONNX models
 * @param metadata    a checkpoint's metadata (empty for ONNX models)
 */
public record LoadedModel(Classifier classifier, String format, String fingerprint, Optional<Differentiable> network,
        Map<String, Object> metadata) implements AutoCloseable {

    /**
     * Closes the classifier (the network, if any, is the classifier itself or inside it) and gives the native memory
     * it freed back to the system ({@link NativeMemory}).
     */
    @Override
    public void close() {
        try {
            classifier.close();
        } finally {
            NativeMemory.release();
        }
    }

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
