package org.smoothing4j.certify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.GridNoise;
import org.smoothing4j.noise.IndexedNoiseSource;
import org.smoothing4j.noise.NoiseFamily;
import org.smoothing4j.noise.NoiseSource;

/**
 * The smoothed classifier g(x) = argmax_c P(f(x + delta) = c), delta ~ N(0, sigma^2 I), of Cohen, Rosenfeld &amp;
 * Kolter, "Certified Adversarial Robustness via Randomized Smoothing" (ICML 2019), with its Monte Carlo
 * algorithms PREDICT and CERTIFY. Noise is added in [0,1] pixel space and noisy inputs are not clamped; sigma is
 * in pixel units. Samples are drawn in batches of {@code batchSize} (the last batch is the remainder), from a
 * noise stream restarted at the seed given to each call. Not thread-safe.
 * <p>
 * Sound mode ({@link #withSoundGrid}): inputs must lie on the grid m / L, the noise is the exact rounded Gaussian
 * from fair bits ({@link GridNoise}) and every claim is corrected for it ({@link Claims}). Its guarantee: with
 * probability at least 1 - alpha over the random bits, the returned class is the smoothed classifier's at every
 * grid point within the returned L2 radius, where "the smoothed classifier" is that of f o clip as computed,
 * floating point included (Voracek &amp; Hein, ICLR 2023). Assumptions: the random bits are fair and independent
 * (SplitMix64 stands in for them, as a PRNG in every implementation), the base classifier's prediction for a row is
 * a function of that row (not of the other rows of its batch or of the thread that runs it), and the adversary is
 * restricted to the grid (as 8-bit images are). The standard mode assumes exact real arithmetic instead, which
 * floating point does not provide: a classifier reading the low bits of its input can get false certificates
 * there (SoundCertificationTest).
 */
public final class SmoothedClassifier {
    public static final int DEFAULT_BATCH = 400;

    private final Classifier base;
    private final double sigma;
    private final int batchSize;
    private final NoiseSource noise;
    private final boolean earlyAbstention;
    private final int workers;
    private final Claims claims;
    private final Smoothing smoothing;
    private INDArray buffer;
    /** For sampling on several threads: the base classifier and its copies, and a batch buffer for each. */
    private List<Classifier> copies;
    private INDArray[] buffers;

    private SmoothedClassifier(Classifier base, double sigma, int batchSize, NoiseSource noise,
            boolean earlyAbstention, int workers, Smoothing smoothing) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.base = base;
        this.sigma = sigma;
        this.batchSize = batchSize;
        this.noise = noise;
        this.earlyAbstention = earlyAbstention;
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.workers = workers;
        this.smoothing = smoothing;
        if (noise instanceof GridNoise) {
            smoothing.checkSound();
        }
        long[] shape = base.inputShape();
        this.claims = noise instanceof GridNoise grid
                ? Claims.sound(grid.distribution().massFactor(shape[0] * shape[1] * shape[2])) : Claims.STANDARD;
    }

    /**
     * g for base classifier f at noise level sigma, batch 400, the ziggurat Gaussian generator (faster than ND4J's;
     * {@link NoiseSource#ziggurat}), with early abstention in CERTIFY (see {@link #withEarlyAbstention}).
     */
    public static SmoothedClassifier of(Classifier base, double sigma) {
        return new SmoothedClassifier(base, sigma, DEFAULT_BATCH, NoiseSource.ziggurat(), true,
                ParallelSampling.configuredWorkers(), Smoothing.GAUSSIAN_L2);
    }

    public SmoothedClassifier withBatchSize(int batchSize) {
        return new SmoothedClassifier(base, sigma, batchSize, noise, earlyAbstention, workers, smoothing);
    }

    /** Another noise generator; a {@link GridNoise} (of this sigma) makes the classifier sound. */
    public SmoothedClassifier withNoise(NoiseSource noise) {
        if (noise instanceof GridNoise grid && grid.distribution().sigma() != sigma) {
            throw new IllegalArgumentException("grid noise of sigma " + grid.distribution().sigma()
                    + " for a smoothed classifier of sigma " + sigma);
        }
        return new SmoothedClassifier(base, sigma, batchSize, noise, earlyAbstention, workers, smoothing);
    }

    /**
     * The sound mode for inputs on the grid m / levels, m = 0..levels (255 for 8-bit images; see the class
     * comment): PREDICT, CERTIFY and sequential CERTIFY refuse inputs off the grid and draw the exact rounded
     * Gaussian from fair bits. Costs about nothing in speed (make bench).
     */
    public SmoothedClassifier withSoundGrid(int levels) {
        return withNoise(NoiseSource.onGrid(sigma, levels));
    }

    /**
     * Another noise family and norm ({@link Smoothing}, {@link NormRadius}): the family's noise stream ({@link
     * NoiseFamily#source}; Gaussian keeps this classifier's generator), at the same sigma, the per-coordinate standard
     * deviation; CERTIFY and sequential CERTIFY then certify radii in that norm. Not with the sound mode unless
     * Gaussian.
     */
    public SmoothedClassifier withSmoothing(Smoothing smoothing) {
        NoiseSource n = smoothing.family() == NoiseFamily.GAUSSIAN
                ? (this.smoothing.family() == NoiseFamily.GAUSSIAN ? noise : NoiseSource.ziggurat())
                : smoothing.family().source();
        return new SmoothedClassifier(base, sigma, batchSize, n, earlyAbstention, workers, smoothing);
    }

    /** The noise family and the norm of the radii. */
    public Smoothing smoothing() {
        return smoothing;
    }

    /** Whether the claims are sound in floating point ({@link #withSoundGrid}). */
    public boolean sound() {
        return claims.sound();
    }

    /** A radius as the log prints it (rounded down in the sound mode). */
    public String formatRadius(double radius) {
        return claims.format(radius);
    }

    /**
     * Whether CERTIFY's second stage stops (after a batch) as soon as no outcome of the remaining samples could lift
     * pALower to 1/2. It changes no prediction or radius, only {@link Certificate#drawn} and, for those
     * abstentions, nA and pALower.
     */
    public SmoothedClassifier withEarlyAbstention(boolean enabled) {
        return new SmoothedClassifier(base, sigma, batchSize, noise, enabled, workers, smoothing);
    }

    /**
     * Sampling on up to this many threads (default: the cores, at most OMP_NUM_THREADS; system property
     * {@value ParallelSampling#PROPERTY}), each with its own copy of the base classifier, when the base classifier
     * has {@linkplain Classifier#concurrentCopy concurrent copies} and the noise is an
     * {@link IndexedNoiseSource}; otherwise, or with 1, on the calling thread. The counts, and so
     * every prediction and certificate, do not depend on it.
     */
    public SmoothedClassifier withWorkers(int workers) {
        return new SmoothedClassifier(base, sigma, batchSize, noise, earlyAbstention, workers, smoothing);
    }

    public double sigma() {
        return sigma;
    }

    public int batchSize() {
        return batchSize;
    }

    public Classifier base() {
        return base;
    }

    /** The noise generator (its {@link NoiseSource#name} goes into run settings). */
    public NoiseSource noise() {
        return noise;
    }

    /**
     * CERTIFY (Cohen et al., Algorithm 2). Draws n0 samples to guess the top class cAHat (ties: lowest index), then n
     * fresh samples; nA = count of cAHat; pALower = one-sided (1 - alpha) Clopper-Pearson lower bound. Abstains when
     * pALower &lt; 1/2, else returns (cAHat, sigma * Phi^-1(pALower)). Guarantee: with probability at least 1 - alpha
     * over the samples, g is constant and equal to the returned class within the returned L2 radius.
     *
     * @param x    one image [c, h, w] or [1, c, h, w]
     * @param seed seed of this example's noise stream (see {@link org.smoothing4j.noise.Seeds#forExample})
     */
    public Certificate certify(INDArray x, int n0, int n, double alpha, long seed) {
        int cAHat = guessTopClass(x, n0, n, alpha, seed);
        // early abstention: stop the second stage once even n - drawn more hits of cAHat could not lift pALower
        // to 1/2 (the full run would abstain too; the samples not drawn change no logged result)
        long needed = earlyAbstention ? Statistics.minimumCountToCertify(n, alpha) : 0;
        long[] counts = new long[base.numClasses()];
        long drawn = sampleCounts(x, n, counts, (hits, sofar) -> hits[cAHat] + (n - sofar) < needed);
        long nA = counts[cAHat];
        if (drawn < n) {
            return new Certificate(Certificate.ABSTAIN, 0.0, nA, n,
                    Statistics.lowerConfidenceBound(nA + (n - drawn), n, alpha), drawn);
        }
        double pABar = claims.lower(Statistics.lowerConfidenceBound(nA, n, alpha));
        if (pABar < 0.5) {
            return new Certificate(Certificate.ABSTAIN, 0.0, nA, n, pABar);
        }
        return new Certificate(cAHat, claims.radius(smoothing.radiusAt(sigma, x).radius(pABar)), nA, n, pABar);
    }

    /**
     * CERTIFY with the two-class radius of Cohen et al.'s Theorem 1: cAHat from n0 samples as {@link #certify}; on the
     * n fresh samples, pALower = one-sided Clopper-Pearson lower bound of cAHat's count at alpha / 2 and pBUpper = the
     * one-sided upper bound at alpha / 2 of the largest count of any other class; abstains unless pALower &gt; pBUpper,
     * else returns (cAHat, sigma / 2 (Phi^-1(pALower) - Phi^-1(pBUpper))). Guarantee: with probability at least
     * 1 - alpha both bounds hold together (alpha / 2 each, a union bound; the bound of the largest other count is at
     * least that of the true runner-up class's count, so it covers that class's probability, the largest of the
     * others), and then g is constant and equal to cAHat within the radius. Larger than {@link #certify}'s radius when
     * the mass outside cAHat is spread over several classes (pBUpper well below 1 - pALower); slightly smaller with two
     * classes (alpha / 2 per bound) (METHODS 3a). No early abstention.
     */
    public Certificate certifyTwoSided(INDArray x, int n0, int n, double alpha, long seed) {
        smoothing.checkTwoSidedRadius();
        int cAHat = guessTopClass(x, n0, n, alpha, seed);
        long[] counts = sampleCounts(x, n);
        long nA = counts[cAHat], nB = largestOther(counts, cAHat);
        double pALower = claims.lower(Statistics.lowerConfidenceBound(nA, n, alpha / 2));
        double pBUpper = claims.upper(Statistics.upperConfidenceBound(nB, n, alpha / 2));
        if (!(pALower > pBUpper)) {
            return new Certificate(Certificate.ABSTAIN, 0.0, nA, n, pALower);
        }
        return new Certificate(cAHat, claims.radius(sigma, pALower, pBUpper), nA, n, pALower);
    }

    /** CERTIFY's first stage: checks the arguments, restarts the noise stream at the seed, guesses cAHat from n0. */
    private int guessTopClass(INDArray x, int n0, int n, double alpha, long seed) {
        checkSamples("n0", n0);
        checkSamples("n", n);
        Statistics.checkAlpha(alpha);
        reserve(Math.max(n0, n));
        noise.reseed(seed);
        return argmax(sampleCounts(x, n0));
    }

    /**
     * Sequential CERTIFY at target radii r_1 &lt; ... &lt; r_k (SPEC 12): guesses cAHat from n0 samples as {@link
     * #certify} does, then draws batches of the same noise stream as CERTIFY's second stage and looks at the count nA
     * of cAHat at the counts of {@code looks}; radius r_j is certified once the lower end of the confidence sequence
     * reaches Phi(r_j / sigma), not certifiable once its upper end falls below it; sampling stops when every radius is
     * decided, or at n_max = {@code looks.last()} (or earlier with futility stopping, see {@link RadiusDecisions}).
     * <p>
     * Guarantee, as CERTIFY's: with probability at least 1 - alpha over the samples, every claim made about the
     * example is true together, the certified and not-certifiable radii and the returned radius sigma *
     * Phi^-1(pALower) (all follow from pA lying in each look's Clopper-Pearson interval at level alpha / K, which
     * by Bonferroni's inequality holds for all K looks at once, whenever sampling stops; {@link RadiusDecisions}).
     * Looks at whole batches see exactly the samples CERTIFY with the same seed draws first.
     *
     * @param futility 0 for the plain stop rule, else see {@link RadiusDecisions}
     */
    public SequentialCertificate certifyAtRadii(INDArray x, double[] radii, int n0, Looks looks, double alpha,
            double futility, long seed) {
        return certifyAtRadii(x, radii, n0, looks, alpha, futility, ConfidenceBounds.CP, seed);
    }

    /**
     * As above with the confidence bounds named by {@code bound}: {@code cp} (Clopper-Pearson at alpha / K per look,
     * Bonferroni) or {@code betting} (a time-uniform betting confidence sequence at alpha, {@link BettingSequence});
     * the same guarantee with either.
     */
    public SequentialCertificate certifyAtRadii(INDArray x, double[] radii, int n0, Looks looks, double alpha,
            double futility, String bound, long seed) {
        checkSamples("n0", n0);
        Statistics.checkAlpha(alpha);
        NormRadius formula = smoothing.radiusAt(sigma, x);
        RadiusDecisions decide = new RadiusDecisions(RadiusDecisions.thresholds(radii, formula), looks,
                ConfidenceBounds.of(bound, looks, alpha), futility, claims);
        long nMax = looks.last();
        reserve(Math.max(n0, Math.min(nMax, looks.at()[0])));
        noise.reseed(seed);
        int cAHat = argmax(sampleCounts(x, n0));
        long[] counts = new long[base.numClasses()];
        long drawn = sampleCounts(x, nMax, counts, (hits, sofar) -> decide.due(sofar)
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
        reserve(Math.min(nMax, looks.at()[0]));
        noise.reseed(seed);
        long[] counts = new long[base.numClasses()];
        Prediction[] decided = {null};
        int[] next = {0}; // the next look not yet taken; one batch may step over several (taken as one)
        sampleCounts(x, nMax, counts, (hits, sofar) -> {
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

    /** PREDICT's test on counts: the top class if its count beats the runner-up's at level alpha, else abstain. */
    private static Prediction topTwoTest(long[] counts, double alpha) {
        int top = argmax(counts);
        long nA = counts[top];
        long nB = largestOther(counts, top);
        double p = Statistics.binomialTestPValueAtOneHalf(nA, nA + nB);
        return new Prediction(p > alpha ? Certificate.ABSTAIN : top, nA, nB, p, java.util.Arrays.stream(counts).sum());
    }

    /**
     * PREDICT (Cohen et al., Algorithm 1). Draws n samples, takes the top two counts nA &gt;= nB and abstains when the
     * two-sided binomial test of nA successes in nA + nB trials at p = 1/2 has p-value &gt; alpha. Guarantee: the
     * probability of returning a class other than g(x) is at most alpha.
     */
    public Prediction predict(INDArray x, int n, double alpha, long seed) {
        checkSamples("n", n);
        Statistics.checkAlpha(alpha);
        reserve(n);
        noise.reseed(seed);
        return topTwoTest(sampleCounts(x, n), claims.predictLevel(alpha, n));
    }

    /**
     * Counts of the base classifier's predictions on {@code num} noisy copies of x, drawn from the current noise
     * stream in batches of {@code batchSize}.
     */
    public long[] sampleCounts(INDArray x, long num) {
        long[] counts = new long[base.numClasses()];
        sampleCounts(x, num, counts, (hits, sofar) -> false);
        return counts;
    }

    /** Adds the predictions of up to num noisy copies to counts; returns how many were drawn. */
    private long sampleCounts(INDArray x, long num, long[] counts, ParallelSampling.StopRule stop) {
        long[] shape = base.inputShape();
        long d = shape[0] * shape[1] * shape[2];
        if (x.length() != d) {
            throw new IllegalArgumentException("input has " + x.length() + " values but the base classifier expects "
                    + java.util.Arrays.toString(shape));
        }
        INDArray xRow = x.reshape(1, d).castTo(DataType.FLOAT);
        reserve(num);
        ParallelSampling.Inputs inputs;
        if (noise instanceof GridNoise grid) {
            int[] m = grid.gridOf(xRow);
            inputs = (batch, fill) -> grid.fillInputsAt(batch, m, fill);
        } else {
            inputs = noise instanceof IndexedNoiseSource indexed ? (batch, fill) -> {
                indexed.fillAt(batch, sigma, fill);
                batch.addiRowVector(xRow);
            } : null;
        }
        if (num > batchSize && parallel(d) && noise instanceof IndexedNoiseSource indexed) {
            return ParallelSampling.sample(copies, buffers, indexed, inputs, shape, num, batchSize, counts, stop);
        }
        long drawn = 0;
        while (drawn < num) {
            int b = (int) Math.min(batchSize, num - drawn);
            long[] c = batchCounts(base, buffer, b, shape, counts.length, inputs == null ? batch -> {
                noise.fill(batch, sigma);
                batch.addiRowVector(xRow);
            } : batch -> {
                IndexedNoiseSource indexed = (IndexedNoiseSource) noise;
                inputs.fillAt(batch, indexed.position());
                indexed.skip(1);
            });
            for (int i = 0; i < c.length; i++) {
                counts[i] += c[i];
            }
            drawn += b;
            if (drawn < num && stop.stop(counts, drawn)) {
                break;
            }
        }
        return drawn;
    }

    /**
     * The base classifier's prediction counts on one batch: the first b rows of {@code buffer} [batchSize, d] get
     * their noisy inputs from {@code fillInputs}; shared by the sequential loop and the sampling threads.
     */
    static long[] batchCounts(Classifier f, INDArray buffer, int b, long[] imageShape, int classes,
            Consumer<INDArray> fillInputs) {
        INDArray batch = b == buffer.size(0) ? buffer : buffer.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
        fillInputs.accept(batch);
        INDArray scores = f.scoresOfScratch(batch.reshape(b, imageShape[0], imageShape[1], imageShape[2]));
        long[] counts = new long[classes];
        for (long c : scores.argMax(1).toLongVector()) {
            counts[(int) c]++;
        }
        return counts;
    }

    /**
     * Whether sampling runs on several threads: more than one worker, indexed noise and concurrent copies of the base
     * classifier; prepares the copies and their batch buffers (the first is the calling thread's) on first use.
     */
    private boolean parallel(long d) {
        if (workers < 2 || !(noise instanceof IndexedNoiseSource)) {
            return false;
        }
        if (copies == null) {
            List<Classifier> made = new ArrayList<>(List.of(base));
            for (int k = 1; k < workers; k++) {
                Optional<Classifier> copy = base.concurrentCopy();
                if (copy.isEmpty()) {
                    break;
                }
                made.add(copy.get());
            }
            copies = made;
        }
        if (copies.size() < 2) {
            return false;
        }
        if (buffers == null || buffers[0] != buffer) {
            buffers = new INDArray[copies.size()];
            buffers[0] = buffer;
            for (int k = 1; k < buffers.length; k++) {
                buffers[k] = Nd4j.create(DataType.FLOAT, buffer.size(0), d);
            }
        }
        return true;
    }

    /**
     * Makes the calling thread's batch buffer [rows, d] (reused across calls) large enough for batches of up to
     * {@code samples} samples: min(batch size, samples) rows, so a large batch size with few samples costs no more
     * than the samples. Refuses a buffer that could not fit in the native memory allowed (JavaCPP's limit,
     * {@code SMOOTHING4J_OFFHEAP} in bin/jvm-options) instead of letting the allocation fail in native code.
     */
    private void reserve(long samples) {
        long[] shape = base.inputShape();
        long d = shape[0] * shape[1] * shape[2];
        long rows = Math.min(batchSize, samples);
        if (buffer != null && buffer.size(1) == d && buffer.size(0) >= rows) {
            return;
        }
        long bytes = rows * d * Float.BYTES * Math.max(1, workers);
        long allowed = org.bytedeco.javacpp.Pointer.maxBytes() / 4;
        if (rows * d > Integer.MAX_VALUE || allowed > 0 && bytes > allowed) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "batch size %d: %d noisy copies "
                    + "of %d values on %d thread(s) need %.1f GB for the noise alone, more than a quarter of the %.1f GB "
                    + "of native memory allowed; use a smaller --batch (the reference uses %d)", batchSize, rows, d,
                    Math.max(1, workers), bytes / 1e9, org.bytedeco.javacpp.Pointer.maxBytes() / 1e9, DEFAULT_BATCH));
        }
        buffer = Nd4j.create(DataType.FLOAT, rows, d);
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
