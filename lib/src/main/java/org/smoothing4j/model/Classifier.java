package org.smoothing4j.model;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A base classifier f: a batch of images [b, c, h, w] with pixels in [0,1] (noisy inputs are not clamped) to
 * class scores [b, classes]. Scores may be logits or probabilities; the predicted class is their argmax.
 * <p>
 * A classifier may hold native resources (ONNX Runtime sessions, oneDNN primitives): whoever creates or loads one
 * closes it ({@link #close}, try-with-resources); a classifier built on another (a normalisation in front of it, a
 * denoiser) owns it and closes it too. A {@linkplain #concurrentCopy concurrent copy} shares the original's resources
 * and owns none of them: closing it frees only what the copy made itself, and the original must stay open while a
 * copy is used.
 */
public interface Classifier extends AutoCloseable {

    /** Class scores of each image of the batch, shape [b, numClasses()]. */
    INDArray scores(INDArray batch);

    /**
     * As {@link #scores}, but the classifier may overwrite the batch (saves a copy in hot loops that refill their
     * batch buffer anyway).
     */
    default INDArray scoresOfScratch(INDArray batch) {
        return scores(batch);
    }

    int numClasses();

    /**
     * A copy that another thread may run at the same time as this classifier (the same function, its own working
     * buffers), or empty when this classifier cannot run concurrently. Inference only.
     */
    default Optional<Classifier> concurrentCopy() {
        return Optional.empty();
    }

    /** The shape of one input image, [channels, height, width]. */
    long[] inputShape();

    /**
     * The code path that computes the scores and what it runs on (e.g. {@code onnx-runtime 1.20.0}, {@code layer-stack
     * on nd4j linux-x86_64-onednn-avx512}): two paths agree only to float rounding, so a run's settings record it and
     * a resumed run refuses another. Computing it may prepare the path (e.g. an ONNX Runtime session).
     */
    default String inference() {
        return "java (" + getClass().getName() + ")";
    }

    /** Frees the native resources this classifier owns (none by default); it is not used afterwards. */
    @Override
    default void close() {}

    /** A classifier from any batch function. */
    static Classifier of(UnaryOperator<INDArray> scores, int numClasses, long... inputShape) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + numClasses);
        }
        if (inputShape.length != 3) {
            throw new IllegalArgumentException("input shape must be [channels, height, width], got "
                    + Arrays.toString(inputShape));
        }
        long[] shape = inputShape.clone();
        return new Classifier() {
            @Override
            public INDArray scores(INDArray batch) {
                return scores.apply(batch);
            }

            @Override
            public int numClasses() {
                return numClasses;
            }

            @Override
            public long[] inputShape() {
                return shape.clone();
            }
        };
    }

    /** Throws a clear error when images of the given shape cannot be fed to this classifier. */
    default void checkInputShape(long[] imageShape, String what) {
        if (!Arrays.equals(inputShape(), imageShape)) {
            throw new IllegalArgumentException(what + " has images of shape " + Arrays.toString(imageShape)
                    + " but the model expects " + Arrays.toString(inputShape()) + " (channels, height, width)");
        }
    }
}
