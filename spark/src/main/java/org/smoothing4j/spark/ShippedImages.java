package org.smoothing4j.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.data.LabeledImages;

/**
 * The selected test images of a run and their labels, sent to the executors (--ship-data) when they cannot read the
 * data set: pixels as floats in [0,1], one array per image, with the image shape.
 */
record ShippedImages(int[] indices, int[] labels, float[][] pixels, long[] shape) implements Serializable {

    static ShippedImages of(LabeledImages data, int[] indices) {
        int[] labels = new int[indices.length];
        float[][] pixels = new float[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            labels[i] = data.labels()[indices[i]];
            pixels[i] = data.image(indices[i]).dup('c').data().asFloat();
        }
        return new ShippedImages(indices, labels, pixels, data.imageShape());
    }

    /** Image and label by data-set index. */
    Map<Integer, Integer> positions() {
        Map<Integer, Integer> at = new HashMap<>();
        for (int i = 0; i < indices.length; i++) {
            at.put(indices[i], i);
        }
        return at;
    }

    INDArray image(int position) {
        return Nd4j.create(pixels[position], new long[] {1, shape[0], shape[1], shape[2]}, 'c');
    }
}
