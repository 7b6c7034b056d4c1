package org.smoothing4j.denoise;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.smoothing4j.io.Json;

/**
 * A diffusion model's noise schedule as the cumulative products abar_t = prod_{s <= t} (1 - beta_s), t = 0 .. T-1
 * (0-based, as DDPM's and improved-diffusion's code index them; the model is called with that t).
 * <ul>
 * <li>linear: beta evenly spaced from beta_1 to beta_T, both included (DDPM, Ho et al. 2020: 1e-4 to 0.02 over
 * T = 1000; {@code np.linspace} in their {@code get_beta_schedule("linear")}); the default.
 * <li>cosine (Nichol &amp; Dhariwal 2021, improved-diffusion's {@code betas_for_alpha_bar}): beta_t = min(1 -
 * f((t+1)/T) / f(t/T), 0.999) with f(u) = cos^2((u + 0.008) / 1.008 * pi/2); the CIFAR-10 checkpoint that Carlini et al.
 * 2023 use has T = 4000.
 * </ul>
 * Arithmetic in double, as both codes do (float64 numpy arrays).
 */
public record DiffusionSchedule(String description, double[] alphaBar) {
    public static final String DEFAULT = "linear:0.0001,0.02,1000";

    public DiffusionSchedule {
        alphaBar = alphaBar.clone();
    }

    /** DDPM's linear schedule. */
    public static DiffusionSchedule linear(double betaStart, double betaEnd, int steps) {
        checkSteps(steps);
        if (!(betaStart > 0 && betaStart <= betaEnd && betaEnd < 1)) {
            throw new IllegalArgumentException("a linear schedule needs 0 < beta_start <= beta_end < 1, got " + betaStart
                    + " and " + betaEnd);
        }
        double[] abar = new double[steps];
        double product = 1;
        for (int t = 0; t < steps; t++) {
            double beta = steps == 1 ? betaStart : betaStart + (betaEnd - betaStart) * t / (steps - 1);
            product *= 1 - beta;
            abar[t] = product;
        }
        return new DiffusionSchedule(String.format(Locale.ROOT, "linear:%s,%s,%d", betaStart, betaEnd, steps), abar);
    }

    /** improved-diffusion's cosine schedule. */
    public static DiffusionSchedule cosine(int steps) {
        checkSteps(steps);
        double[] abar = new double[steps];
        double product = 1;
        for (int t = 0; t < steps; t++) {
            double beta = Math.min(1 - f((t + 1.0) / steps) / f((double) t / steps), 0.999);
            product *= 1 - beta;
            abar[t] = product;
        }
        return new DiffusionSchedule("cosine:" + steps, abar);
    }

    private static double f(double u) {
        double c = Math.cos((u + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    private static void checkSteps(int steps) {
        if (steps < 1 || steps > 1_000_000) {
            throw new IllegalArgumentException("a schedule needs between 1 and 1,000,000 steps, got " + steps);
        }
    }

    /**
     * "linear", "linear:START,END,T", "cosine" or "cosine:T" (T = 1000 when left out); {@code where} names the flag
     * or file in the message.
     */
    public static DiffusionSchedule parse(String spec, String where) {
        String s = spec.replace(" ", "").toLowerCase(Locale.ROOT);
        String expected = where + ": schedule '" + spec + "', expected linear, linear:START,END,T, cosine or cosine:T";
        try {
            if (s.equals("linear")) {
                return parse(DEFAULT, where);
            }
            if (s.startsWith("linear:")) {
                String[] p = s.substring(7).split(",", -1);
                if (p.length != 3) {
                    throw new IllegalArgumentException(expected);
                }
                return linear(Double.parseDouble(p[0]), Double.parseDouble(p[1]), Integer.parseInt(p[2]));
            }
            if (s.equals("cosine")) {
                return cosine(1000);
            }
            if (s.startsWith("cosine:")) {
                return cosine(Integer.parseInt(s.substring(7)));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(expected, e);
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(expected);
    }

    /**
     * The schedule of a JSON file ({@code {"schedule": "linear", "betaStart": 1e-4, "betaEnd": 0.02, "steps": 1000}},
     * or "cosine" with "steps").
     */
    public static DiffusionSchedule read(Map<String, Object> doc, Path file) throws IOException {
        String kind = Json.string(doc, "schedule", file);
        int steps = Math.toIntExact(Json.integer(doc, "steps", file));
        return switch (kind) {
            case "linear" -> parse("linear:" + Json.number(doc, "betaStart", file) + ","
                    + Json.number(doc, "betaEnd", file) + "," + steps, file.toString());
            case "cosine" -> parse("cosine:" + steps, file.toString());
            default -> throw new IOException(file + ": \"schedule\" is '" + kind + "', expected linear or cosine");
        };
    }

    public int steps() {
        return alphaBar.length;
    }

    public double alphaBar(int t) {
        return alphaBar[t];
    }

    /** The noise-to-signal ratio sqrt((1 - abar_t) / abar_t) of x_t = sqrt(abar_t) (x0 + ratio * eps). */
    public double noiseRatio(int t) {
        return Math.sqrt((1 - alphaBar[t]) / alphaBar[t]);
    }

    /**
     * t*: the first step whose noise ratio reaches {@code sigma} (in the model's own pixel scale), a linear scan from
     * t = 0 as in Carlini et al.'s {@code cifar10/certify.py}. Refused when no step of the schedule has that much noise.
     */
    public int step(double sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("a diffusion denoiser needs sigma > 0, got " + sigma);
        }
        for (int t = 0; t < alphaBar.length; t++) {
            if (noiseRatio(t) >= sigma) {
                return t;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT, "schedule %s reaches a noise ratio of %.4g at "
                + "its last step, less than sigma %s in the model's scale: no step denoises that much noise",
                description, noiseRatio(alphaBar.length - 1), sigma));
    }
}
