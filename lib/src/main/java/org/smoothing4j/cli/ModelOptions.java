package org.smoothing4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
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

    @Option(names = "--allow-other-dataset", description = "run a model on a data set other than the one it was "
            + "trained on (refused by default)")
    boolean allowOtherDataset;

    record Loaded(LabeledImages data, Checkpoint.Loaded checkpoint) {}

    /**
     * The test set and the checkpoint, after checking --sigma, that the model takes the data set's images and that
     * it was trained on this data set.
     */
    Loaded load() throws IOException {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("--sigma must be a finite number > 0, got " + sigma);
        }
        LabeledImages data = Datasets.load(dataset, Split.TEST);
        Checkpoint.Loaded checkpoint = Checkpoint.load(model);
        checkpoint.network().checkInputShape(data.imageShape(), "--dataset " + dataset);
        String trainedOn = checkpoint.dataset().orElse(null);
        if (trainedOn != null && !allowOtherDataset && !sameDataset(trainedOn, dataset)) {
            throw new IllegalArgumentException("--model " + model + " was trained on '" + trainedOn + "' (its metadata), "
                    + "not on --dataset '" + dataset + "': give the data set it was trained on, or "
                    + "--allow-other-dataset to run it anyway");
        }
        return new Loaded(data, checkpoint);
    }

    private static boolean sameDataset(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT).replace("cifar-10", "cifar10");
        String y = b.toLowerCase(Locale.ROOT).replace("cifar-10", "cifar10");
        return x.equals(y) || Path.of(a).toAbsolutePath().normalize().equals(Path.of(b).toAbsolutePath().normalize());
    }
}
