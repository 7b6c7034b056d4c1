package org.smoothing4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.model.Checkpoint;
import picocli.CommandLine.Option;

/** Flags naming a trained model, the test set it runs on and its noise level. */
class ModelOptions {
    @Option(names = "--dataset", required = true, description = "fashion-mnist, mnist, cifar10, or a folder of IDX files")
    String dataset;

    @Option(names = "--model", required = true, description = "a checkpoint written by 'smoothing4j train' (model.zip)")
    Path model;

    @Option(names = "--sigma", required = true, description = "noise level, in [0,1] pixel units")
    double sigma;

    record Loaded(LabeledImages data, Checkpoint.Loaded checkpoint) {}

    /** The test set and the checkpoint, after checking --sigma and that the model takes the data set's images. */
    Loaded load() throws IOException {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("--sigma must be > 0, got " + sigma);
        }
        LabeledImages data = Datasets.load(dataset, Split.TEST);
        Checkpoint.Loaded checkpoint = Checkpoint.load(model);
        checkpoint.network().checkInputShape(data.imageShape(), "--dataset " + dataset);
        return new Loaded(data, checkpoint);
    }
}
