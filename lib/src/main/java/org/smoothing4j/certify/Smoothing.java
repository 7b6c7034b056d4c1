package org.smoothing4j.certify;

import java.util.LinkedHashMap;
import java.util.Map;
import org.smoothing4j.noise.NoiseFamily;

/**
 * Which noise a smoothed classifier adds and in which norm its radii are certified ({@link NormRadius}); the
 * default is Cohen et al.'s Gaussian noise and L2.
 *
 * @param box with uniform noise in L1: the data-dependent radius of an adversary confined to the [0,1] box
 *            ({@link NormRadius#uniformL1InBox}, Voracek &amp; Hein 2023)
 */
public record Smoothing(NoiseFamily family, Norm norm, boolean box) implements java.io.Serializable {
    public static final Smoothing GAUSSIAN_L2 = new Smoothing(NoiseFamily.GAUSSIAN, Norm.L2, false);

    public Smoothing {
        if (family == null || norm == null) {
            throw new IllegalArgumentException("noise family and norm are required");
        }
        if (box && !(family == NoiseFamily.UNIFORM && norm == Norm.L1)) {
            throw new IllegalArgumentException("--box is the L1 certificate of uniform noise: give --noise uniform "
                    + "--norm l1, got --noise " + family.id() + " --norm " + norm.id());
        }
    }

    /** Noise and norm as named on the command line ({@code --noise}, {@code --norm}, {@code --box}). */
    public static Smoothing parse(String noise, String norm, boolean box) {
        return new Smoothing(NoiseFamily.parse(noise, "--noise"), Norm.parse(norm, "--norm"), box);
    }

    public boolean isDefault() {
        return equals(GAUSSIAN_L2);
    }

    /** Refuses the sound mode (--sound), whose noise is the rounded Gaussian, for another family. */
    public void checkSound() {
        if (family != NoiseFamily.GAUSSIAN) {
            throw new IllegalArgumentException("--sound draws the rounded Gaussian: it applies to --noise gaussian, "
                    + "not " + family.id());
        }
    }

    /** Refuses the two-class radius (--two-sided-radius), which is Gaussian L2 only. */
    public void checkTwoSidedRadius() {
        if (!isDefault()) {
            throw new IllegalArgumentException("--two-sided-radius is the Gaussian L2 radius of Cohen et al.'s "
                    + "Theorem 1: not with --noise " + family.id() + " --norm " + norm.id());
        }
    }

    /** The radius as a function of pA at input x (x matters only for the box certificate). */
    NormRadius radiusAt(double sigma, org.nd4j.linalg.api.ndarray.INDArray x) {
        return box ? NormRadius.uniformL1InBox(sigma, x.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c')
                .data().asFloat()) : NormRadius.of(family, norm, sigma, x.length());
    }

    /** The settings keys of a non-default smoothing (none for Gaussian L2: the settings of such runs stay as they were). */
    public Map<String, Object> toMap(double sigma, long d) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!isDefault()) {
            m.put("family", family.id());
            m.put("norm", norm.id());
            m.put("scale", family.scale(sigma));
            m.put("radiusFormula", box ? "uniform L1 in the [0,1] box (Voracek & Hein 2023)"
                    : NormRadius.of(family, norm, sigma, d).formula());
            if (box) {
                m.put("box", true);
            }
        }
        return m;
    }
}
