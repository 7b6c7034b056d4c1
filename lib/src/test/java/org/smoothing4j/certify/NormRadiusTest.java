package org.smoothing4j.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.smoothing4j.noise.NoiseFamily;

/**
 * Known answers for the radius formulas ({@link NormRadius}).
 * <p>
 * The truth for a linear classifier: f(z) = 1[w.z + b &gt; 0] under noise with i.i.d. coordinates symmetric about 0
 * gives P(f(x + delta) = 1) = P(w.delta &gt; -(w.x + b)), above 1/2 exactly when w.x + b &gt; 0 (w.delta is symmetric
 * and continuous), so the smoothed classifier is f itself and its exact radius in norm p is |w.x + b| / ||w||_q with q
 * the dual norm (L2: ||w||_2; L1: ||w||_inf; L-infinity: ||w||_1). pA itself is P(w.delta &gt; -m) for margin m = w.x
 * + b, in closed form for w = e_1 (one coordinate) and for w = (1, 1) (a sum of two: triangular for uniform noise,
 * P(S &gt; c) = e^(-c/lambda) (1 + c / (2 lambda)) / 2 for Laplace). Every claimed radius must be at most the truth; the
 * one-coordinate L1 radii of uniform and Laplace noise and the Gaussian L2 radius are exact there (METHODS 2d KATs 1-2).
 */
class NormRadiusTest {
    private static final double SIGMA = 0.5;

    /** P(delta_1 &gt; -m) for one coordinate of the family's noise (m &gt;= 0). */
    private static double pAOneCoordinate(NoiseFamily f, double m) {
        double l = f.scale(SIGMA);
        return switch (f) {
            case GAUSSIAN -> Statistics.normalCdf(m / l);
            case LAPLACE -> 1 - 0.5 * Math.exp(-m / l);
            case UNIFORM -> Math.min(1, (m + l) / (2 * l));
        };
    }

    /** P(delta_1 + delta_2 &gt; -c) (c &gt;= 0). */
    private static double pASumOfTwo(NoiseFamily f, double c) {
        double l = f.scale(SIGMA);
        return switch (f) {
            case GAUSSIAN -> Statistics.normalCdf(c / (l * Math.sqrt(2)));
            case LAPLACE -> 1 - 0.5 * Math.exp(-c / l) * (1 + c / (2 * l));
            case UNIFORM -> c >= 2 * l ? 1 : 1 - (2 * l - c) * (2 * l - c) / (8 * l * l);
        };
    }

    @Test
    void oneCoordinateHalfSpaceRadiiAreExactWhereTheFormulaIsTight() {
        for (double m : new double[] {0.01, 0.1, 0.3, 0.6}) {
            assertEquals(m, NormRadius.of(NoiseFamily.UNIFORM, Norm.L1, SIGMA, 784)
                    .radius(pAOneCoordinate(NoiseFamily.UNIFORM, m)), 1e-12);
            assertEquals(m, NormRadius.of(NoiseFamily.LAPLACE, Norm.L1, SIGMA, 784)
                    .radius(pAOneCoordinate(NoiseFamily.LAPLACE, m)), 1e-9);
            assertEquals(m, NormRadius.of(NoiseFamily.GAUSSIAN, Norm.L2, SIGMA, 784)
                    .radius(pAOneCoordinate(NoiseFamily.GAUSSIAN, m)), 1e-9);
            // in d = 1 the uniform L-infinity radius is exact too
            assertEquals(m, NormRadius.of(NoiseFamily.UNIFORM, Norm.LINF, SIGMA, 1)
                    .radius(pAOneCoordinate(NoiseFamily.UNIFORM, m)), 1e-12);
        }
    }

    @Test
    void noClaimExceedsTheExactRadiusOfALinearClassifier() {
        StringBuilder tightness = new StringBuilder();
        for (NoiseFamily f : NoiseFamily.values()) {
            for (Norm norm : Norm.values()) {
                double worst = 0;
                for (double m = 0.02; m < 1.2; m += 0.02) {
                    // w = e_1 in d = 2: truth m in every norm
                    double claim = NormRadius.of(f, norm, SIGMA, 2).radius(pAOneCoordinate(f, m));
                    assertTrue(claim <= m * (1 + 1e-9), f + " " + norm + " e_1: claim " + claim + " > truth " + m);
                    worst = Math.max(worst, claim / m);
                    // w = (1, 1) in d = 2, margin c = w.x + b: truth c / ||w||_q
                    double c = m;
                    double truth = switch (norm) {
                        case L2 -> c / Math.sqrt(2);
                        case L1 -> c;
                        case LINF -> c / 2;
                    };
                    double claim2 = NormRadius.of(f, norm, SIGMA, 2).radius(pASumOfTwo(f, c));
                    assertTrue(claim2 <= truth * (1 + 1e-9), f + " " + norm + " (1,1): claim " + claim2 + " > truth "
                            + truth);
                }
                tightness.append(String.format(java.util.Locale.ROOT, "%s %s: best claim/truth %.3f; ", f.id(),
                        norm.id(), worst));
            }
        }
        System.out.println("tightness on e_1 half-spaces, d = 2: " + tightness);
    }

    @Test
    void theLinearCheckCanFail() {
        // a formula without the norm conversion (the L2 radius taken as the L-infinity one) overclaims in d = 2
        double m = 0.3, c = m;
        double l2 = NormRadius.of(NoiseFamily.GAUSSIAN, Norm.L2, SIGMA, 2).radius(pASumOfTwo(NoiseFamily.GAUSSIAN, c));
        assertTrue(l2 > c / 2, "the L-infinity truth c/2 is not below the L2 radius: the check could not fail");
    }

    @Test
    void levelIsTheInverseOfTheRadius() {
        for (NoiseFamily f : NoiseFamily.values()) {
            for (Norm norm : Norm.values()) {
                for (long d : new long[] {1, 2, 784, 3072}) {
                    NormRadius r = NormRadius.of(f, norm, SIGMA, d);
                    assertEquals(0.5, r.level(0), 0);
                    assertEquals(0, r.radius(0.5), 0);
                    assertEquals(0, r.radius(0.3), 0);
                    for (double p = 0.55; p < 0.999; p += 0.05) {
                        double radius = r.radius(p);
                        assertTrue(radius > 0 && radius > r.radius(p - 0.01), f + " " + norm + " not increasing");
                        assertEquals(p, r.level(radius), 1e-9, f + " " + norm + " d=" + d + " at " + p);
                    }
                }
            }
        }
        // a radius no pA reaches: uniform L1 stops at lambda
        assertTrue(NormRadius.of(NoiseFamily.UNIFORM, Norm.L1, SIGMA, 784).level(1.0) > 1);
    }

    /** The smallest prod (1 - u_i / 2 lambda) over the vertices of {sum u_i &lt;= c, 0 &lt;= u_i &lt;= m_i}. */
    private static double minOverlapByVertices(double[] m, double c, double twoLambda) {
        int d = m.length;
        double best = 1;
        int states = (int) Math.pow(3, d); // each coordinate 0, m_i, or the one free coordinate
        for (int s = 0; s < states; s++) {
            int code = s, free = -1, frees = 0;
            double spent = 0, prod = 1;
            int[] st = new int[d];
            for (int i = 0; i < d; i++) {
                st[i] = code % 3;
                code /= 3;
                if (st[i] == 1) {
                    spent += m[i];
                    prod *= Math.max(0, 1 - m[i] / twoLambda);
                } else if (st[i] == 2) {
                    free = i;
                    frees++;
                }
            }
            if (frees > 1 || spent > c + 1e-12) {
                continue;
            }
            if (free >= 0) {
                double u = c - spent;
                if (u < 0 || u > m[free]) {
                    continue;
                }
                prod *= Math.max(0, 1 - u / twoLambda);
            }
            best = Math.min(best, prod);
        }
        return best;
    }

    @Test
    void boxRadiusIsTheGreedyMinimumWhichTheVerticesConfirm() {
        SplittableRandom random = new SplittableRandom(3);
        double twoLambda = 2 * NoiseFamily.UNIFORM.scale(SIGMA);
        for (int trial = 0; trial < 2000; trial++) {
            int d = 1 + random.nextInt(4);
            float[] x = new float[d];
            double[] m = new double[d];
            for (int i = 0; i < d; i++) {
                x[i] = (float) random.nextDouble();
                m[i] = Math.max(x[i], 1.0 - x[i]);
            }
            NormRadius box = NormRadius.uniformL1InBox(SIGMA, x);
            double c = random.nextDouble() * 3;
            assertEquals(minOverlapByVertices(m, c, twoLambda), 1.5 - box.level(c), 1e-12, "d " + d + " c " + c);
            double pA = 0.5 + 0.5 * random.nextDouble();
            double plain = NormRadius.of(NoiseFamily.UNIFORM, Norm.L1, SIGMA, d).radius(pA);
            double r = box.radius(pA);
            assertTrue(r >= plain - 1e-12, "box radius " + r + " below the unconstrained " + plain);
            // r is certified: the worst overlap at budget r stays at least 3/2 - pA
            assertTrue(minOverlapByVertices(m, r, twoLambda) >= 1.5 - pA - 1e-9, "box radius not certified");
            double largest = java.util.Arrays.stream(m).max().orElseThrow();
            if (plain <= largest) { // within one pixel's range the box changes nothing
                assertEquals(plain, r, 1e-12);
            }
        }
    }

    @Test
    void boxRadiusGrowsBeyondTheUnconstrainedOneWhenPixelsAreNearTheMiddle() {
        float[] x = new float[784];
        java.util.Arrays.fill(x, 0.5f); // every pixel can move by 1/2 only
        double pA = 0.999;
        double plain = NormRadius.of(NoiseFamily.UNIFORM, Norm.L1, 1.0, 784).radius(pA);
        double box = NormRadius.uniformL1InBox(1.0, x).radius(pA);
        assertTrue(box > plain * 1.05, "box " + box + " vs " + plain);
        assertThrows(IllegalArgumentException.class, () -> NormRadius.uniformL1InBox(0.5, new float[] {1.5f}));
    }

    @Test
    void boxIsOnlyForUniformL1() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Smoothing.parse("laplace", 0.5, "l1").withBox());
        assertTrue(e.getMessage().contains("--noise uniform --norm l1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Smoothing.parse("uniform", 0.5, "l3"));
    }
}
