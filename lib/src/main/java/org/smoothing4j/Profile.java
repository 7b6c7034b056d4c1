package org.smoothing4j;

import java.util.Locale;
import java.util.function.Function;
import org.smoothing4j.certify.CertifyConfig;
import org.smoothing4j.certify.ExampleSelection;
import org.smoothing4j.certify.Norm;
import org.smoothing4j.certify.SequentialConfig;
import org.smoothing4j.certify.Smoothing;
import org.smoothing4j.noise.NoiseFamily;
import org.smoothing4j.run.RunSpec;
import org.smoothing4j.train.TrainConfig;

/**
 * The compute budget of the notebooks, from one place: the environment variable {@code SMOOTHING4J_PROFILE}
 * ({@code quick} by default, {@code paper} for the reference budgets, {@code test} for the tiny budgets CI uses to
 * check that every notebook runs). Models and certification settings come from here, so notebooks whose settings
 * coincide share their cached models and logs.
 *
 * @param name      profile name
 * @param n         samples per example: CERTIFY's n, or sequential CERTIFY's n_max where only a grid is needed
 * @param n0        CERTIFY's selection samples
 * @param skip      certify every skip-th test image
 * @param epochs    training epochs (lr x0.1 for the last one, or after 60% of them)
 * @param lr        SGD's initial learning rate
 * @param trainSize training images (-1: all)
 * @param attackN   PREDICT samples after an attack
 * @param futility  sequential CERTIFY's futility stopping (0: decide every radius or reach n_max)
 * @param fullGrids the paper's full ablation grids (every sigma; m and T in {1, 2, 4, 8}); else the grids at
 *                  sigma = 0.5 and m, T in {1, 2}
 * @param radiusCap the largest target radius, in units of sigma (see {@link #radii})
 */
public record Profile(String name, int n, int n0, int skip, int epochs, double lr, int trainSize, int attackN,
        double futility, boolean fullGrids, double radiusCap) {

    public static final Profile TEST = new Profile("test", 200, 50, 1000, 1, 0.01, 1024, 200, 0, false, 3);
    /**
     * The default: every model on the 60,000 training images for 3 epochs at lr 0.02 (x0.1 for the third), within 2
     * points of the plateau of the reference schedule (10 epochs at lr 0.01; measured in the README), 200 test images,
     * decisions worth n = 100,000 samples (sequential CERTIFY, futility 0.8), the ablation grids at sigma = 0.5 and
     * m, T in {1, 2}. Futility 0.8 (0.2 until 2026-12-07) and the smaller m, T grid keep {@code make figures} from an
     * empty cache under 40 minutes on 2 cores (31 minutes measured, 63 before; docs/notebooks.md): futility 0.8 draws
     * 7,000-10,300 samples per image instead of 10,500-22,100 and certifies at most 0.03 less at any radius of the
     * figures, since futility never gives up a radius the estimate is on track to certify (certify/RadiusDecisions).
     */
    public static final Profile QUICK = new Profile("quick", 100_000, 100, 50, 3, 0.02, -1, 10_000, 0.8, false, 3);
    /** The reference budgets: 30 epochs at lr 0.01, 500 test images, n = 100,000, every grid. */
    public static final Profile PAPER = new Profile("paper", 100_000, 100, 20, 30, 0.01, -1, 100_000, 0, true,
            Double.POSITIVE_INFINITY);

    public static Profile current() {
        String p = System.getenv().getOrDefault("SMOOTHING4J_PROFILE", "quick").toLowerCase(Locale.ROOT);
        return switch (p) {
            case "test" -> TEST;
            case "quick" -> QUICK;
            case "paper" -> PAPER;
            default -> throw new IllegalArgumentException("SMOOTHING4J_PROFILE must be test, quick or paper, got '" + p
                    + "'");
        };
    }

    /** Gaussian augmentation of a LeNet with this profile's budget (seed 1). */
    public TrainConfig gaussian(String dataset, double sigma) {
        return TrainConfig.defaults(dataset, "lenet", sigma).withEpochs(epochs).withLr(lr)
                .withLrStep(Math.max(1, epochs <= 3 ? epochs - 1 : epochs * 3 / 5)).withTrainSize(trainSize).withSeed(1);
    }

    /** SmoothAdv (PGD-L2) with eps warm-up over the first half of training; all m copies trained on when m > 1. */
    public TrainConfig smoothAdv(String dataset, double sigma, double eps, int steps, int m) {
        return gaussian(dataset, sigma).withMethod("smoothadv").withEpsilon(eps).withSteps(steps).withNoiseSamples(m)
                .withMultiNoise(m > 1).withWarmup(Math.max(1, epochs / 2));
    }

    /** CERTIFY's settings: n0, n, alpha 0.001, every skip-th test image. */
    public CertifyConfig certify() {
        return CertifyConfig.defaults().withN0(n0).withN(n).withSelection(ExampleSelection.everyKth(skip));
    }

    /**
     * The certification of a grid's cells: sequential CERTIFY at {@link #radii} of each cell's sigma (up to
     * {@code maxRadius}), with the cell's noise family (L2 radii for Gaussian noise, L1 for Laplace and uniform).
     */
    public Function<TrainConfig, RunSpec> certification(double maxRadius) {
        return c -> new RunSpec.CertifySequential(Smoothing.of(c.recipe().noise(), c.sigma(),
                c.recipe().noise() == NoiseFamily.GAUSSIAN ? Norm.L2 : Norm.L1), certify(), radii(c.sigma(),
                maxRadius));
    }

    /**
     * Sequential CERTIFY at the radii 0, 0.25, 0.5, ... up to {@code maxRadius}, up to {@code radiusCap} sigma, and up
     * to the largest radius n_max samples can certify at this sigma (about 3.7 sigma at n_max = 100,000; beyond it
     * nothing is certifiable), n_max = n, with this profile's futility stopping. The cap is what costs: an example is
     * certified at r only once the lower bound on p_A reaches Phi(r / sigma), so even an example whose every sample
     * is correct needs about 8,000 samples for r = 3 sigma but 46,000 for r = 3.5 sigma (at alpha / K per look);
     * the quick profile stops at 3 sigma, the paper profile goes to the largest certifiable radius.
     */
    public SequentialConfig radii(double sigma, double maxRadius) {
        SequentialConfig base = SequentialConfig.defaults().withNMax(n).withFutility(futility);
        CertifyConfig c = certify();
        double cap = Math.min(Math.min(maxRadius, radiusCap * sigma), base.largestRadius(sigma, c.alpha(), c.batch()));
        int k = Math.max(0, (int) Math.floor(cap / 0.25 + 1e-9)); // radius 0 at least (tiny budgets)
        double[] r = new double[k + 1];
        for (int i = 0; i <= k; i++) {
            r[i] = 0.25 * i;
        }
        return base.withRadii(r);
    }
}
