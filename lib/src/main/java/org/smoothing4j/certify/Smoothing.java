package org.smoothing4j.certify;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.noise.GridLevels;
import org.smoothing4j.noise.GridNoise;
import org.smoothing4j.noise.InverseCdfNoise;
import org.smoothing4j.noise.NoiseFamily;
import org.smoothing4j.noise.NoiseSource;
import org.smoothing4j.noise.ZigguratNoise;

/**
 * What a smoothed classifier is, as one immutable value checked where it is built: the noise family and its
 * per-coordinate standard deviation sigma, the norm of the certified radii, and the certificate's modes. The default
 * is Cohen et al.'s: Gaussian noise, L2 radii sigma Phi^-1(pA_lower).
 * <ul>
 * <li>{@code box}: with uniform noise in L1, the data-dependent radius of an adversary confined to the [0,1] box
 * ({@link NormRadius#uniformL1InBox}, Voracek &amp; Hein, ICML 2023);</li>
 * <li>{@code sound}: inputs on the grid m / {@code gridLevels}, the exact rounded Gaussian drawn from fair bits
 * ({@link GridNoise}) and every claim corrected for it ({@link Claims}); Voracek &amp; Hein, ICLR 2023;</li>
 * <li>{@code twoSidedRadius}: CERTIFY's radius sigma / 2 (Phi^-1(pA_lower) - Phi^-1(pB_upper)) from bounds on the
 * top class and the runner-up (Cohen et al. 2019, Theorem 1), Gaussian L2 only.</li>
 * </ul>
 * Every combination that cannot be sound or meaningful is refused by the constructor, with a message that names both
 * parts as their flags: the modes only add conditions, so building the same value by {@link #of} and the {@code with}
 * methods in any order gives the same value or the same error (SmoothingTest tries every pair).
 *
 * @param gridLevels the grid's levels L of the sound mode (255 for 8-bit images); unused, but checked, without it
 */
public record Smoothing(NoiseFamily family, double sigma, Norm norm, boolean box, boolean sound, int gridLevels,
        boolean twoSidedRadius) implements java.io.Serializable {

    public Smoothing {
        if (family == null || norm == null) {
            throw new IllegalArgumentException("noise family and norm are required");
        }
        checkSigma(sigma);
        GridLevels.check(gridLevels);
        if (box && !(family == NoiseFamily.UNIFORM && norm == Norm.L1)) {
            throw new IllegalArgumentException("--box is the L1 certificate of uniform noise: give --noise uniform "
                    + "--norm l1, got --noise " + family.id() + " --norm " + norm.id());
        }
        if (sound && family != NoiseFamily.GAUSSIAN) {
            throw new IllegalArgumentException("--sound draws the rounded Gaussian: it applies to --noise gaussian, "
                    + "not " + family.id());
        }
        if (twoSidedRadius && !(family == NoiseFamily.GAUSSIAN && norm == Norm.L2)) {
            throw new IllegalArgumentException("--two-sided-radius is the Gaussian L2 radius of Cohen et al.'s "
                    + "Theorem 1: not with --noise " + family.id() + " --norm " + norm.id());
        }
    }

    /** Cohen et al.'s smoothing: Gaussian noise of standard deviation sigma, L2 radii. */
    public static Smoothing gaussian(double sigma) {
        return of(NoiseFamily.GAUSSIAN, sigma, Norm.L2);
    }

    /** Noise of a family at per-coordinate standard deviation sigma, radii in a norm. */
    public static Smoothing of(NoiseFamily family, double sigma, Norm norm) {
        return new Smoothing(family, sigma, norm, false, false, GridLevels.EIGHT_BIT, false);
    }

    /** The flags {@code --noise}, {@code --sigma} and {@code --norm}. */
    public static Smoothing parse(String noise, double sigma, String norm) {
        return of(NoiseFamily.parse(noise, "--noise"), sigma, Norm.parse(norm, "--norm"));
    }

    /** The one check of {@code --sigma}: a finite number &gt; 0. */
    public static double checkSigma(double sigma) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("--sigma must be a finite number > 0, got " + sigma);
        }
        return sigma;
    }

    /** With the box certificate (uniform noise, L1). */
    public Smoothing withBox() {
        return new Smoothing(family, sigma, norm, true, sound, gridLevels, twoSidedRadius);
    }

    /** In the sound mode, for images on the grid m / levels (255 for 8-bit images). */
    public Smoothing withSoundGrid(int levels) {
        return new Smoothing(family, sigma, norm, box, true, levels, twoSidedRadius);
    }

    /** With CERTIFY's two-class radius. */
    public Smoothing withTwoSidedRadius() {
        return new Smoothing(family, sigma, norm, box, sound, gridLevels, true);
    }

    /** Whether this is Cohen et al.'s Gaussian L2 smoothing in the standard mode with the one-class radius. */
    public boolean isDefault() {
        return equals(gaussian(sigma));
    }

    /**
     * A fresh stream of this smoothing's noise: the exact rounded Gaussian in the sound mode, else the ziggurat
     * Gaussian or the Laplace or uniform inverse-CDF stream; all indexed (fill k of seed s depends on (s, k) only).
     */
    public NoiseSource noise() {
        if (sound) {
            return new GridNoise(sigma, gridLevels);
        }
        return family == NoiseFamily.GAUSSIAN ? new ZigguratNoise() : new InverseCdfNoise(family);
    }

    /** Refuses an input the box certificate cannot use (a pixel outside [0,1]); accepts any without the box. */
    public void checkBoxInput(INDArray x) {
        if (box) {
            radiusAt(x);
        }
    }

    /** Refuses an input off the sound mode's grid m / L, naming the first pixel off it; accepts any otherwise. */
    public void checkGridInput(INDArray x) {
        if (sound) {
            GridNoise.gridOf(x, gridLevels);
        }
    }

    /** The radius as a function of pA at input x (x matters only for the box certificate). */
    NormRadius radiusAt(INDArray x) {
        return box ? NormRadius.uniformL1InBox(sigma, x.castTo(DataType.FLOAT).dup('c').data().asFloat())
                : NormRadius.of(family, norm, sigma, x.length());
    }

    /**
     * The settings a run stores for this smoothing, in their historical order: sigma and the noise generator's name;
     * {@code sound} and {@code gridLevels} in the sound mode; family, norm, scale and radius formula (and box) for all
     * but Gaussian L2; nothing more for the default, so the settings of such runs stay as they were.
     */
    public Map<String, Object> toMap(long d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sigma", sigma);
        m.put("noise", noise().name());
        if (sound) {
            m.put("sound", true);
            m.put("gridLevels", gridLevels);
        }
        if (!(family == NoiseFamily.GAUSSIAN && norm == Norm.L2 && !box)) {
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

    /** The settings key of the two-sided radius, stored after the run's other settings. */
    public Map<String, Object> radiusMap() {
        return twoSidedRadius ? Map.of("radius", "two-sided: sigma/2 (Phi^-1(pALower) - Phi^-1(pBUpper)), one-sided "
                + "bounds at alpha/2 each") : Map.of();
    }
}
