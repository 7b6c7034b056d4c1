package org.smoothing4j.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.NoiseSource;

/**
 * Decoupled Direction and Norm (Rony et al., CVPR 2019) in L2, as SmoothAdv's reference: gradient steps of length
 * given by a cosine-annealed rate (1 to 0.01 over the T steps) in the normalised ascent direction, then delta is
 * rescaled to a norm that shrinks by (1 - gamma) while the example is misclassified and grows by (1 + gamma)
 * while it is not (never above the largest possible distortion), and x + delta is clamped to [0,1]. Returns the
 * smallest successful delta seen, renormed to at most eps (zero where no step succeeded).
 */
public record DdnL2(double epsilon, int steps, double gamma, double initNorm, Objective objective,
        GradientSource gradients) implements Attack {

    public DdnL2 {
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("--eps must be >= 0, got " + epsilon);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
    }

    /** The reference's defaults: gamma 0.05, initial norm 1. */
    public static DdnL2 of(double epsilon, int steps, Objective objective, GradientSource gradients) {
        return new DdnL2(epsilon, steps, 0.05, 1.0, objective, gradients);
    }

    @Override
    public INDArray perturbation(Classifier net, INDArray x, int[] labels, INDArray noise, NoiseSource random) {
        long batch = x.size(0), d = x.length() / batch;
        INDArray delta = L2.zerosLike(x);
        INDArray x2 = x.reshape(batch, d);
        INDArray worstNorm = L2.norms(Transforms.max(x2, x2.rsub(1.0)));
        INDArray norm = worstNorm.like().assign(initNorm);
        INDArray bestNorm = worstNorm.dup();
        INDArray bestDelta = L2.zerosLike(x);
        for (int i = 0; i < steps; i++) {
            double lr = 0.01 + (1 - 0.01) * (1 + Math.cos(Math.PI * (i + 1) / steps)) / 2;
            INDArray delta2 = delta.reshape(batch, d);
            INDArray l2 = L2.norms(delta2);
            GradientSource.Evaluation e = gradients.evaluate(net, x.add(delta), noise, labels, objective);
            for (int b = 0; b < batch; b++) {
                boolean adversarial = e.predictions()[b] != labels[b];
                if (adversarial && l2.getDouble(b, 0) < bestNorm.getDouble(b, 0)) {
                    bestNorm.putScalar(b, 0, l2.getDouble(b, 0));
                    bestDelta.reshape(batch, d).getRow(b).assign(delta2.getRow(b));
                }
                double factor = adversarial ? 1 - gamma : 1 + gamma;
                norm.putScalar(b, 0, Math.min(norm.getDouble(b, 0) * factor, worstNorm.getDouble(b, 0)));
            }
            INDArray direction = L2.normalizeOrRandom(e.gradient().reshape(batch, d).dup(), random);
            delta2.addi(direction.muli(lr));
            INDArray scale = norm.div(L2.norms(delta2));
            delta2.muliColumnVector(scale);
            L2.clampToImage(delta, x);
        }
        L2.clipNorms(bestDelta.reshape(batch, d), epsilon);
        return bestDelta;
    }

    @Override
    public Attack withEpsilon(double epsilon) {
        return new DdnL2(epsilon, steps, gamma, initNorm, objective, gradients);
    }
}
