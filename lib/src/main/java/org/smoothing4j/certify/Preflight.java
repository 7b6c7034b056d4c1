package org.smoothing4j.certify;

import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.NoiseSource;
import org.smoothing4j.noise.Seeds;
import org.smoothing4j.noise.ZigguratNoise;

/**
 * A check of an imported model before a run: the base classifier's accuracy on the first selected test images,
 * clean and under one draw of the run's noise. Users of the public checkpoints most often report a wrong
 * normalisation or label order, which shows as about 30% clean accuracy on CIFAR-10 (SPEC 14); the check makes that
 * visible before hours of sampling.
 *
 * @param images  test images checked
 * @param clean   base accuracy on them without noise
 * @param noisy   base accuracy under N(0, sigma^2) noise (one draw)
 * @param classes the model's classes (chance is 1 / classes)
 */
public record Preflight(int images, double clean, double noisy, int classes, double sigma) {
    /** Images checked by default. */
    public static final int IMAGES = 100;
    /** Below this clean accuracy a model is taken for misconfigured. */
    public static final double SUSPICIOUS = 0.5;

    public static Preflight run(Classifier f, LabeledImages data, ExampleSelection selection, double sigma, long seed) {
        int[] idx = selection.indices(data.size()).limit(IMAGES).toArray();
        if (idx.length == 0) {
            throw new IllegalArgumentException("the selection (--skip/--max/--start/--end) holds no test image");
        }
        long[] rows = java.util.Arrays.stream(idx).asLongStream().toArray();
        INDArray x = data.images().get(NDArrayIndex.indices(rows)).dup();
        INDArray noise = Nd4j.createUninitialized(x.dataType(), x.shape());
        NoiseSource gaussian = new ZigguratNoise();
        gaussian.reseed(Seeds.forPurpose(seed, "preflight"));
        gaussian.fill(noise, sigma);
        double clean = accuracy(f.scores(x), data, idx);
        double noisy = accuracy(f.scores(x.add(noise)), data, idx);
        return new Preflight(idx.length, clean, noisy, f.numClasses(), sigma);
    }

    private static double accuracy(INDArray scores, LabeledImages data, int[] idx) {
        int[] predicted = scores.argMax(1).toIntVector();
        int correct = 0;
        for (int i = 0; i < idx.length; i++) {
            correct += predicted[i] == data.labels()[idx[i]] ? 1 : 0;
        }
        return correct / (double) idx.length;
    }

    /** Whether the clean accuracy is below {@value #SUSPICIOUS}: far from what a trained model reaches. */
    public boolean suspicious() {
        return clean < SUSPICIOUS;
    }

    /**
     * For a classifier behind a denoiser: a warning when the denoiser does not raise the accuracy under noise above
     * the classifier's alone ({@code without}, the same images and noise). Its clean accuracy is no test there: a
     * diffusion model told to remove noise of sigma = 1 from a clean image changes it (measured on Fashion-MNIST: 43%
     * clean, 61% under noise, against 88% and 44% without it). A wrong input range or schedule shows up as no gain
     * (measured at sigma = 1: 44% with a [-1, 1] model declared [0, 1], 44% without the denoiser; results/diffusion).
     */
    public java.util.Optional<String> denoiserWarning(Preflight without) {
        if (noisy > without.noisy) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(String.format(Locale.ROOT, "the denoiser does not raise the accuracy under noise "
                + "(%.0f%% with it, %.0f%% without it, at sigma %s): check that it was made for this noise level and "
                + "these images, and for a diffusion model its schedule and input range (--schedule, --input-range)",
                100 * noisy, 100 * without.noisy, sigma));
    }

    /** One line for the console. */
    public String report() {
        return String.format(Locale.ROOT, "preflight: base classifier on the first %d selected test images: "
                + "%.0f%% clean, %.0f%% under noise at sigma %s (%d classes, chance %.0f%%)", images, 100 * clean,
                100 * noisy, sigma, classes, 100.0 / classes);
    }

    /** The warning for a suspicious model. */
    public String warning() {
        return String.format(Locale.ROOT, "the model is %.0f%% accurate on clean test images, near chance (%.0f%%) "
                + "and far below a trained model: check its normalisation (inside the model by default; "
                + "--normalize MEAN,..:SD,.. adds it), its input scale ([0,1] pixels) and its label order",
                100 * clean, 100.0 / classes);
    }
}
