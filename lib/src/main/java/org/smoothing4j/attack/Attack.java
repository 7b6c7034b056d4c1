package org.smoothing4j.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.NoiseSource;

/** An L2 attack on the soft smoothed classifier: finds x' = x + delta with ||delta||_2 &lt;= eps. */
public interface Attack {

    /**
     * The perturbation delta [B, c, h, w] for images x [B, c, h, w] in [0,1] with true classes {@code labels},
     * using the noise copies {@code noise} [B*m, c, h, w] (shared by all steps) and {@code random} for random
     * directions where a gradient vanishes.
     */
    INDArray perturbation(Classifier net, INDArray x, int[] labels, INDArray noise, NoiseSource random);

    double epsilon();

    /** The same attack with another budget (for eps warm-up). */
    Attack withEpsilon(double epsilon);
}
