package org.smoothing4j.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The betting confidence sequence: METHODS 3c's known values, time-uniform coverage, and its power. */
class BettingSequenceTest {

    @Test
    void allSuccessesExcludeEightyPercentFirstAtFortyTwoTrials() {
        // METHODS 3c.2 (KT mixture, c = 1/alpha, alpha = 0.001): the first t whose lower end reaches p* = 0.8
        BettingSequence cs = new BettingSequence(0.001);
        int first = 0;
        for (int t = 1; t <= 100 && first == 0; t++) {
            first = cs.lower(t, t) >= 0.8 ? t : 0;
        }
        assertEquals(42, first);
        assertEquals(0.0, cs.lower(0, 50), 0.0);
        assertEquals(1 - cs.lower(30, 100), cs.upper(70, 100), 1e-15);
        assertTrue(cs.lower(900, 1000) < 0.9 && cs.upper(900, 1000) > 0.9);
    }

    @Test
    void coversAtEveryLookAtOnceAtLeastOneMinusAlphaOfTheTime() {
        // 2,000 runs of 2,000 Bernoulli(p) trials with a look after every 20: the interval must miss p at some look
        // in at most alpha of the runs (+ 3 standard errors, sqrt(alpha (1 - alpha) / runs)); a fixed-level
        // Clopper-Pearson interval looked at as often misses far more often (the check can fail)
        double alpha = 0.05;
        int runs = 2000, trials = 2000, every = 20;
        BettingSequence cs = new BettingSequence(alpha);
        SplittableRandom random = new SplittableRandom(31);
        int missed = 0, naiveMissed = 0;
        for (int r = 0; r < runs; r++) {
            double p = 0.5 + 0.45 * random.nextDouble();
            long k = 0;
            boolean miss = false, naive = false;
            for (int t = 1; t <= trials; t++) {
                k += random.nextDouble() < p ? 1 : 0;
                if (t % every == 0) {
                    miss |= cs.lower(k, t) > p || cs.upper(k, t) < p;
                    naive |= Statistics.lowerConfidenceBound(k, t, alpha / 2) > p
                            || Statistics.upperConfidenceBound(k, t, alpha / 2) < p;
                }
            }
            missed += miss ? 1 : 0;
            naiveMissed += naive ? 1 : 0;
        }
        double bound = alpha + 3 * Math.sqrt(alpha * (1 - alpha) / runs);
        assertTrue(missed / (double) runs <= bound, "missed in " + missed + " of " + runs);
        assertTrue(naiveMissed / (double) runs > bound, "peeking with a fixed level looks sound: " + naiveMissed);
    }

    @Test
    void widthAgainstBonferroniOverTheDefaultLooksIsWhatTheTheoryGives() {
        // Bonferroni over the K = 22 default looks pays log(2K / alpha) = 10.7 at alpha = 0.001, at every look; the
        // KT sequence pays about log(1 / alpha) + log(t) / 2 + 0.2 (Robbins' mixture: 12.9 at t = 1,200, 14.7 at
        // 100,000), so at these looks it is wider, by about sqrt(14.7 / 10.7) = 1.17 at n_max (measured 1.24-1.26 at
        // k = 60,000-99,000, 1.15 at an early look): the default stays cp (results/sequential/README.md)
        Looks looks = SequentialConfig.defaults().looks(400);
        ConfidenceBounds cp = ConfidenceSequences.bonferroni(looks, 0.001);
        BettingSequence betting = new BettingSequence(0.001);
        for (long[] kt : new long[][] {{99_000, 100_000}, {90_000, 100_000}, {60_000, 100_000}, {1150, 1200}}) {
            double hat = kt[0] / (double) kt[1];
            double ratio = (hat - betting.lower(kt[0], kt[1])) / (hat - cp.lower(kt[0], kt[1]));
            assertTrue(ratio > 1 && ratio < 1.4, "width ratio " + ratio + " at " + kt[0] + " of " + kt[1]);
        }
    }
}
