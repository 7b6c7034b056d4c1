package org.smoothing4j.data;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Images with integer labels: {@code images} has shape [n, channels, height, width] (NCHW, float, pixels in
 * [0,1]); {@code labels[i]} is the class of image i, in [0, classes).
 */
public record LabeledImages(String name, INDArray images, int[] labels, int classes) {

    public LabeledImages {
        if (images.rank() != 4) {
            throw new IllegalArgumentException(name + ": images must be [n, c, h, w], got shape "
                    + Arrays.toString(images.shape()));
        }
        if (images.size(0) != labels.length) {
            throw new IllegalArgumentException(name + ": " + images.size(0) + " images but " + labels.length
                    + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of image " + i
                        + " is outside [0, " + classes + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    /** Shape of one image: [channels, height, width]. */
    public long[] imageShape() {
        return Arrays.copyOfRange(images.shape(), 1, 4);
    }

    /** Image i as a [1, c, h, w] view. */
    public INDArray image(int i) {
        return images.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
    }

    /** The first {@code n} images (a copy), for small experiments. */
    public LabeledImages head(int n) {
        int k = Math.min(n, size());
        INDArray sub = images.get(NDArrayIndex.interval(0, k), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()).dup();
        return new LabeledImages(name, sub, Arrays.copyOf(labels, k), classes);
    }

    /** Number of images of each class. */
    public long[] classCounts() {
        long[] counts = new long[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    static LabeledImages fromBytes(String name, byte[] pixels, int[] labels, int classes, int c, int h, int w) {
        float[] values = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            values[i] = (pixels[i] & 0xff) / 255f;
        }
        INDArray images = Nd4j.create(values, new long[] {labels.length, c, h, w}, 'c');
        return new LabeledImages(name, images, labels, classes);
    }
}
