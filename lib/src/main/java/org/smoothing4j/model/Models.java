package org.smoothing4j.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Model files as base classifiers, whichever backend runs them: smoothing4j checkpoints ({@code .zip}, DL4J networks,
 * on the direct layer-stack path where they can be) and ONNX models ({@code .onnx}, e.g. PyTorch exports, run by ONNX
 * Runtime; inference only, so attacks on them use forward-only Stein gradients). The backends' {@link ModelFormat}s
 * are found on the class path.
 */
public final class Models {
    private static final List<ModelFormat> FORMATS = ServiceLoader.load(ModelFormat.class,
            ModelFormat.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();

    private Models() {}

    /** Whether a path names an ONNX model (by its extension). */
    public static boolean isOnnx(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    /**
     * Loads a checkpoint or an ONNX model; {@code normalize}, for ONNX models whose normalisation is not inside,
     * adds it on the JVM side (after the noise, as everywhere).
     */
    public static LoadedModel load(Path file, Optional<Normalization> normalize) throws IOException {
        for (ModelFormat format : FORMATS) {
            if (format.reads(file)) {
                return format.load(file, normalize);
            }
        }
        throw new IllegalStateException("no model format reads " + file + " (backends found: " + FORMATS + ")");
    }
}
