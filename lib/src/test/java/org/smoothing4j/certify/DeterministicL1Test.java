package org.smoothing4j.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.model.Classifier;

/**
 * The deterministic L1 certificate against the truth, found by exhaustion: on a grid of Q = 8 levels in d = 3 pixels
 * (729 grid images) the smoothed classifier is computed at every grid image, and each certificate of m grid steps must
 * leave the class unchanged at every grid image within m steps (L1 distance m / Q). Base classifiers: random linear
 * ones over 3 classes and irregular ones (a hash of the split input), which change their answer at many shifts.
 * No tolerance: the certificate and the truth are integers. The same comparison fails for a certificate without the
 * halving (m = c_1 - c_2), so it can fail; the threshold classifier f(x~) = [x~_1 &gt; 1/2] is the tight case, where
 * every certificate reaches the truth minus one step.
 */
class DeterministicL1Test {
    private static final int Q = 8;
    private static final int D = 3;
    private static final double SIGMA = 0.3; // L = floor(2 sqrt3 0.3 * 8) = 8 shifts

    /** One-hot scores of a class function of the split input (a row of d values). */
    private static Classifier classifier(int classes, ToIntFunction<float[]> f) {
        return Classifier.of(batch -> {
            int b = (int) batch.size(0);
            float[][] rows = batch.reshape(b, D).castTo(DataType.FLOAT).toFloatMatrix();
            float[][] scores = new float[b][classes];
            for (int r = 0; r < b; r++) {
                scores[r][f.applyAsInt(rows[r])] = 1;
            }
            return Nd4j.create(scores);
        }, classes, 1, 1, D);
    }

    private static int[] point(int code) {
        int[] k = new int[D];
        for (int i = 0; i < D; i++) {
            k[i] = code % (Q + 1);
            code /= Q + 1;
        }
        return k;
    }

    private static INDArray image(int[] k) {
        float[] v = new float[D];
        for (int i = 0; i < D; i++) {
            v[i] = k[i] / (float) Q;
        }
        return Nd4j.create(v, new long[] {1, 1, D});
    }

    /** Per grid image: [smoothed class, certified steps, certified steps without the halving, exact distance]. */
    private static int[][] compare(Classifier f) {
        DeterministicL1 cert = DeterministicL1.withGrid(f, SIGMA, Q).withBatchSize(8);
        assertEquals(8, cert.split().shifts());
        int points = (int) Math.pow(Q + 1, D);
        int[] g = new int[points];
        long[] steps = new long[points], unhalved = new long[points];
        for (int p = 0; p < points; p++) {
            long[] counts = cert.counts(image(point(p)));
            assertEquals(8, java.util.Arrays.stream(counts).sum());
            g[p] = DeterministicL1.top(counts);
            steps[p] = DeterministicL1.steps(counts);
            long[] rest = counts.clone();
            rest[g[p]] = -1;
            unhalved[p] = counts[g[p]] - java.util.Arrays.stream(rest).max().getAsLong();
        }
        int[][] out = new int[points][];
        for (int p = 0; p < points; p++) {
            int[] a = point(p);
            int nearest = Integer.MAX_VALUE; // L1 grid steps to the nearest image of another class
            for (int q = 0; q < points; q++) {
                if (g[q] != g[p]) {
                    int[] b = point(q);
                    int dist = 0;
                    for (int i = 0; i < D; i++) {
                        dist += Math.abs(a[i] - b[i]);
                    }
                    nearest = Math.min(nearest, dist);
                }
            }
            out[p] = new int[] {g[p], (int) steps[p], (int) unhalved[p], nearest};
        }
        return out;
    }

    @Test
    void everyCertificateHoldsAtEveryGridImageWithinItsRadius() {
        SplittableRandom random = new SplittableRandom(7);
        int tight = 0, certified = 0, unhalvedWrong = 0;
        for (int trial = 0; trial < 24; trial++) {
            Classifier f;
            if (trial % 2 == 0) { // linear, 3 classes, random weights and offsets around the middle of the box
                double[][] w = new double[3][D];
                double[] bias = new double[3];
                for (int c = 0; c < 3; c++) {
                    for (int i = 0; i < D; i++) {
                        w[c][i] = random.nextGaussian();
                        bias[c] -= w[c][i] * 0.5;
                    }
                    bias[c] += 0.3 * random.nextGaussian();
                }
                f = classifier(3, x -> {
                    int best = 0;
                    double top = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < 3; c++) {
                        double s = bias[c];
                        for (int i = 0; i < D; i++) {
                            s += w[c][i] * x[i];
                        }
                        if (s > top) {
                            top = s;
                            best = c;
                        }
                    }
                    return best;
                });
            } else { // irregular: a hash of the split input, mostly class 0 so that certificates are non-trivial
                long salt = random.nextLong();
                f = classifier(3, x -> {
                    long h = salt;
                    for (float v : x) {
                        h = (h ^ Float.floatToIntBits(v)) * 0x9E3779B97F4A7C15L;
                    }
                    int u = (int) ((h >>> 40) % 10);
                    return u < 7 ? 0 : u < 9 ? 1 : 2;
                });
            }
            for (int[] r : compare(f)) {
                assertTrue(r[1] < r[3], "certified " + r[1] + " steps, another class at " + r[3]);
                certified += r[1] > 0 ? 1 : 0;
                tight += r[1] == r[3] - 1 ? 1 : 0;
                unhalvedWrong += r[2] >= r[3] ? 1 : 0;
            }
        }
        System.out.printf("deterministic L1: %d of %d grid images certified > 0 steps, %d tight (truth - 1)%n",
                certified, 24 * 729, tight);
        assertTrue(certified > 24 * 729 / 4, "too few non-trivial certificates to test anything: " + certified);
        assertTrue(unhalvedWrong > 0, "a certificate without the halving should claim too much somewhere");
    }

    @Test
    void theThresholdClassifierIsCertifiedTightly() {
        // x~_1 > 1/2 exactly when x_1 > s_1(t): class 1 at min(k_1, L) of the L shifts
        Classifier f = classifier(2, x -> x[0] > 0.5f ? 1 : 0);
        int points = 0;
        for (int[] r : compare(f)) {
            assertEquals(r[3] - 1, r[1], "threshold classifier: the certificate is the truth minus one step");
            points++;
        }
        assertEquals(729, points);
    }

    @Test
    void imagesOffTheGridAreRefused() {
        Classifier f = classifier(2, x -> 0);
        DeterministicL1 cert = DeterministicL1.withGrid(f, SIGMA, Q);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cert.certify(Nd4j.create(new float[] {0.5f, 0.3f, 0.25f}, new long[] {1, 1, D})));
        assertTrue(e.getMessage().contains("pixel 1 is 0.3, not on the grid k/8"), e.getMessage());
    }

    @Test
    void radiusIsTheStepsOverTheLevelsRoundedDown() {
        assertEquals(3 / 255.0, DeterministicL1.radius(3, 255), 0);
        assertTrue(DeterministicL1.radius(3, 255) * 255 <= 3);
        assertEquals(441, org.smoothing4j.noise.SplitNoise.shifts(0.5, 255));
        assertEquals(220, org.smoothing4j.noise.SplitNoise.shifts(0.25, 255));
        assertEquals(883, org.smoothing4j.noise.SplitNoise.shifts(1.0, 255));
        assertEquals(1, DeterministicL1.steps(new long[] {1, 4, 0, 1})); // c1 4, c2 1 at a lower index: (4-1-1)/2
        assertEquals(2, DeterministicL1.steps(new long[] {0, 5, 0, 1})); // c2 1 at a higher index: (5-1)/2
    }
}
