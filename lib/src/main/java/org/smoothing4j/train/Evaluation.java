package org.smoothing4j.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.NoiseSource;

/** Accuracy of a base classifier on a data set, clean (sigma = 0) or under one draw of Gaussian noise. */
public final class Evaluation {
    private static final int BATCH = 1000;

    private Evaluation() {}

    public static double accuracy(Classifier f, LabeledImages data, double sigma, NoiseSource noise) {
        long correct = 0;
        for (int from = 0; from < data.size(); from += BATCH) {
            int to = Math.min(data.size(), from + BATCH);
            INDArray x = data.images().get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup();
            if (sigma > 0) {
                INDArray n = x.like();
                noise.fill(n, sigma);
                x.addi(n);
            }
            int[] predicted = f.scores(x).argMax(1).toIntVector();
            for (int i = 0; i < predicted.length; i++) {
                if (predicted[i] == data.labels()[from + i]) {
                    correct++;
                }
            }
        }
        return correct / (double) data.size();
    }
}
