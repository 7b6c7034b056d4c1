package org.smoothing4j.attack;

import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.NoiseSource;

/**
 * Empirical robustness of a smoothed classifier (Salman et al., section 4 / SPEC 8): each selected image is attacked
 * with an L2 attack on objective (S), the naive objective, or the base classifier without noise, using m_test noise
 * samples, then PREDICT runs on the attacked image (the attack run's plan, {@code org.smoothing4j.run}). Log:
 * {@code idx label predict basePredict correct norm time} (basePredict: the base classifier on the attacked image
 * without noise; norm: ||delta||_2).
 */
public final class AttackRun {
    /** What the attack maximises. */
    public enum Target {
        SMOOTH, NAIVE, BASE;

        /** The name in run settings. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private AttackRun() {}

    /**
     * The perturbation of one image [1, c, h, w] with true class {@code label}: m_test noise copies at sigma from
     * {@code noise} (one noiseless copy for {@link Target#BASE}, which attacks the base classifier), then the attack.
     */
    public static INDArray perturbation(Classifier f, Attack attack, Target target, int mTest, double sigma,
            NoiseSource noise, INDArray x, int label) {
        int m = target == Target.BASE ? 1 : mTest;
        long[] shape = x.shape().clone();
        shape[0] = m;
        INDArray copies = Nd4j.create(x.dataType(), shape);
        if (target != Target.BASE) {
            noise.fill(copies, sigma);
        }
        return attack.perturbation(f, x, new int[] {label}, copies, noise);
    }
}
