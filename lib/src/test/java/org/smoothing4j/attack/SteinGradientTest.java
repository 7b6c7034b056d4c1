package org.smoothing4j.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.certify.Statistics;
import org.smoothing4j.model.Classifier;

/**
 * Stein-lemma gradients on a probit classifier, whose smoothed classifier is known in closed form: with
 * F_1(z) = Phi(w.z + b), G_1(x) = E[F_1(x + delta)] = Phi(u / s) with u = w.x + b, s = sqrt(1 + sigma^2 |w|^2), and
 * grad G_1(x) = phi(u / s) w / s.
 *
 * <p>Each check repeats the m-sample estimator R = 4000 times (fixed seeds) and compares the mean to the closed
 * form within 3 standard errors of the mean, per coordinate.
 */
class SteinGradientTest {
    private static final double SIGMA = 0.5;
    private static final double[] W = {1.0, -2.0, 0.5, 0.0};
    private static final double B = 0.2;
    private static final double[] X = {0.3, 0.1, 0.7, 0.5};
    private static final int R = 4000;

    private static final Classifier PROBIT = Classifier.of(batch -> {
        long n = batch.size(0);
        INDArray z = batch.reshape(n, 4);
        double[][] out = new double[(int) n][2];
        for (int i = 0; i < n; i++) {
            double u = B;
            for (int k = 0; k < 4; k++) {
                u += W[k] * z.getDouble(i, k);
            }
            out[i][1] = Statistics.normalCdf(u);
            out[i][0] = 1 - out[i][1];
        }
        return Nd4j.create(out);
    }, 2, 1, 1, 4);

    private static double[] trueGradient() {
        double u = B, w2 = 0;
        for (int k = 0; k < 4; k++) {
            u += W[k] * X[k];
            w2 += W[k] * W[k];
        }
        double s = Math.sqrt(1 + SIGMA * SIGMA * w2);
        double phi = Math.exp(-0.5 * (u / s) * (u / s)) / Math.sqrt(2 * Math.PI);
        double[] g = new double[4];
        for (int k = 0; k < 4; k++) {
            g[k] = phi * W[k] / s;
        }
        return g;
    }

    /** R independent estimates [R, 4] of grad G_1 at X with m samples each. */
    private static INDArray estimates(SteinGradient stein, int m, long seed) {
        INDArray x = Nd4j.create(X, new long[] {1, 1, 1, 4}, DataType.DOUBLE).repeat(0, R);
        Nd4j.getRandom().setSeed(seed);
        INDArray noise = Nd4j.randn(DataType.DOUBLE, (long) R * m, 1, 1, 4).muli(SIGMA);
        int[] labels = new int[R];
        java.util.Arrays.fill(labels, 1);
        return stein.estimate(PROBIT, x, noise, labels, SteinGradient.Target.PROBABILITY).gradient();
    }

    private static double rmse(INDArray errors) {
        double norm = errors.norm2Number().doubleValue();
        return Math.sqrt(norm * norm / R);
    }

    private static double totalVariance(INDArray est) {
        return est.var(0).sumNumber().doubleValue();
    }

    @Test
    void everyVariantIsUnbiasedWithinThreeStandardErrors() {
        double[] truth = trueGradient();
        SteinGradient[] variants = {SteinGradient.plain(SIGMA), new SteinGradient(SIGMA, true, false),
            new SteinGradient(SIGMA, false, true), new SteinGradient(SIGMA, true, true)};
        for (SteinGradient v : variants) {
            INDArray est = estimates(v, 16, 42);
            INDArray mean = est.mean(0), se = est.std(0).divi(Math.sqrt(R));
            for (int k = 0; k < 4; k++) {
                double err = Math.abs(mean.getDouble(k) - truth[k]);
                assertTrue(err <= 3 * se.getDouble(k) + 1e-12,
                        v + " coordinate " + k + ": mean " + mean.getDouble(k) + " vs " + truth[k] + " (se "
                                + se.getDouble(k) + ")");
            }
        }
    }

    @Test
    void errorFallsLikeOneOverSqrtM() {
        double[] truth = trueGradient();
        INDArray t = Nd4j.create(truth).reshape(1, 4);
        double rmse16 = rmse(estimates(SteinGradient.plain(SIGMA), 16, 1).subRowVector(t));
        double rmse256 = rmse(estimates(SteinGradient.plain(SIGMA), 256, 2).subRowVector(t));
        // sqrt(256 / 16) = 4; the RMSE estimates have relative standard error ~ 1 / sqrt(2R) ~ 1.1%
        assertEquals(4.0, rmse16 / rmse256, 0.3, "RMSE ratio m=16 vs m=256");
    }

    @Test
    void baselineAndAntitheticPairsLowerTheVariance() {
        double plain = totalVariance(estimates(SteinGradient.plain(SIGMA), 16, 3));
        double baseline = totalVariance(estimates(new SteinGradient(SIGMA, true, false), 16, 3));
        double antithetic = totalVariance(estimates(new SteinGradient(SIGMA, false, true), 16, 3));
        // measured with these seeds (R = 4000, m = 16): plain/baseline 5.27, plain/antithetic 3.09; asserted > 2.5
        assertTrue(plain / baseline > 2.5, "baseline reduces variance by only " + plain / baseline);
        assertTrue(plain / antithetic > 2.5, "antithetic pairs reduce variance by only " + plain / antithetic);
    }
}
