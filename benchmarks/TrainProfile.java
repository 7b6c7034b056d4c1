import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.smoothing4j.attack.NoisyCopies;
import org.smoothing4j.model.Architectures;
import org.smoothing4j.model.Network;
import org.smoothing4j.noise.NoiseSource;
import org.smoothing4j.train.GaussianAugmentation;

/** Where a Gaussian-augmentation step of LeNet / MLP (batch 128) spends its time. */
public class TrainProfile {
    interface W { void run(); }
    static double ms(W w, int iters) {
        for (int i = 0; i < 5; i++) w.run();
        double[] t = new double[5];
        for (int r = 0; r < 5; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < iters; i++) w.run();
            t[r] = (System.nanoTime() - t0) / 1e6 / iters;
        }
        Arrays.sort(t);
        return t[2];
    }
    public static void main(String[] a) {
        for (String arch : new String[] {"lenet", "mlp"}) {
            long[] shape = {1, 28, 28};
            Network net = Architectures.build(arch, shape, 10, Architectures.Normalization.FASHION_MNIST,
                    new Nesterovs(0.01, 0.9), 1e-4, 1);
            INDArray x = Nd4j.rand(DataType.FLOAT, 128, 1, 28, 28);
            int[] labels = new int[128];
            Arrays.setAll(labels, i -> i % 10);
            INDArray y = NoisyCopies.oneHot(labels, 1, 10, DataType.FLOAT);
            NoiseSource noise = NoiseSource.nd4j();
            INDArray buf = x.like();
            GaussianAugmentation g = new GaussianAugmentation(0.25);
            int it = 20;
            double noiseMs = ms(() -> noise.fill(buf, 0.25), it);
            double fwd = ms(() -> net.scores(x), it);
            double fit = ms(() -> net.fit(new DataSet(x, y)), it);
            double step = ms(() -> g.step(net, x, labels, 5, noise), it);
            System.out.printf("%s batch 128: noise %.2f ms, forward (scores) %.2f ms, fit %.2f ms, whole step %.2f ms"
                    + " -> step %.0f images/s, fit alone %.0f images/s%n", arch, noiseMs, fwd, fit, step,
                    128 / step * 1e3, 128 / fit * 1e3);
        }
    }
}
