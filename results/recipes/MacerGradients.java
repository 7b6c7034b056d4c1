package org.smoothing4j.train;

import java.nio.file.Path;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.model.dl4j.Checkpoint;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.noise.NoiseSource;

/**
 * How large MACER's robustness term is against its classification term, in the gradient a step follows: on three
 * training batches (256 images, k = 8 noisy copies, beta 16, gamma 8), the L2 norm of d(lambda RL)/d(logits) over
 * that of d(CL)/d(logits), for lambda 1, 3 and 12 (MacerLoss, the loss the trainer steps on; the log-probabilities
 * stand in for the logits, which softmax cannot tell apart). In package org.smoothing4j.train for MacerLoss; compile
 * it against the jar (the source launcher's own class loader may not reach package-private classes):
 *   CP="lib/target/smoothing4j-0.1.0-SNAPSHOT.jar:lib/target/dependency/*"
 *   javac -cp "$CP" -d /tmp/macer results/recipes/MacerGradients.java
 *   java $(bin/jvm-options) -cp "/tmp/macer:$CP" org.smoothing4j.train.MacerGradients MODEL.zip SIGMA
 */
public class MacerGradients {
    public static void main(String[] args) throws Exception {
        Network net = Checkpoint.load(Path.of(args[0])).network();
        double sigma = Double.parseDouble(args[1]);
        LabeledImages train = Datasets.load("fashion-mnist", Split.TRAIN);
        int b = 256, k = 8;
        NoiseSource noise = NoiseSource.ziggurat();
        noise.reseed(7);
        for (int batch = 0; batch < 3; batch++) {
            int[] labels = new int[b];
            INDArray[] images = new INDArray[b];
            for (int i = 0; i < b; i++) {
                labels[i] = train.labels()[batch * b + i];
                images[i] = train.image(batch * b + i);
            }
            INDArray copies = Recipes.noisyCopies(Nd4j.concat(0, images), k, sigma, noise);
            INDArray logits = Transforms.log(net.scores(copies).add(1e-30), false);
            INDArray cl = new MacerLoss(labels, k, sigma, 16, 8, 0).evaluate(logits).gradient();
            double clNorm = cl.norm2Number().doubleValue();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "batch %d: |dCL| %.4g", batch, clNorm));
            for (double lambda : new double[] {1, 3, 12}) {
                INDArray all = new MacerLoss(labels, k, sigma, 16, 8, lambda).evaluate(logits).gradient();
                double rl = all.sub(cl).norm2Number().doubleValue();
                line.append(String.format(Locale.ROOT, "   lambda %.0f: |d(lambda RL)| %.4g = %.1fx", lambda, rl,
                        rl / clNorm));
            }
            System.out.println(line);
        }
    }
}
