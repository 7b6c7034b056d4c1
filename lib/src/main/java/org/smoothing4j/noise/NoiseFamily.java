package org.smoothing4j.noise;

import java.util.Arrays;
import java.util.Locale;

/**
 * The additive noise distributions of randomized smoothing, each i.i.d. per coordinate and parameterised, as in Yang
 * et al., "Randomized Smoothing of All Shapes and Sizes" (ICML 2020, code tonyduan/rs4a {@code src/noises}), by
 * sigma = sqrt(E ||delta||^2 / d), the per-coordinate standard deviation, so that the same sigma means the same noise
 * energy in every family:
 * <ul>
 * <li>{@link #GAUSSIAN}: N(0, sigma^2), Cohen et al. 2019 (the L2 certificate);</li>
 * <li>{@link #LAPLACE}: density exp(-|z| / lambda) / (2 lambda) with scale lambda = sigma / sqrt 2, Teng et al.,
 * "l1 Adversarial Robustness Certificates: a Randomized Smoothing Approach" (2020) (the L1 certificate);</li>
 * <li>{@link #UNIFORM}: U[-lambda, lambda] with half-width lambda = sqrt 3 sigma, Yang et al. 2020 (their best L1
 * certificate, and an L-infinity one).</li>
 * </ul>
 * The certificate each family gives in each norm is in {@code org.smoothing4j.certify.NormRadius}.
 */
public enum NoiseFamily {
    GAUSSIAN, LAPLACE, UNIFORM;

    /** The family's name on the command line and in run settings. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The family's own scale for a per-coordinate standard deviation sigma: sigma (Gaussian), the Laplace scale
     * sigma / sqrt 2, the uniform half-width sqrt 3 sigma.
     */
    public double scale(double sigma) {
        return switch (this) {
            case GAUSSIAN -> sigma;
            case LAPLACE -> sigma / Math.sqrt(2);
            case UNIFORM -> Math.sqrt(3) * sigma;
        };
    }

    /** The family named {@code name} (gaussian, laplace or uniform), or an error naming {@code flag}. */
    public static NoiseFamily parse(String name, String flag) {
        for (NoiseFamily f : values()) {
            if (f.id().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException(flag + " must be one of "
                + Arrays.stream(values()).map(NoiseFamily::id).toList() + ", got '" + name + "'");
    }
}
