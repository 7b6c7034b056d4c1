import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.dl4j.Architectures;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.model.dl4j.OnnxTrainingStep;

/**
 * Issue 31's prototype: one ResNet training step (Gaussian augmentation's step without the noise: batch 128,
 * CIFAR-10 shapes) through ONNX Runtime (the graph of lib's OnnxTrainingExport; the update here a plain SGD step in
 * ND4J, a few ms) against DL4J's own step (ComputationGraph.fit with Nesterov momentum), alternating in one JVM.
 * With -Dsmoothing4j.onnx.profile=PREFIX ONNX Runtime writes its per-operator profile to PREFIX_*.json.
 *   java ... OnnxTrainingPrototype.java [resnet20|resnet110] [threads] [repetitions]   (run like Bench.java)
 */
public class OnnxTrainingPrototype {
    public static void main(String[] args) {
        String arch = args.length > 0 ? args[0] : "resnet20";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2, reps = args.length > 2
                ? Integer.parseInt(args[2]) : 4, batch = 128;
        Network net = Architectures.build(arch, new long[] {3, 32, 32}, 10, Normalization.CIFAR10,
                new Nesterovs(0.01, 0.9), 1e-4, 1);
        ComputationGraph g = (ComputationGraph) net.model();
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 10, 1);
        }
        DataSet ds = new DataSet(x, y);
        try (OnnxTrainingStep step = OnnxTrainingStep.of(g, new long[] {3, 32, 32}, threads)) {
            for (int r = 0; r < reps; r++) {
                for (int side = 0; side < 2; side++) {
                    int steps = 0;
                    long t0 = System.nanoTime();
                    while (System.nanoTime() - t0 < 8e9 || steps < 2) {
                        if (side == 0) {
                            for (Map.Entry<String, INDArray> e : step.run(x, y).gradients().entrySet()) {
                                int u = e.getKey().lastIndexOf('_');
                                g.getLayer(e.getKey().substring(0, u)).getParam(e.getKey().substring(u + 1))
                                        .subi(e.getValue().muli(1e-5));
                            }
                        } else {
                            g.fit(ds);
                        }
                        steps++;
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "%s %-22s %6.1f images/s  %6.0f ms/step%n", arch,
                            side == 0 ? "ONNX Runtime step" : "DL4J step", steps * batch / s, 1000 * s / steps);
                }
            }
        }
    }
}
