package org.smoothing4j.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.noise.NoiseSource;
import org.smoothing4j.noise.SplitNoise;

/**
 * Training for the deterministic L1 certificate (Levine &amp; Feizi, ICML 2021; code alevine0/smoothingSplittingNoise):
 * cross-entropy on the split inputs of each image at one random shift, with the certificate's fixed template
 * ({@link SplitNoise}, 8-bit grid), fresh shifts every batch. {@code train --method dssn}.
 */
public final class SplitNoiseTraining implements Trainer {
    private final double sigma;
    private SplitNoise split; // for the images' size, made on the first batch

    SplitNoiseTraining(double sigma) {
        this.sigma = sigma;
    }

    /** The splitting noise of this run for images of d pixels. */
    SplitNoise split(int d) {
        if (split == null || split.dimension() != d) {
            split = SplitNoise.of(sigma, 255, d);
        }
        return split;
    }

    @Override
    public StepResult step(Network net, INDArray x, int[] labels, int epoch, NoiseSource noise) {
        return Steps.fit(net, split((int) (x.length() / x.size(0))).atRandomShifts(x, noise), labels, 1);
    }
}
