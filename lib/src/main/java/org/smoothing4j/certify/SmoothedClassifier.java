package org.smoothing4j.certify;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.GridNoise;
import org.smoothing4j.noise.NoiseSource;

/**
 * The smoothed classifier g(x) = argmax_c P(f(x + delta) = c), delta ~ N(0, sigma^2 I), of Cohen, Rosenfeld &amp;
 * Kolter, "Certified Adversarial Robustness via Randomized Smoothing" (ICML 2019), with its Monte Carlo
 * algorithms PREDICT and CERTIFY, sequential CERTIFY at target radii and the two-class radius; the noise family, the
 * norm of the radii and the modes are its {@link Smoothing}. Noise is added in [0,1] pixel space and noisy inputs are
 * not clamped; sigma is in pixel units. The samples come from a {@link Sampler} (batches of {@code batchSize}, the
 * last batch the remainder, from a noise stream restarted at the seed given to each call). Not thread-safe.
 * <p>
 * Sound mode ({@link Smoothing#withSoundGrid}): inputs must lie on the grid m / L, the noise is the exact rounded
 * Gaussian from fair bits ({@link GridNoise}) and every claim is corrected for it ({@link Claims}). Its guarantee: with
 * probability at least 1 - alpha over the random bits, the returned class is the smoothed classifier's at every
 * grid point within the returned L2 radius, where "the smoothed classifier" is that of f o clip as computed,
 * floating point included (Voracek &amp; Hein, ICLR 2023). Assumptions: the random bits are fair and independent
 * (SplitMix64 stands in for them, as a PRNG in every implementation), the base classifier's prediction for a row is
 * a function of that row (not of the other rows of its batch or of the thread that runs it), and the adversary is
 * restricted to the grid (as 8-bit images are). The standard mode assumes exact real arithmetic instead, which
 * floating point does not provide: a classifier reading the low bits of its input can get false certificates
 * there (SoundCertificationTest).
 */
public final class SmoothedClassifier implements AutoCloseable {
    /** Cohen et al.'s batch size. */
    public static final int DEFAULT_BATCH = Sampler.DEFAULT_BATCH;

    private final Classifier base;
    private final Smoothing smoothing;
    private final int batchSize;
    private final boolean earlyAbstention;
    private final int workers;
    private final NoiseSource noise;
    private final Claims claims;
    private final Sampler sampler;

    private SmoothedClassifier(Classifier base, Smoothing smoothing, int batchSize, boolean earlyAbstention,
            int workers) {
        this.base = base;
        this.smoothing = smoothing;
        this.batchSize = batchSize;
        this.earlyAbstention = earlyAbstention;
        this.workers = workers;
        this.noise = smoothing.noise();
        this.sampler = new Sampler(base, noise, smoothing.sigma(), batchSize, workers);
        long[] shape = base.inputShape();
        this.claims = noise instanceof GridNoise grid
                ? Claims.sound(grid.distribution().massFactor(shape[0] * shape[1] * shape[2])) : Claims.STANDARD;
    }

    /**
     * g for base classifier f with Gaussian noise at level sigma and L2 radii: batch 400, the ziggurat Gaussian
     * generator (faster than ND4J's), early abstention in CERTIFY (see {@link #withEarlyAbstention}).
     */
    public static SmoothedClassifier of(Classifier base, double sigma) {
        return of(base, Smoothing.gaussian(sigma));
    }

    /** g for base classifier f with the given smoothing (noise, sigma, norm, modes); defaults as {@link #of}. */
    public static SmoothedClassifier of(Classifier base, Smoothing smoothing) {
        return new SmoothedClassifier(base, smoothing, DEFAULT_BATCH, true, ParallelSampling.configuredWorkers());
    }

    public SmoothedClassifier withBatchSize(int batchSize) {
        return new SmoothedClassifier(base, smoothing, batchSize, earlyAbstention, workers);
    }

    /**
     * Whether CERTIFY's second stage stops (after a batch) as soon as no outcome of the remaining samples could lift
     * pALower to 1/2. It changes no prediction or radius, only {@link Certificate#drawn} and, for those
     * abstentions, nA and pALower.
     */
    public SmoothedClassifier withEarlyAbstention(boolean enabled) {
        return new SmoothedClassifier(base, smoothing, batchSize, enabled, workers);
    }

    /**
     * Sampling on up to this many threads (default: the cores, at most OMP_NUM_THREADS; system property
     * {@value ParallelSampling#PROPERTY}), each with its own copy of the base classifier, when the base classifier
     * has {@linkplain Classifier#concurrentCopy concurrent copies} and the noise is indexed; otherwise, or with 1, on
     * the calling thread. The counts, and so every prediction and certificate, do not depend on it.
     */
    public SmoothedClassifier withWorkers(int workers) {
        return new SmoothedClassifier(base, smoothing, batchSize, earlyAbstention, workers);
    }

    /**
     * Frees what sampling on several threads made (the base classifier's concurrent copies); the base classifier is
     * its caller's to close. Made again if this classifier is used afterwards.
     */
    @Override
    public void close() {
        sampler.close();
    }

    /** The noise family, sigma, the norm of the radii and the modes. */
    public Smoothing smoothing() {
        return smoothing;
    }

    public double sigma() {
        return smoothing.sigma();
    }

    public int batchSize() {
        return batchSize;
    }

    public Classifier base() {
        return base;
    }

    /** The noise generator's name, as run settings record it (streams of different generators differ). */
    public String noiseName() {
        return noise.name();
    }

    /** The noise stream (for tests of the sampling in this package). */
    NoiseSource noise() {
        return noise;
    }

    /** Whether the claims are sound in floating point ({@link Smoothing#withSoundGrid}). */
    public boolean sound() {
        return claims.sound();
    }

    /** A radius as the log prints it (rounded down in the sound mode). */
    public String formatRadius(double radius) {
        return claims.format(radius);
    }

    /**
     * CERTIFY (Cohen et al., Algorithm 2), or with {@link Smoothing#twoSidedRadius} its two-class variant ({@link
     * #certifyTwoSided}). Draws n0 samples to guess the top class cAHat (ties: lowest index), then n fresh samples;
     * nA = count of cAHat; pALower = one-sided (1 - alpha) Clopper-Pearson lower bound. Abstains when pALower &lt; 1/2,
     * else returns (cAHat, the radius of pALower: sigma * Phi^-1(pALower) for Gaussian L2). Guarantee: with probability
     * at least 1 - alpha over the samples, g is constant and equal to the returned class within the returned radius.
     *
     * @param x    one image [c, h, w] or [1, c, h, w]
     * @param seed seed of this example's noise stream (see {@link org.smoothing4j.noise.Seeds#forExample})
     */
    public Certificate certify(INDArray x, int n0, int n, double alpha, long seed) {
        if (smoothing.twoSidedRadius()) {
            return certifyTwoSided(x, n0, n, alpha, seed);
        }
        int cAHat = guessTopClass(x, n0, n, alpha, seed);
        // early abstention: stop the second stage once even n - drawn more hits of cAHat could not lift pALower
        // to 1/2 (the full run would abstain too; the samples not drawn change no logged result)
        long needed = earlyAbstention ? Statistics.minimumCountToCertify(n, alpha) : 0;
        long[] counts = new long[base.numClasses()];
        long drawn = sampler.sample(x, n, counts, (hits, sofar) -> hits[cAHat] + (n - sofar) < needed);
        long nA = counts[cAHat];
        if (drawn < n) {
            return new Certificate(Certificate.ABSTAIN, 0.0, nA, n,
                    Statistics.lowerConfidenceBound(nA + (n - drawn), n, alpha), drawn);
        }
        double pABar = claims.lower(Statistics.lowerConfidenceBound(nA, n, alpha));
        if (pABar < 0.5) {
            return new Certificate(Certificate.ABSTAIN, 0.0, nA, n, pABar);
        }
        return new Certificate(cAHat, claims.radius(smoothing.radiusAt(x).radius(pABar)), nA, n, pABar);
    }

    /**
     * CERTIFY with the two-class radius of Cohen et al.'s Theorem 1: cAHat from n0 samples as {@link #certify}; on the
     * n fresh samples, pALower = one-sided Clopper-Pearson lower bound of cAHat's count at alpha / 2 and pBUpper = the
     * one-sided upper bound at alpha / 2 of the largest count of any other class; abstains unless pALower &gt; pBUpper,
     * else returns (cAHat, sigma / 2 (Phi^-1(pALower) - Phi^-1(pBUpper))). Guarantee: with probability at least
     * 1 - alpha both bounds hold together (alpha / 2 each, a union bound; the bound of the largest other count is at
     * least that of the true runner-up class's count, so it covers that class's probability, the largest of the
     * others), and then g is constant and equal to cAHat within the radius. Larger than the one-class radius when the
     * mass outside cAHat is spread over several classes (pBUpper well below 1 - pALower); slightly smaller with two
     * classes (alpha / 2 per bound) (METHODS 3a). No early abstention.
     */
    private Certificate certifyTwoSided(INDArray x, int n0, int n, double alpha, long seed) {
        int cAHat = guessTopClass(x, n0, n, alpha, seed);
        long[] counts = sampler.counts(x, n);
        long nA = counts[cAHat], nB = largestOther(counts, cAHat);
        double pALower = claims.lower(Statistics.lowerConfidenceBound(nA, n, alpha / 2));
        double pBUpper = claims.upper(Statistics.upperConfidenceBound(nB, n, alpha / 2));
        if (!(pALower > pBUpper)) {
            return new Certificate(Certificate.ABSTAIN, 0.0, nA, n, pALower);
        }
        return new Certificate(cAHat, claims.radius(smoothing.sigma(), pALower, pBUpper), nA, n, pALower);
    }

    /** CERTIFY's first stage: checks the arguments, restarts the noise stream at the seed, guesses cAHat from n0. */
    private int guessTopClass(INDArray x, int n0, int n, double alpha, long seed) {
        checkSamples("n0", n0);
        checkSamples("n", n);
        Statistics.checkAlpha(alpha);
        sampler.restart(seed, Math.max(n0, n));
        return argmax(sampler.counts(x, n0));
    }

    /**
     * Sequential CERTIFY at target radii r_1 &lt; ... &lt; r_k (SPEC 12), with Clopper-Pearson bounds at alpha / K per
     * look (Bonferroni); see the next method.
     */
    public SequentialCertificate certifyAtRadii(INDArray x, double[] radii, int n0, Looks looks, double alpha,
            double futility, long seed) {
        return certifyAtRadii(x, radii, n0, looks, alpha, futility, ConfidenceSequences.CP, seed);
    }

    /**
     * Sequential CERTIFY at target radii r_1 &lt; ... &lt; r_k (SPEC 12): guesses cAHat from n0 samples as {@link
     * #certify} does, then draws batches of the same noise stream as CERTIFY's second stage and looks at the count nA
     * of cAHat at the counts of {@code looks}; radius r_j is certified once the lower end of the confidence sequence
     * reaches the level of r_j (Phi(r_j / sigma) for Gaussian L2), not certifiable once its upper end falls below it;
     * sampling stops when every radius is decided, or at n_max = {@code looks.last()} (or earlier with futility
     * stopping, see {@link RadiusDecisions}). The bounds are {@code bound}'s: {@code cp} (Clopper-Pearson at alpha / K
     * per look, Bonferroni) or {@code betting} (a time-uniform betting confidence sequence at alpha, {@link
     * BettingSequence}).
     * <p>
     * Guarantee, as CERTIFY's: with probability at least 1 - alpha over the samples, every claim made about the
     * example is true together, the certified and not-certifiable radii and the returned radius (all follow from pA
     * lying in the confidence sequence at every look, whenever sampling stops; {@link RadiusDecisions}). Looks at whole
     * batches see exactly the samples CERTIFY with the same seed draws first. Not with the two-class radius.
     *
     * @param futility 0 for the plain stop rule, else see {@link RadiusDecisions}
     */
    public SequentialCertificate certifyAtRadii(INDArray x, double[] radii, int n0, Looks looks, double alpha,
            double futility, String bound, long seed) {
        if (smoothing.twoSidedRadius()) {
            throw new IllegalArgumentException("--two-sided-radius applies to fixed-n CERTIFY, not with --radii");
        }
        checkSamples("n0", n0);
        Statistics.checkAlpha(alpha);
        NormRadius formula = smoothing.radiusAt(x);
        RadiusDecisions decide = new RadiusDecisions(RadiusDecisions.thresholds(radii, formula), looks,
                ConfidenceSequences.of(bound, looks, alpha), futility, claims);
        long nMax = looks.last();
        sampler.restart(seed, Math.max(n0, Math.min(nMax, looks.at()[0])));
        int cAHat = argmax(sampler.counts(x, n0));
        long[] counts = new long[base.numClasses()];
        long drawn = sampler.sample(x, nMax, counts, (hits, sofar) -> decide.due(sofar)
                && decide.look(hits[cAHat], sofar));
        if (decide.due(drawn)) {
            decide.look(counts[cAHat], drawn); // the last look, n_max
        }
        double pALower = decide.lower();
        if (pALower < 0.5) {
            return new SequentialCertificate(Certificate.ABSTAIN, 0.0, counts[cAHat], drawn, pALower, decide.upper(),
                    decide.decisions());
        }
        return new SequentialCertificate(cAHat, claims.radius(formula.radius(pALower)), counts[cAHat], drawn,
                pALower, decide.upper(), decide.decisions());
    }

    /**
     * PREDICT (Cohen et al., Algorithm 1). Draws n samples, takes the top two counts nA &gt;= nB and abstains when the
     * two-sided binomial test of nA successes in nA + nB trials at p = 1/2 has p-value &gt; alpha. Guarantee: the
     * probability of returning a class other than g(x) is at most alpha.
     */
    public Prediction predict(INDArray x, int n, double alpha, long seed) {
        checkSamples("n", n);
        Statistics.checkAlpha(alpha);
        sampler.restart(seed, n);
        return topTwoTest(sampler.counts(x, n), claims.predictLevel(alpha, n));
    }

    /**
     * Sequential PREDICT: at each look of the schedule, PREDICT's two-sided binomial test of the top count against
     * the runner-up's at level alpha / K; returns the top class at the first look that rejects p = 1/2, and abstains
     * when none does by n_max. Guarantee, as PREDICT's: the probability of returning a class other than g(x) is at
     * most alpha (each look errs with probability at most alpha / K; Bonferroni). Draws the samples of PREDICT with
     * the same seed, a prefix of them when it stops early.
     */
    public Prediction predictSequential(INDArray x, Looks looks, double alpha, long seed) {
        Statistics.checkAlpha(alpha);
        long nMax = looks.last();
        double level = looks.levelPerLook(claims.predictLevel(alpha, nMax));
        sampler.restart(seed, Math.min(nMax, looks.at()[0]));
        long[] counts = new long[base.numClasses()];
        Prediction[] decided = {null};
        int[] next = {0}; // the next look not yet taken; one batch may step over several (taken as one)
        sampler.sample(x, nMax, counts, (hits, sofar) -> {
            if (sofar < looks.at()[next[0]]) {
                return false;
            }
            while (next[0] < looks.count() - 1 && sofar >= looks.at()[next[0]]) {
                next[0]++;
            }
            Prediction p = topTwoTest(hits, level);
            if (!p.abstained()) {
                decided[0] = p;
            }
            return decided[0] != null;
        });
        return decided[0] != null ? decided[0] : topTwoTest(counts, level);
    }

    /**
     * Counts of the base classifier's predictions on {@code num} noisy copies of x, continuing the noise stream where
     * the last call left it.
     */
    public long[] sampleCounts(INDArray x, long num) {
        return sampler.counts(x, num);
    }

    /** Counts of the base classifier's predictions on {@code num} noisy copies of x, the stream restarted at seed. */
    public long[] sampleCounts(INDArray x, long num, long seed) {
        sampler.restart(seed, num);
        return sampler.counts(x, num);
    }

    /** PREDICT's test on counts: the top class if its count beats the runner-up's at level alpha, else abstain. */
    private static Prediction topTwoTest(long[] counts, double alpha) {
        int top = argmax(counts);
        long nA = counts[top];
        long nB = largestOther(counts, top);
        double p = Statistics.binomialTestPValueAtOneHalf(nA, nA + nB);
        return new Prediction(p > alpha ? Certificate.ABSTAIN : top, nA, nB, p, Arrays.stream(counts).sum());
    }

    /** The largest count of a class other than {@code top} (0 with one class). */
    private static long largestOther(long[] counts, int top) {
        long most = 0;
        for (int c = 0; c < counts.length; c++) {
            if (c != top) {
                most = Math.max(most, counts[c]);
            }
        }
        return most;
    }

    private static int argmax(long[] counts) {
        int best = 0;
        for (int c = 1; c < counts.length; c++) {
            if (counts[c] > counts[best]) {
                best = c;
            }
        }
        return best;
    }

    private static void checkSamples(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }
}
