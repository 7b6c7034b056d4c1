package org.smoothing4j.denoise;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A map D from noisy images to images in front of a frozen classifier (denoised smoothing, Salman et al. 2020):
 * {@link DenoisedClassifier} certifies f(D(x + delta)) as any base classifier, whatever D is, as long as it is a
 * function of its input alone. Two kinds: the {@link DnCnn} that {@code smoothing4j denoise} trains, and an imported
 * diffusion model used one-shot or for a few steps ({@link DiffusionDenoiser}, Carlini et al. 2023).
 */
public interface Denoiser extends AutoCloseable {
    /** D(y) of a batch [b, c, h, w] of noisy images in [0, 1] pixel units; y is not changed. */
    INDArray denoise(INDArray y);

    /** The image shape [c, h, w] it takes. */
    long[] inputShape();

    /** Whether {@link #denoise} may run on several threads at once. */
    boolean concurrent();

    /** Where {@link #denoise} runs, for the settings file. */
    String inference();

    /** Whether {@link #backward} exists (backprop through the denoiser; Stein estimates need only queries). */
    default boolean differentiable() {
        return false;
    }

    /** d(g . D(y))/dy for each image, [b, c, h, w]; only when {@link #differentiable}. */
    default INDArray backward(INDArray y, INDArray g) {
        throw new UnsupportedOperationException("this denoiser is a black box: no gradient through it");
    }

    /** Frees its native resources. */
    @Override
    void close();
}
