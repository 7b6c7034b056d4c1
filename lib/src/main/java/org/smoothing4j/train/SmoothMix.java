package org.smoothing4j.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smoothing4j.attack.GradientSource;
import org.smoothing4j.attack.Gradients;
import org.smoothing4j.attack.NoisyCopies;
import org.smoothing4j.attack.Objective;
import org.smoothing4j.certify.Statistics;
import org.smoothing4j.model.Fitted;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.noise.NoiseSource;

/**
 * SmoothMix (Jeong et al., NeurIPS 2021): PGD on the soft smoothed classifier's cross-entropy (objective S) with m
 * noise vectors shared by the attack and the step, T steps of size alpha along the unit-normalised gradient, the
 * image clamped to [0,1] and (optionally) the perturbation's norm kept below max norm; x_s is the point after {@code
 * mixStep} steps (0: x), with its perturbation's norm at most alpha * mixStep, and x_adv the point after T. Each image
 * gets lam ~ U(0, 1/2) and trains on x_mix = (1 - lam) x_s + lam x_adv towards (1 - lam) F(x) + lam uniform
 * ({@link SmoothMixLoss}), the mixup weight warmed up over {@code warmup} epochs. Public code defaults: m = 1, T = 8,
 * alpha = 1.0, eta = 1.0, mix step 0, no max norm, warm-up 10 (its MNIST runs: m = 4, eta = 5, mix step 1).
 */
record SmoothMix(double sigma, int m, int steps, RecipeConfig recipe, GradientSource gradients, TrainConfig schedule)
        implements Trainer {

    static SmoothMix of(TrainConfig c) {
        return new SmoothMix(c.sigma(), c.recipe().noiseSamples(), c.attack().steps(), c.recipe().losses(),
                Gradients.named(c.attack().gradient(), c.sigma()), c);
    }

    @Override
    public StepResult step(Network net, INDArray x, int[] labels, int epoch, NoiseSource noise) {
        INDArray n = Recipes.noise(x, m, sigma, noise);
        INDArray[] points = attack(net, x, labels, n);
        int images = labels.length;
        INDArray draws = Nd4j.create(DataType.DOUBLE, images);
        noise.fill(draws, 1.0);
        double[] lam = new double[images];
        INDArray mixed = points[0].dup();
        for (int b = 0; b < images; b++) {
            lam[b] = Statistics.normalCdf(draws.getDouble(b)) / 2; // U(0, 1/2) from a standard normal draw
            mixed.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b)).muli(1 - lam[b])
                    .addi(points[1].get(org.nd4j.linalg.indexing.NDArrayIndex.point(b)).mul(lam[b]));
        }
        INDArray rows = Nd4j.concat(0, NoisyCopies.add(x, n, m), NoisyCopies.add(mixed, n, m));
        Fitted fitted = net.fit(rows, new SmoothMixLoss(labels, m, lam,
                recipe.smoothMix().eta() * schedule.warmupAt(epoch)));
        return Recipes.result(fitted, labels, m, 0, (long) images * m);
    }

    /** {x_s, x_adv} of SmoothMix's PGD. */
    INDArray[] attack(Network net, INDArray x, int[] labels, INDArray noise) {
        INDArray adv = x.dup(), start = x.dup();
        for (int t = 0; t < steps; t++) {
            if (t == recipe.smoothMix().mixStep()) {
                start = adv.dup();
            }
            INDArray g = gradients.evaluate(net, adv, noise, labels, Objective.SMOOTH).gradient();
            long b = x.size(0), d = x.length() / b;
            INDArray flat = g.reshape(b, d);
            INDArray norms = flat.norm2(1).reshape(b, 1).addi(1e-8);
            adv.addi(flat.divColumnVector(norms).muli(recipe.smoothMix().alpha()).reshape(x.shape()));
            adv = project(adv, x, recipe.smoothMix().maxNorm());
        }
        start = project(start, x, recipe.smoothMix().alpha() * Math.min(recipe.smoothMix().mixStep(), steps));
        return new INDArray[] {start, adv};
    }

    /** x0 + delta with ||delta||_2 at most maxNorm (0: no limit), clamped to [0,1]. */
    private static INDArray project(INDArray x, INDArray x0, double maxNorm) {
        INDArray delta = x.sub(x0);
        if (maxNorm > 0) {
            long b = x.size(0), d = x.length() / b;
            INDArray flat = delta.reshape(b, d);
            INDArray norms = flat.norm2(1).reshape(b, 1);
            INDArray scale = Transforms.min(norms.rdiv(maxNorm), 1.0, false);
            flat.muliColumnVector(scale);
        }
        INDArray out = x0.add(delta);
        return Transforms.min(Transforms.max(out, 0.0, false), 1.0, false);
    }
}
