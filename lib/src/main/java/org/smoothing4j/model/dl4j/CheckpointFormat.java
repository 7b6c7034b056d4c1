package org.smoothing4j.model.dl4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.smoothing4j.model.LoadedModel;
import org.smoothing4j.model.ModelFormat;
import org.smoothing4j.model.Models;
import org.smoothing4j.model.Normalization;

/** smoothing4j checkpoints ({@link Checkpoint}): every model file that is not ONNX. */
public final class CheckpointFormat implements ModelFormat {
    @Override
    public boolean reads(Path file) {
        return !Models.isOnnx(file);
    }

    @Override
    public LoadedModel load(Path file, Optional<Normalization> normalize) throws IOException {
        if (normalize.isPresent()) {
            throw new IllegalArgumentException("--normalize is for ONNX models without their normalisation: " + file
                    + " is a smoothing4j checkpoint, which normalises in its first layer");
        }
        Checkpoint.Loaded c = Checkpoint.load(file);
        return new LoadedModel(c.network(), "checkpoint", c.fingerprint(), Optional.of(c.network()), c.metadata());
    }

    @Override
    public String toString() {
        return "checkpoint";
    }
}
