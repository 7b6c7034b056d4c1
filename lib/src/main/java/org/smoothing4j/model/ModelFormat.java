package org.smoothing4j.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A kind of model file a backend reads ({@link Models#load}): smoothing4j checkpoints (DL4J networks) and ONNX models.
 * Backends register theirs in {@code META-INF/services/org.smoothing4j.model.ModelFormat}, so that this package, which
 * every backend uses, uses none of them.
 */
public interface ModelFormat {

    /** Whether this format reads the file (by its name). */
    boolean reads(Path file);

    /**
     * Loads the file; {@code normalize}, for ONNX models whose normalisation is not inside, adds it on the JVM side
     * (after the noise, as everywhere).
     */
    LoadedModel load(Path file, Optional<Normalization> normalize) throws IOException;
}
