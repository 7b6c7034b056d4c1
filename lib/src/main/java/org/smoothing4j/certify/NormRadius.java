package org.smoothing4j.certify;

import java.util.Arrays;
import java.util.Locale;
import org.smoothing4j.noise.NoiseFamily;

/**
 * The certified radius of a smoothed classifier as a function of a lower bound pA &gt;= 1/2 on its top class's
 * probability, for one noise family ({@link NoiseFamily}, per-coordinate standard deviation sigma, scale lambda) and
 * one norm, in d input dimensions. With B = 1 - pA as the bound on every other class (one-sided, as Cohen et al.'s
 * CERTIFY):
 * <table>
 * <caption>radius(pA) per family and norm</caption>
 * <tr><th>noise</th><th>L2</th><th>L1</th><th>L-infinity</th></tr>
 * <tr><td>Gaussian</td><td>sigma Phi^-1(pA) (Cohen et al. 2019, Thm 1)</td><td>the L2 radius (the L1 ball of radius
 * r lies in the L2 ball of radius r)</td><td>the L2 radius / sqrt d (the L-infinity ball of radius r lies in the L2
 * ball of radius r sqrt d)</td></tr>
 * <tr><td>Laplace</td><td>the L1 radius / sqrt d</td><td>-lambda log(2 (1 - pA)) (Teng et al. 2020, Thm 1; Yang et
 * al. 2020, Table 1)</td><td>the L1 radius / d</td></tr>
 * <tr><td>uniform</td><td>max(L1 radius / sqrt d, L-infinity radius) (norm conversion, as rs4a's code)</td><td>2
 * lambda (pA - 1/2) (Yang et al. 2020, Table 1; = lambda (pA - pB))</td><td>2 lambda (1 - (3/2 - pA)^(1/d)) (Yang et
 * al. 2020, Table 1)</td></tr>
 * </table>
 * The uniform ones follow from the overlap of the two shifted cubes: P_{x+delta}(A) &gt;= pA - (1 - prod_i (1 -
 * |delta_i| / 2 lambda)) (total variation), and the product is at least 1 - ||delta||_1 / (2 lambda) and at least
 * (1 - ||delta||_inf / (2 lambda))^d; certified while that lower bound stays above 1/2. The conversions are sound
 * but loose (for Laplace in L-infinity, rs4a's tighter numerical table is not used). {@link #uniformL1InBox} is the
 * data-dependent L1 radius of uniform noise when the adversary must stay in the [0,1] box (Voracek &amp; Hein, ICML
 * 2023).
 */
public interface NormRadius {

    /** The certified radius for pA (0 for pA &lt;= 1/2). */
    double radius(double pA);

    /**
     * The smallest pA whose radius is at least r (more than 1 when no pA certifies r): sequential certification
     * decides a target radius by comparing the confidence bounds on pA with it.
     */
    double level(double r);

    /** The formula, as stored in a run's settings. */
    String formula();

    /** The radius of {@code family} in {@code norm} at per-coordinate standard deviation sigma, d dimensions. */
    static NormRadius of(NoiseFamily family, Norm norm, double sigma, long d) {
        if (d < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + d);
        }
        double lambda = family.scale(sigma);
        double sqrtD = Math.sqrt(d);
        return switch (family) {
            case GAUSSIAN -> {
                NormRadius l2 = of("sigma Phi^-1(pA) (Cohen et al. 2019)", p -> sigma * Statistics.normalQuantile(p),
                        r -> Statistics.normalCdf(r / sigma));
                yield norm == Norm.LINF ? scaled(l2, 1 / sqrtD, "L2 / sqrt d") : l2;
            }
            case LAPLACE -> {
                NormRadius l1 = of("-lambda log(2 (1 - pA)) (Teng et al. 2020)",
                        p -> -lambda * Math.log(2 * (1 - p)), r -> 1 - 0.5 * Math.exp(-r / lambda));
                yield switch (norm) {
                    case L1 -> l1;
                    case L2 -> scaled(l1, 1 / sqrtD, "L1 / sqrt d");
                    case LINF -> scaled(l1, 1.0 / d, "L1 / d");
                };
            }
            case UNIFORM -> {
                NormRadius l1 = of("2 lambda (pA - 1/2) (Yang et al. 2020)", p -> 2 * lambda * (p - 0.5),
                        r -> 0.5 + r / (2 * lambda));
                // (3/2 - pA)^(1/d) and (1 - r / 2 lambda)^d through exp/log1p: d is large, the bases near 1
                NormRadius linf = of("2 lambda (1 - (3/2 - pA)^(1/d)) (Yang et al. 2020)",
                        p -> -2 * lambda * Math.expm1(Math.log(1.5 - p) / d),
                        r -> r >= 2 * lambda ? 1.5 : 1.5 - Math.exp(d * Math.log1p(-r / (2 * lambda))));
                yield switch (norm) {
                    case L1 -> l1;
                    case LINF -> linf;
                    case L2 -> larger(scaled(l1, 1 / sqrtD, "L1 / sqrt d"), linf);
                };
            }
        };
    }

    /**
     * The L1 radius of uniform noise on [-lambda, lambda]^d at image x in [0,1]^d when the adversary must stay in the
     * box (Voracek &amp; Hein, "Improving l1-Certified Robustness via Randomized Smoothing by Leveraging Box
     * Constraints", ICML 2023): pixel i can move by at most m_i = max(x_i, 1 - x_i), and r is certified while the
     * smallest overlap prod_i (1 - u_i / 2 lambda) over 0 &lt;= u_i &lt;= m_i, sum u_i &lt;= r, stays above 3/2 - pA.
     * The overlap's logarithm is concave in u, so the minimum is at a vertex, reached by spending the budget on the
     * largest m_i first (checked against the enumerated vertices in NormRadiusTest). At least {@link #of}'s 2 lambda
     * (pA - 1/2), equal to it while r &lt;= the largest m_i &lt; 2 lambda. When no perturbation in the box reaches the
     * overlap every radius holds; it returns the larger of the box's reach sum m_i and 2 lambda (pA - 1/2).
     */
    static NormRadius uniformL1InBox(double sigma, float[] x) {
        double twoLambda = 2 * NoiseFamily.UNIFORM.scale(sigma);
        double[] m = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] >= 0 && x[i] <= 1)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--box: pixel %d is %s, outside the "
                        + "[0,1] box the certificate assumes (give images as [0,1] pixels)", i, Float.toString(x[i])));
            }
            m[i] = Math.max(x[i], 1.0 - x[i]);
        }
        Arrays.sort(m);
        double[] desc = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            desc[i] = m[m.length - 1 - i];
        }
        return new NormRadius() {
            @Override
            public double radius(double pA) {
                double t = 1.5 - pA; // the overlap must stay above t
                if (!(t < 1)) {
                    return 0;
                }
                double overlap = 1, spent = 0;
                for (double mc : desc) {
                    double u = twoLambda * (1 - t / overlap); // what brings the overlap down to t in this pixel
                    if (u <= mc) {
                        return spent + u;
                    }
                    overlap *= 1 - mc / twoLambda;
                    spent += mc;
                }
                // every point of the box is certified: any radius is; report the larger of the box's reach and
                // the unconstrained radius (both true)
                return Math.max(spent, twoLambda * (pA - 0.5));
            }

            @Override
            public double level(double r) {
                double overlap = 1, left = r;
                for (double mc : desc) {
                    if (left <= 0) {
                        break;
                    }
                    double u = Math.min(mc, left);
                    overlap *= Math.max(0, 1 - u / twoLambda);
                    left -= u;
                }
                return 1.5 - overlap;
            }

            @Override
            public String formula() {
                return "uniform L1 in the [0,1] box (Voracek & Hein 2023)";
            }
        };
    }

    private static NormRadius of(String formula, java.util.function.DoubleUnaryOperator radius,
            java.util.function.DoubleUnaryOperator level) {
        return new NormRadius() {
            @Override
            public double radius(double pA) {
                return pA > 0.5 ? Math.max(0, radius.applyAsDouble(Math.min(1, pA))) : 0;
            }

            @Override
            public double level(double r) {
                return r > 0 ? level.applyAsDouble(r) : 0.5;
            }

            @Override
            public String formula() {
                return formula;
            }
        };
    }

    private static NormRadius scaled(NormRadius base, double factor, String how) {
        return of(how + " of " + base.formula(), p -> base.radius(p) * factor, r -> base.level(r / factor));
    }

    private static NormRadius larger(NormRadius a, NormRadius b) {
        return of("max(" + a.formula() + ", " + b.formula() + ")", p -> Math.max(a.radius(p), b.radius(p)),
                r -> Math.min(a.level(r), b.level(r)));
    }
}
