package org.smoothing4j.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.NoiseSource;

/** Accuracy of a base classifier on a data set, clean (sigma = 0) or under one draw of the given noise. */
public final class Evaluation {
    private static final int BATCH = 1000;

    private Evaluation() {}

    /** Accuracy under one draw of additive noise at sigma (clean at 0). */
    public static double accuracy(Classifier f, LabeledImages data, double sigma, NoiseSource noise) {
        return accuracy(f, data, x -> {
            if (sigma > 0) {
                INDArray n = x.like();
                noise.fill(n, sigma);
                x.addi(n);
            }
            return x;
        });
    }

    /** Accuracy on the inputs {@code perturb} makes of each batch of images (it may change its argument). */
    public static double accuracy(Classifier f, LabeledImages data, java.util.function.UnaryOperator<INDArray> perturb) {
        long correct = 0;
        for (int from = 0; from < data.size(); from += BATCH) {
            int to = Math.min(data.size(), from + BATCH);
            INDArray x = data.images().get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup();
            int[] predicted = f.scores(perturb.apply(x)).argMax(1).toIntVector();
            for (int i = 0; i < predicted.length; i++) {
                if (predicted[i] == data.labels()[from + i]) {
                    correct++;
                }
            }
        }
        return correct / (double) data.size();
    }
}
