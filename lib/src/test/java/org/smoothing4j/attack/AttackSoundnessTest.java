package org.smoothing4j.attack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.smoothing4j.certify.Certificate;
import org.smoothing4j.certify.SmoothedClassifier;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.dl4j.Architectures;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.noise.NoiseSource;
import org.smoothing4j.noise.Seeds;
import org.smoothing4j.train.GaussianAugmentation;

/**
 * A sanity check users can trust: on certified examples, PGD on objective (S) with eps below the certified radius
 * does not change PREDICT's answer (other than to abstain) beyond what alpha allows, while the same attack with
 * eps well above the radius does change it (so the check can fail).
 *
 * <p>A flip below the radius needs the certificate to be wrong (probability at most alpha) or PREDICT to be wrong
 * (at most alpha): at most 2 alpha = 0.002 per example. With N certified examples (N &lt;= 30) the number of flips
 * is at most Binomial(30, 0.002), and P(more than 2) &lt; 1e-4: the test allows 2.
 */
@Tag("slow") // over 15 s: in make test, not in make check
class AttackSoundnessTest {
    private static final double SIGMA = 0.25, ALPHA = 0.001;

    private static Network trainedMlp() throws IOException {
        LabeledImages train = Datasets.load("fashion-mnist", org.smoothing4j.data.Split.TRAIN).head(3000);
        Network net = Architectures.build("mlp", new long[] {1, 28, 28}, 10, Normalization.FASHION_MNIST,
                new Nesterovs(0.05, 0.9), 1e-4, 1);
        GaussianAugmentation trainer = new GaussianAugmentation(SIGMA);
        NoiseSource noise = NoiseSource.nd4j();
        noise.reseed(2);
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int from = 0; from < train.size(); from += 100) {
                INDArray x = train.images().get(NDArrayIndex.interval(from, from + 100)).dup();
                int[] y = java.util.Arrays.copyOfRange(train.labels(), from, from + 100);
                trainer.step(net, x, y, epoch, noise);
            }
        }
        return net;
    }

    @Test
    void attacksBelowTheCertifiedRadiusDoNotFlipThePrediction() throws IOException {
        Network net = trainedMlp();
        LabeledImages test = Datasets.load("fashion-mnist", org.smoothing4j.data.Split.TEST);
        SmoothedClassifier g = SmoothedClassifier.of(net, SIGMA);
        NoiseSource random = NoiseSource.nd4j();
        int certified = 0, flipsBelow = 0, flipsAbove = 0;
        for (int i = 0; i < 30; i++) {
            INDArray x = test.image(i * 25).reshape(1, 1, 28, 28);
            Certificate c = g.certify(x, 100, 1000, ALPHA, Seeds.forExample(1, i));
            if (c.abstained() || c.radius() < 0.05) {
                continue;
            }
            certified++;
            if (flipped(net, g, x, c, 0.9 * c.radius(), random, i)) {
                flipsBelow++;
            }
            if (flipped(net, g, x, c, 4.0, random, i)) {
                flipsAbove++;
            }
        }
        assertTrue(certified >= 15, "too few certified examples to test: " + certified);
        System.out.println("attack sanity: " + certified + " certified, flips below radius " + flipsBelow
                + ", at eps 4.0 " + flipsAbove);
        assertTrue(flipsBelow <= 2, flipsBelow + " of " + certified + " predictions flipped below the radius");
        assertTrue(flipsAbove >= certified / 4, "the attack flips only " + flipsAbove + " of " + certified
                + " predictions at eps 4.0: too weak for this check to mean anything");
    }

    private static boolean flipped(Network net, SmoothedClassifier g, INDArray x, Certificate c, double eps,
            NoiseSource random, int i) {
        int m = 16;
        INDArray copies = Nd4j.create(x.dataType(), m, 1, 28, 28);
        random.reseed(Seeds.forExample(2, i));
        random.fill(copies, SIGMA);
        INDArray delta = new PgdL2(eps, 10, Objective.SMOOTH, Gradients.backprop())
                .perturbation(net, x, new int[] {c.prediction()}, copies, random);
        int after = g.predict(x.add(delta), 1000, ALPHA, Seeds.forExample(3, i)).prediction();
        return after != Certificate.ABSTAIN && after != c.prediction();
    }
}
