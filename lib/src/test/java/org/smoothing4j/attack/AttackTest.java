package org.smoothing4j.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.dl4j.Architectures;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.noise.NoiseSource;

/** PGD-L2 and DDN-L2 on the soft smoothed classifier keep their constraints and raise the objective. */
class AttackTest {
    private static Network net;
    private static LabeledImages data;

    @BeforeAll
    static void setUp() throws IOException {
        net = Architectures.build("lenet", new long[] {1, 28, 28}, 10, Normalization.FASHION_MNIST,
                new Sgd(0.01), 0, 5);
        data = Datasets.load("fashion-mnist", Split.TEST).head(32);
    }

    private static INDArray noise(int m, long seed) {
        NoiseSource n = NoiseSource.nd4j();
        n.reseed(seed);
        INDArray noise = Nd4j.create(data.images().dataType(), 32L * m, 1, 28, 28);
        n.fill(noise, 0.25);
        return noise;
    }

    private static void assertConstraints(INDArray delta, double eps) {
        INDArray x = data.images();
        INDArray norms = delta.reshape(32, 784).norm2(1);
        assertTrue(norms.maxNumber().doubleValue() <= eps * (1 + 1e-5), "||delta|| " + norms.maxNumber() + " > " + eps);
        INDArray adv = x.add(delta);
        assertTrue(adv.minNumber().doubleValue() >= -1e-6 && adv.maxNumber().doubleValue() <= 1 + 1e-6,
                "x + delta leaves [0,1]");
    }

    /** The objective's mean over the batch, from forward passes only. */
    private static double meanLoss(INDArray delta, INDArray noise, Objective o) {
        int m = (int) (noise.size(0) / 32);
        INDArray probs = net.scores(NoisyCopies.add(data.images().add(delta), noise, m));
        return o.loss(NoisyCopies.trueClassProbabilities(probs, data.labels(), m)).meanNumber().doubleValue();
    }

    @Test
    void smoothObjectiveWeightsStayFiniteWhenEveryCopyUnderflowed() {
        INDArray fy = org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][] {{0.2f, 0.6f}, {0f, 0f}});
        INDArray w = Objective.SMOOTH.copyWeights(fy);
        assertEquals(0.25, w.getDouble(0, 0), 1e-7);
        assertEquals(0.75, w.getDouble(0, 1), 1e-7);
        assertEquals(0.5, w.getDouble(1, 0), 0);
        assertEquals(0.5, w.getDouble(1, 1), 0);
    }

    @Test
    void pgdStaysInTheBallAndTheImageAndRaisesTheObjective() {
        for (Objective o : Objective.values()) {
            INDArray noise = noise(4, 1);
            PgdL2 pgd = new PgdL2(0.5, 4, o, Gradients.backprop());
            NoiseSource random = NoiseSource.nd4j();
            INDArray delta = pgd.perturbation(net, data.images(), data.labels(), noise, random);
            assertConstraints(delta, 0.5);
            double before = meanLoss(delta.mul(0), noise, o), after = meanLoss(delta, noise, o);
            assertTrue(after > before, o + ": objective " + before + " -> " + after);
            // the final step was projected onto the sphere for most examples (the attack uses its budget)
            assertTrue(delta.reshape(32, 784).norm2(1).meanNumber().doubleValue() > 0.4);
        }
    }

    @Test
    void steinGradientsAlsoDriveTheAttack() {
        INDArray noise = noise(32, 2);
        PgdL2 pgd = new PgdL2(0.5, 2, Objective.SMOOTH, new SteinGradient(0.25, true, false));
        INDArray delta = pgd.perturbation(net, data.images(), data.labels(), noise, NoiseSource.nd4j());
        assertConstraints(delta, 0.5);
        assertTrue(meanLoss(delta, noise, Objective.SMOOTH) > meanLoss(delta.mul(0), noise, Objective.SMOOTH));
    }

    @Test
    void ddnReturnsSuccessfulPerturbationsWithinTheBudget() {
        INDArray noise = noise(2, 3);
        DdnL2 ddn = DdnL2.of(2.0, 20, Objective.SMOOTH, Gradients.backprop());
        INDArray delta = ddn.perturbation(net, data.images(), data.labels(), noise, NoiseSource.nd4j());
        assertConstraints(delta, 2.0);
        // every non-zero delta was adversarial for the soft smoothed classifier when found (before the final renorm)
        int[] before = Gradients.backprop().evaluate(net, data.images(), noise, data.labels(), Objective.SMOOTH)
                .predictions();
        int attacked = 0;
        for (int b = 0; b < 32; b++) {
            if (delta.reshape(32, 784).getRow(b).norm2Number().doubleValue() > 0) {
                attacked++;
            }
        }
        long correctBefore = java.util.stream.IntStream.range(0, 32).filter(b -> before[b] == data.labels()[b]).count();
        assertTrue(attacked > 0 && attacked >= correctBefore / 2, "DDN found " + attacked + " of " + correctBefore);
    }

    @Test
    void attackRunLogsEveryExampleAndResumes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        var g = org.smoothing4j.certify.SmoothedClassifier.of(net, 0.25);
        var config = org.smoothing4j.certify.CertifyConfig.defaults().withN(200).withBatch(200)
                .withSelection(new org.smoothing4j.certify.ExampleSelection(8, -1, 0, -1));
        var attack = new PgdL2(0.5, 2, Objective.SMOOTH, Gradients.backprop());
        java.nio.file.Path out = dir.resolve("attack.tsv");
        org.smoothing4j.run.ExampleLoop.run(org.smoothing4j.run.Plans.attack(g, attack, AttackRun.Target.SMOOTH, 4,
                config, java.util.Map.of()), data, config.selection(), out, false, t -> org.smoothing4j.io.Progress.none());
        var lines = java.nio.file.Files.readAllLines(out);
        assertTrue(lines.size() == 5 && lines.get(0).equals(String.join("\t", org.smoothing4j.run.Plans.ATTACK_HEADER)), lines.toString());
        for (String line : lines.subList(1, lines.size())) {
            double norm = Double.parseDouble(line.split("\t")[5]);
            assertTrue(norm <= 0.5 + 1e-4, line);
        }
        // same settings: resuming finds nothing left to do and keeps the rows
        org.smoothing4j.run.ExampleLoop.run(org.smoothing4j.run.Plans.attack(g, attack, AttackRun.Target.SMOOTH, 4,
                config, java.util.Map.of()), data, config.selection(), out, true, t -> org.smoothing4j.io.Progress.none());
        assertTrue(java.nio.file.Files.readAllLines(out).equals(lines));
    }
}
