package org.smoothing4j.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smoothing4j.attack.Attack;
import org.smoothing4j.attack.DdnL2;
import org.smoothing4j.attack.GradientSource;
import org.smoothing4j.attack.Gradients;
import org.smoothing4j.attack.NoisyCopies;
import org.smoothing4j.attack.Objective;
import org.smoothing4j.attack.PgdL2;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.noise.NoiseSource;

/**
 * SmoothAdv (Salman et al., NeurIPS 2019): for each image find x' = x + delta, ||delta||_2 &lt;= eps_t, maximising the
 * soft smoothed classifier's cross-entropy (objective S) estimated with m noise copies drawn once per batch and
 * shared by the attack and the training step; then train with cross-entropy on x' + n_1 (first copy) or on all
 * x' + n_i (multi-noise). eps_t follows the warm-up schedule of {@link TrainConfig#epsilonAt}.
 */
public record SmoothAdv(double sigma, Attack attack, int noiseSamples, boolean multiNoise, TrainConfig schedule)
        implements Trainer {

    public static SmoothAdv of(TrainConfig c) {
        GradientSource gradients = Gradients.named(c.attack().gradient(), c.sigma());
        Attack attack = c.attack().kind().equals("pgd")
                ? new PgdL2(c.attack().epsilon(), c.attack().steps(), Objective.SMOOTH, gradients)
                : DdnL2.of(c.attack().epsilon(), c.attack().steps(), Objective.SMOOTH, gradients);
        return new SmoothAdv(c.sigma(), attack, c.recipe().noiseSamples(), c.recipe().multiNoise(), c);
    }

    @Override
    public StepResult step(Network net, INDArray x, int[] labels, int epoch, NoiseSource noise) {
        int m = noiseSamples;
        long[] shape = x.shape().clone();
        shape[0] = x.size(0) * m;
        INDArray copies = Nd4j.create(x.dataType(), shape);
        noise.fill(copies, sigma);
        INDArray delta = attack.withEpsilon(schedule.epsilonAt(epoch)).perturbation(net, x, labels, copies, noise);
        INDArray adv = x.add(delta);
        if (schedule.method().equals("smoothadv-consistency")) { // Consistency regularisation on the adversarial copies
            INDArray rows = NoisyCopies.add(adv, copies, m);
            RecipeConfig.ConsistencyParams c = schedule.recipe().losses().consistency();
            return Recipes.result(net.fit(rows, new ConsistencyLoss(labels, m, c.lambda(), c.eta())), labels, m, 0,
                    rows.size(0));
        }
        if (multiNoise) {
            return Steps.fit(net, NoisyCopies.add(adv, copies, m), labels, m);
        }
        INDArray first = copies.reshape(x.size(0), m, x.length() / x.size(0))
                .get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).reshape(x.shape());
        return Steps.fit(net, adv.addi(first), labels, 1);
    }
}
