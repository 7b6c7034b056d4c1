import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What limits ResNet-20 training on ND4J: the libnd4j operations one training step needs, each timed alone on
 * ResNet-20's shapes (batch 128, CIFAR-10): conv2d and conv2d_bp (oneDNN) for its 21 convolutions, moments,
 * batchnorm and batchnorm_bp for the batch norm after each. Their sum is a lower bound for any training step built
 * from them (ReLUs, residual additions and the updater come on top); compare it with PyTorch's whole step
 * (results/bench.md: 128 / its ResNet-20 training images/s).
 *   java ... ResNetOps.java [nchw|nhwc] [repetitions]      (run like Bench.java in benchmarks/bench)
 */
public class ResNetOps {
    public static void main(String[] args) {
        boolean nhwc = args.length > 0 && args[0].equals("nhwc");
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 4, batch = 128;
        List<int[]> convs = new ArrayList<>(); // {in channels, out channels, kernel, stride, input size}
        convs.add(new int[] {3, 16, 3, 1, 32});
        for (int i = 0; i < 6; i++) {
            convs.add(new int[] {16, 16, 3, 1, 32});
        }
        convs.add(new int[] {16, 32, 3, 2, 32});
        convs.add(new int[] {16, 32, 1, 2, 32}); // shortcut
        for (int i = 0; i < 5; i++) {
            convs.add(new int[] {32, 32, 3, 1, 16});
        }
        convs.add(new int[] {32, 64, 3, 2, 16});
        convs.add(new int[] {32, 64, 1, 2, 16}); // shortcut
        for (int i = 0; i < 5; i++) {
            convs.add(new int[] {64, 64, 3, 1, 8});
        }
        for (int r = 0; r < reps; r++) {
            double[] ms = new double[4]; // conv forward, conv backward, batch norm forward, batch norm backward
            for (int[] c : convs) {
                time(c, batch, nhwc, ms);
            }
            System.out.printf(Locale.ROOT, "%s: convolutions forward %.0f ms, backward %.0f ms; batch norm forward"
                    + " %.0f ms, backward %.0f ms; sum %.0f ms%n", nhwc ? "NHWC" : "NCHW", ms[0], ms[1], ms[2],
                    ms[3], ms[0] + ms[1] + ms[2] + ms[3]);
        }
    }

    /** Adds one convolution's and its batch norm's times (after two untimed runs) to {@code ms}. */
    static void time(int[] c, int batch, boolean nhwc, double[] ms) {
        int in = c[0], out = c[1], k = c[2], s = c[3], h = c[4], pad = k / 2, o = (h + 2 * pad - k) / s + 1;
        int[] args = {k, k, s, s, pad, pad, 1, 1, 0, nhwc ? 1 : 0, 1};
        INDArray x = nhwc ? Nd4j.rand(DataType.FLOAT, batch, h, h, in) : Nd4j.rand(DataType.FLOAT, batch, in, h, h);
        INDArray w = Nd4j.rand(DataType.FLOAT, out, in, k, k);
        INDArray z = nhwc ? Nd4j.create(DataType.FLOAT, batch, o, o, out)
                : Nd4j.create(DataType.FLOAT, batch, out, o, o);
        INDArray dx = x.like(), dw = w.like(), dz = z.like().assign(0.1);
        INDArray mean = Nd4j.create(DataType.FLOAT, out), var = mean.like(), gamma = Nd4j.ones(DataType.FLOAT, out);
        INDArray beta = mean.like(), y = z.like(), dIn = z.like(), dMean = mean.like(), dVar = mean.like();
        INDArray dGamma = mean.like(), dBeta = mean.like();
        int[] reduce = nhwc ? new int[] {0, 1, 2} : new int[] {0, 2, 3};
        int axis = nhwc ? 3 : 1;
        Runnable[] parts = {
            () -> Nd4j.exec(op("conv2d", args, new INDArray[] {x, w}, z)),
            () -> Nd4j.exec(op("conv2d_bp", args, new INDArray[] {x, w, dz}, dx, dw)),
            () -> {
                Nd4j.exec(op("moments", reduce, new INDArray[] {z}, mean, var));
                Nd4j.exec(DynamicCustomOp.builder("batchnorm").addInputs(z, mean, var, gamma, beta).addOutputs(y)
                        .addIntegerArguments(1, 1, axis).addFloatingPointArguments(1e-5).build());
            },
            () -> Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp").addInputs(z, mean, var, gamma, beta, dz)
                    .addOutputs(dIn, dMean, dVar, dGamma, dBeta).addIntegerArguments(1, 1, axis)
                    .addFloatingPointArguments(1e-5).build())
        };
        for (int i = 0; i < parts.length; i++) {
            parts[i].run();
            parts[i].run();
            long t0 = System.nanoTime();
            parts[i].run();
            ms[i] += (System.nanoTime() - t0) / 1e6;
        }
    }

    static DynamicCustomOp op(String name, int[] args, INDArray[] inputs, INDArray... outputs) {
        return DynamicCustomOp.builder(name).addInputs(inputs).addOutputs(outputs).addIntegerArguments(args).build();
    }
}
