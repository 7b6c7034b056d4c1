import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.smoothing4j.certify.CertifyConfig;
import org.smoothing4j.certify.ExampleSelection;
import org.smoothing4j.certify.Smoothing;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.denoise.DenoisedClassifier;
import org.smoothing4j.denoise.DenoiserRun;
import org.smoothing4j.io.Progress;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.model.LoadedModel;
import org.smoothing4j.model.Models;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.dl4j.Architectures;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.run.ExampleLoop;
import org.smoothing4j.run.RunSpec;

/**
 * `make soak` (benchmarks/soak): does a long session hold its native memory steady? Resident memory (VmRSS of this
 * process, after a garbage collection) is written as TSV rows while it works:
 * <ul>
 *   <li>{@code models ROUNDS OUT LENET_ZIP RESNET20_ONNX DENOISER_DIR}: each round loads a model, certifies 20 images
 *       with it (n = 1,000; the ResNet on 20 synthetic 32x32 images, n = 300) and closes what it opened, alternating
 *       the LeNet checkpoint, the ONNX ResNet-20 and the LeNet behind the denoiser;</li>
 *   <li>{@code training STEPS OUT}: training steps of a ResNet-20 (batch 128, random 32x32 images) on oneDNN.</li>
 * </ul>
 * It closes through {@link AutoCloseable} where the library's types are closeable, so it runs unchanged on a build
 * from before they were (which is how the "before" rows of results/soak.md are measured). A build that leaks would
 * fill the machine: once resident memory passes {@code -Dsoak.maxRssMb} (default 8,000 MB) the row is written and
 * the JVM exits with code 3, before the kernel's out-of-memory killer ends it (or a neighbour).
 */
public class Soak {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "models" -> models(Integer.parseInt(args[1]), Path.of(args[2]), Path.of(args[3]), Path.of(args[4]),
                    Path.of(args[5]));
            case "training" -> training(Integer.parseInt(args[1]), Path.of(args[2]));
            default -> throw new IllegalArgumentException("soak: models or training, got " + args[0]);
        }
    }

    static final double MAX_RSS_MB = Double.parseDouble(System.getProperty("soak.maxRssMb", "8000"));

    /** Ends the JVM with code 3 once resident memory has passed the limit (the row showing it is written). */
    static void stopAbove(double rss, PrintWriter w) {
        if (rss > MAX_RSS_MB) {
            w.flush();
            System.err.printf(Locale.ROOT, "soak: resident memory %.0f MB passed the limit of %.0f MB: stopped%n", rss,
                    MAX_RSS_MB);
            System.exit(3);
        }
    }

    /** This process's resident memory in MB, after a garbage collection (its freed native memory goes back). */
    static double rssMb() throws Exception {
        System.gc();
        Thread.sleep(100);
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    static void close(Object o) throws Exception {
        if (o instanceof AutoCloseable c) {
            c.close();
        }
    }

    static void models(int rounds, Path out, Path lenet, Path resnet, Path denoiser) throws Exception {
        LabeledImages fashion = Datasets.load("fashion-mnist", Split.TEST);
        LabeledImages cifarShaped = synthetic(20);
        CertifyConfig lenetConfig = CertifyConfig.defaults().withN(1000).withN0(50).withBatch(500)
                .withSelection(ExampleSelection.everyKth(500));
        CertifyConfig resnetConfig = CertifyConfig.defaults().withN(300).withN0(20).withBatch(150);
        Path log = Files.createTempDirectory("soak").resolve("certify.tsv");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            w.println("round\tmodel\trss_mb\tseconds");
            w.printf(Locale.ROOT, "0\tstart\t%.1f\t0%n", rssMb());
            w.flush();
            for (int round = 1; round <= rounds; round++) {
                long t0 = System.nanoTime();
                String kind = List.of("lenet", "resnet20-onnx", "denoised").get((round - 1) % 3);
                Files.deleteIfExists(log);
                Files.deleteIfExists(log.resolveSibling("certify.tsv.json"));
                LoadedModel m = Models.load(kind.startsWith("resnet") ? resnet : lenet, Optional.empty());
                Classifier f = m.classifier();
                Object extra = null;
                if (kind.equals("denoised")) {
                    DenoiserRun.Loaded d = DenoiserRun.load(denoiser);
                    f = new DenoisedClassifier(m.classifier(), d.denoiser());
                    extra = f;
                }
                boolean cifar = kind.startsWith("resnet");
                ExampleLoop.run(new RunSpec.Certify(Smoothing.gaussian(0.25), cifar ? resnetConfig : lenetConfig), f,
                        cifar ? cifarShaped : fashion, Map.of("soak", kind), log, false, t -> Progress.none());
                close(extra == null ? m : extra); // the pipeline owns the model and the denoiser
                double rss = rssMb();
                w.printf(Locale.ROOT, "%d\t%s\t%.1f\t%.2f%n", round, kind, rss, (System.nanoTime() - t0) / 1e9);
                w.flush();
                stopAbove(rss, w);
            }
        }
    }

    /** Images on the 8-bit grid of CIFAR's shape, every label 0 (the classifier's accuracy is not the point). */
    static LabeledImages synthetic(int n) {
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 3, 32, 32).muli(255);
        x = org.nd4j.linalg.ops.transforms.Transforms.round(x).divi(255);
        return new LabeledImages("synthetic-cifar-shaped", x, new int[n], 10);
    }

    static void training(int steps, Path out) throws Exception {
        Network net = Architectures.build("resnet20", new long[] {3, 32, 32}, 10, Normalization.CIFAR10,
                new Nesterovs(0.01, 0.9), 1e-4, 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 128, 3, 32, 32);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 128, 10);
        for (int i = 0; i < 128; i++) {
            y.putScalar(i, i % 10, 1);
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            w.println("step\trss_mb\tseconds");
            w.printf(Locale.ROOT, "0\t%.1f\t0%n", rssMb());
            long t0 = System.nanoTime();
            for (int step = 1; step <= steps; step++) {
                net.fit(x, y);
                if (step % 20 == 0) {
                    double rss = rssMb();
                    w.printf(Locale.ROOT, "%d\t%.1f\t%.1f%n", step, rss, (System.nanoTime() - t0) / 1e9);
                    w.flush();
                    stopAbove(rss, w);
                }
            }
        }
        close(net);
    }
}
