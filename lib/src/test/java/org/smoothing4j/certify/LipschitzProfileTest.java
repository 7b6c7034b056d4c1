package org.smoothing4j.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.smoothing4j.model.Classifier;

/**
 * The Lipschitz view on a half-space f(z) = [z_0 &gt;= theta], where G_1(x) = Phi((x_0 - theta) / sigma) exactly:
 * along e_0, Phi^-1(G_1) has slope exactly 1/sigma (the bound is tight); along e_1 it is flat. Bands are
 * simultaneous at level 1 - alpha (alpha = 0.01 split over the 9 positions), so with the fixed seed the true
 * curve lies inside them and no pair contradicts the bound, each failing with probability at most alpha.
 */
class LipschitzProfileTest {
    private static final double SIGMA = 0.5, THETA = 0.5;
    private static final Classifier HALF_SPACE = Classifier.of(batch -> {
        INDArray one = batch.reshape(batch.size(0), 2).getColumn(0).reshape(batch.size(0), 1).dup();
        BooleanIndexing.replaceWhere(one, 1.0, Conditions.greaterThanOrEqual(THETA));
        BooleanIndexing.replaceWhere(one, 0.0, Conditions.lessThan(THETA));
        return Nd4j.hstack(one.rsub(1.0), one);
    }, 2, 1, 1, 2);

    private static final double[] T = {0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0};

    private static LipschitzProfile profile(float[] direction) {
        SmoothedClassifier g = SmoothedClassifier.of(HALF_SPACE, SIGMA).withBatchSize(2000);
        INDArray x = Nd4j.create(new float[] {0.0f, 0.3f}, new long[] {1, 1, 2}); // G_1(x) = Phi(-1)
        return LipschitzProfile.along(g, x, Nd4j.create(direction, new long[] {1, 1, 2}), 1, T, 20_000, 0.01, 3);
    }

    @Test
    void steepestDirectionHasSlopeOneOverSigmaAndNoViolation() {
        LipschitzProfile p = profile(new float[] {1, 0});
        double[] z = p.z();
        for (int k = 0; k < T.length; k++) {
            double truth = (0.0 + T[k] - THETA) / SIGMA;
            double g = org.apache.commons.statistics.distribution.NormalDistribution.of(0, 1).cumulativeProbability(truth);
            assertTrue(p.lower()[k] <= g && g <= p.upper()[k], "true G outside the band at t = " + T[k]);
            // 20,000 samples: SE of Phi^-1 at most ~0.02 here; 0.1 is 5 SE
            assertEquals(truth, z[k], 0.1, "t = " + T[k]);
        }
        assertEquals(0, p.violations());
        // the check can fail: a claimed sigma twice the true one (bound 1/(2 sigma)) is contradicted
        assertTrue(p.violations(2 * SIGMA) > 0, "a slope of 1/sigma was not detected against the bound 1/(2 sigma)");
        assertTrue(p.steepestSlopeLowerBound() > 0.5 / SIGMA && p.steepestSlopeLowerBound() <= 1 / SIGMA);
    }

    @Test
    void orthogonalDirectionIsFlat() {
        LipschitzProfile p = profile(new float[] {0, 1});
        assertEquals(0, p.violations(100 * SIGMA)); // no detectable slope at all, even against a bound of 0.02
        assertTrue(p.steepestSlopeLowerBound() < 0.2 / SIGMA, "flat direction: " + p.steepestSlopeLowerBound());
    }
}
