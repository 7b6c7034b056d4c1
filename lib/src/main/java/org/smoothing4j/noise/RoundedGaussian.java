package org.smoothing4j.noise;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Gaussian N(0, sigma^2) rounded to the grid 1/L (L = {@code levels}, 255 for 8-bit images), sampled exactly
 * from fair random bits: the noise of sound randomized smoothing (Voracek &amp; Hein, "Sound Randomized Smoothing in
 * Floating-Point Arithmetic", ICLR 2023, Sec. 4; vvoracek/Sound-Randomized-Smoothing, certifier.py). In grid units
 * the noise is an integer e in [-K, K] with mass P(e) = Phi((e + 1/2) / (L sigma)) - Phi((e - 1/2) / (L sigma)); the
 * end atoms +-K take the tails. K = L (k + 1) with k = max(1, floor(6 sigma)), as in the reference (k = 1, 3, 6 and
 * 1021, 2041, 3571 atoms for sigma = 0.25, 0.5, 1 at L = 255).
 * <p>
 * Sampling: a draw u uniform on [0, Q), Q = 2^{@value #BITS}, from the top {@value #BITS} bits of a SplitMix64 word
 * ({@link SplittableRandom}, the "fair coin" the paper assumes); atom e owns w_e consecutive values of u, and a u
 * beyond the last atom's (u &gt;= M = sum w_e) is drawn again. The boundaries are the integers just inside Q
 * Phi((j + 1/2) / (L sigma)), computed in {@link ExactNormal}'s 100-digit arithmetic (the reference uses sympy),
 * so that w_e &lt;= Q P(e) for every atom: the implemented distribution P'(e) = w_e / M satisfies P(e) &gt;= (M / Q)
 * P'(e). (The reference rounds and subtracts one unit per atom, the same idea; see METHODS 1.4: its sympy-free
 * fallback breaks the domination, and its count-to-noise map shifts the mean by +1/L, both avoided here: the
 * widths are symmetric in e exactly, so the mean is 0.) For a d-pixel image, the exact product distribution
 * therefore dominates (M / Q)^d times the implemented one, which {@link #massFactor} bounds from below; the
 * certificate multiplies its lower bounds by it (a loss of about 10^-11 at d = 3072).
 */
public final class RoundedGaussian {
    /** Bits per draw (the reference's bits_precision, 60). */
    public static final int BITS = 60;
    static final long Q = 1L << BITS;
    private static final int GUIDE_BITS = 12;
    private static final Map<String, RoundedGaussian> CACHE = new ConcurrentHashMap<>();

    private final double sigma;
    private final int levels;
    private final int k;
    private final int atoms; // 2K + 1, atom i is e = i - K
    private final long[] ends; // cumulative widths: atom i owns u in [ends[i-1], ends[i])
    private final int[] guide; // first atom whose end exceeds each (u >>> (BITS - GUIDE_BITS)) bucket's start
    private final long m;

    private RoundedGaussian(double sigma, int levels) {
        this.sigma = sigma;
        this.levels = levels;
        this.k = Math.max(1, (int) Math.floor(6 * sigma));
        int big = levels * (k + 1);
        this.atoms = 2 * big + 1;
        long[] width = widths(sigma, levels, big);
        ends = new long[atoms];
        long total = 0;
        for (int i = 0; i < atoms; i++) {
            total += width[i];
            ends[i] = total;
        }
        m = total;
        guide = new int[1 << GUIDE_BITS];
        int i = 0;
        for (int b = 0; b < guide.length; b++) {
            long start = (long) b << (BITS - GUIDE_BITS);
            while (i < atoms - 1 && ends[i] <= start) {
                i++;
            }
            guide[b] = i;
        }
    }

    /**
     * The rounded Gaussian of noise level sigma (pixel units) on the grid 1/levels; tables are built once per
     * (sigma, levels) (well under a second) and shared.
     */
    public static RoundedGaussian of(double sigma, int levels) {
        if (!(sigma > 0) || sigma > 100) {
            throw new IllegalArgumentException("sigma must be in (0, 100], got " + sigma);
        }
        GridLevels.check(levels);
        return CACHE.computeIfAbsent(sigma + "/" + levels, key -> new RoundedGaussian(sigma, levels));
    }

    /**
     * w_e for e = -K..K: with y_j an enclosure of Q Phi(-(j + 1/2) / (L sigma)) (j = 0..K-1), the boundary between
     * atoms j and j+1 is Q - y_j for j &gt;= 0 and y_(-j-1) below, so atom e (1 &lt;= |e| &lt; K) owns
     * floor(y_(|e|-1)) - ceil(y_|e|) values, atom 0 owns Q - 2 ceil(y_0), atoms +-K own floor(y_(K-1)).
     */
    private static long[] widths(double sigma, int levels, int big) {
        BigDecimal scale = new BigDecimal(sigma).multiply(BigDecimal.valueOf(levels));
        BigDecimal q = new BigDecimal(BigInteger.ONE.shiftLeft(BITS));
        BigDecimal error = ExactNormal.ERROR.multiply(q);
        long[] up = new long[big], down = new long[big];
        for (int j = 0; j < big; j++) {
            BigDecimal x = BigDecimal.valueOf(2L * j + 1).divide(scale.multiply(BigDecimal.valueOf(2)),
                    new MathContext(90)); // error 1e-90 relative: far inside ExactNormal.ERROR
            if (x.doubleValue() <= ExactNormal.MAX_X) {
                BigDecimal y = ExactNormal.lowerTail(x).multiply(q);
                up[j] = y.add(error).setScale(0, RoundingMode.CEILING).longValueExact();
                down[j] = y.subtract(error).setScale(0, RoundingMode.FLOOR).longValueExact();
            } else { // Q Phi(-x) <= Q phi(x) / x < 1 here (x > 10): the enclosure [0, 1)
                if (ExactNormal.upperTailBound(x.doubleValue()) * Q >= 1) {
                    throw new IllegalStateException("tail bound too large at x = " + x);
                }
                up[j] = 1;
                down[j] = -1;
            }
        }
        long[] w = new long[2 * big + 1];
        for (int e = 1; e < big; e++) {
            w[big + e] = w[big - e] = Math.max(0, down[e - 1] - up[e]);
        }
        w[big] = Q - 2 * up[0];
        w[0] = w[2 * big] = Math.max(0, down[big - 1]);
        return w;
    }

    public double sigma() {
        return sigma;
    }

    public int levels() {
        return levels;
    }

    /** k: network inputs are clipped to [-k, k + 1] (pixel units), which makes the lumped tails exact. */
    public int clipRange() {
        return k;
    }

    /** K = levels (k + 1): the noise's largest value, in grid units. */
    public int maxNoise() {
        return (atoms - 1) / 2;
    }

    /** One noise value e in [-K, K] (grid units) from fair bits. */
    public int sample(SplittableRandom random) {
        long u;
        do {
            u = random.nextLong() >>> (Long.SIZE - BITS);
        } while (u >= m);
        int i = guide[(int) (u >>> (BITS - GUIDE_BITS))];
        while (ends[i] <= u) {
            i++;
        }
        return i - maxNoise();
    }

    /** w_e: how many of the Q values of a draw give noise e (grid units). */
    long width(int e) {
        int i = e + maxNoise();
        return i < 0 || i >= atoms ? 0 : ends[i] - (i == 0 ? 0 : ends[i - 1]);
    }

    /** The implemented probability of noise e (grid units): w_e / M. */
    public double implementedMass(int e) {
        int i = e + maxNoise();
        if (i < 0 || i >= atoms) {
            return 0;
        }
        return (ends[i] - (i == 0 ? 0 : ends[i - 1])) / (double) m;
    }

    /**
     * A lower bound on (M / Q)^d, the factor by which the exact rounded Gaussian on d pixels dominates the
     * implemented one: 1 - d (Q - M) / Q (Bernoulli's inequality), rounded down.
     */
    public double massFactor(long pixels) {
        double deficit = pixels * (double) (Q - m) / Q;
        return Math.max(0, Math.nextDown(1 - Math.nextUp(deficit * (1 + 1e-12))));
    }
}
