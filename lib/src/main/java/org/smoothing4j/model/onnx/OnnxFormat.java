package org.smoothing4j.model.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.model.LoadedModel;
import org.smoothing4j.model.ModelFormat;
import org.smoothing4j.model.Models;
import org.smoothing4j.model.Normalization;

/** ONNX models ({@code .onnx}), run by ONNX Runtime ({@link OnnxClassifier}). */
public final class OnnxFormat implements ModelFormat {
    @Override
    public boolean reads(Path file) {
        return Models.isOnnx(file);
    }

    @Override
    public LoadedModel load(Path file, Optional<Normalization> normalize) throws IOException {
        OnnxClassifier onnx = OnnxClassifier.load(file);
        Classifier f = normalize.isPresent() ? normalize.get().before(onnx) : onnx;
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("outputs", onnx.outputsProbabilities() ? "probabilities" : "logits");
        return new LoadedModel(f, "onnx", onnx.fingerprint(), Optional.empty(), meta);
    }

    @Override
    public String toString() {
        return "onnx";
    }
}
