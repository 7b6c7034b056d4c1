package org.smoothing4j.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.NoiseSource;

/**
 * Projected gradient ascent in L2 as SmoothAdv's reference: delta starts at 0; each of the T steps normalises the
 * gradient per example to unit L2 (a zero gradient becomes a random direction), steps 2*eps/T, clamps x + delta to
 * [0,1] and projects delta onto the eps-ball.
 */
public record PgdL2(double epsilon, int steps, Objective objective, GradientSource gradients) implements Attack {

    public PgdL2 {
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("--eps must be >= 0, got " + epsilon);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
    }

    @Override
    public INDArray perturbation(Classifier net, INDArray x, int[] labels, INDArray noise, NoiseSource random) {
        INDArray delta = L2.zerosLike(x);
        if (epsilon == 0) {
            return delta;
        }
        long batch = x.size(0), d = x.length() / batch;
        double stepSize = 2 * epsilon / steps;
        for (int t = 0; t < steps; t++) {
            INDArray grad = gradients.evaluate(net, x.add(delta), noise, labels, objective).gradient();
            INDArray step = L2.normalizeOrRandom(grad.reshape(batch, d).dup(), random).muli(stepSize);
            delta.addi(step.reshape(x.shape()));
            L2.clampToImage(delta, x);
            L2.clipNorms(delta.reshape(batch, d), epsilon);
        }
        return delta;
    }

    @Override
    public Attack withEpsilon(double epsilon) {
        return new PgdL2(epsilon, steps, objective, gradients);
    }
}
