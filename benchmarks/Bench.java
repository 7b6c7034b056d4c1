import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.smoothing4j.certify.Certificate;
import org.smoothing4j.certify.SmoothedClassifier;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.dl4j.Architectures;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.noise.NoiseSource;
import org.smoothing4j.noise.Seeds;
import org.smoothing4j.train.GaussianAugmentation;
import org.smoothing4j.train.SmoothAdv;
import org.smoothing4j.train.TrainConfig;
import org.smoothing4j.train.Trainer;

/**
 * smoothing4j's side of `make bench` (benchmarks/bench_torch.py is PyTorch's): one JSON object per line,
 * {"quantity", "model", "unit", "median", "min", "max", "reps"}, medians of several repetitions (each at least a
 * second) after a warm-up of at least ten seconds.
 * Certification throughput = noisy forward passes per second of SmoothedClassifier.sampleCounts (noise sampling,
 * forward, argmax, counting; batch 400). Training: images per second of one step of each recipe (batch 128;
 * SmoothAdv: PGD, T = 2, m = 2, multi-noise as the reference's training on all m copies). Also: early abstention's
 * saving on every 50th Fashion-MNIST test image with the Gaussian LeNet of results/claim, if it is there (it
 * changes no result: ExampleLoopTest checks that), and sequential CERTIFY's samples and time per example at issue 16's
 * radii with the same model.
 * With --profile-training: where a Gaussian-augmentation step's time goes instead (LeNet, MLP; batch 128): noise,
 * an inference forward, the optimiser step (Network.fit: forward, backward, DL4J's updater), DL4J's own fit for
 * comparison, and the whole step, each as images/s.
 *   java ... Bench.java [reps]
 *   java ... Bench.java --profile-training [reps]
 *   java ... Bench.java --attack-gradients [reps]      (only the attack-gradient rows)
 *   java ... Bench.java --sound [reps]                 (only the sound-certification rows)
 *   java ... Bench.java --training [reps]              (only the ResNet-20 and ResNet-110 training rows;
 *                                                        bench_torch.py --training [reps] is PyTorch's side)
 */
public class Bench {
    static int reps = 5;
    /** The models of the attack-gradient rows (also run alone with --attack-gradients). */
    static final List<String> ATTACK_GRADIENT_MODELS = List.of("lenet", "resnet20", "resnet110");

    public static void main(String[] args) throws Exception {
        boolean profile = args.length > 0 && args[0].equals("--profile-training");
        boolean gradientsOnly = args.length > 0 && args[0].equals("--attack-gradients");
        boolean soundOnly = args.length > 0 && args[0].equals("--sound");
        boolean trainingOnly = args.length > 0 && args[0].equals("--training");
        boolean sequentialOnly = args.length > 0 && args[0].equals("--sequential");
        boolean diffusionOnly = args.length > 0 && args[0].equals("--diffusion");
        int repsAt = profile || gradientsOnly || soundOnly || trainingOnly || sequentialOnly || diffusionOnly ? 1 : 0;
        if (args.length > repsAt) {
            reps = Integer.parseInt(args[repsAt]);
        }
        if (profile) {
            for (String arch : List.of("lenet", "mlp")) {
                trainingStepParts(arch);
            }
            return;
        }
        if (soundOnly) {
            for (String arch : SOUND_MODELS) {
                soundCertification(arch);
            }
            return;
        }
        if (trainingOnly) {
            for (String arch : List.of("resnet20", "resnet110")) {
                training(arch, "gaussian");
                training(arch, "smoothadv");
            }
            return;
        }
        if (sequentialOnly) { // the sequential rows and the LeNet certification row they are read against
            certification("lenet");
            sequentialCertification();
            return;
        }
        if (diffusionOnly) { // the diffusion pipeline's row and the LeNet certification row it is read against
            certification("lenet");
            diffusionCertification();
            return;
        }
        if (gradientsOnly) {
            for (String arch : ATTACK_GRADIENT_MODELS) {
                attackGradient(arch);
            }
            return;
        }
        normals();
        sgemm();
        for (String arch : List.of("lenet", "mlp", "resnet20", "resnet110")) {
            certification(arch);
        }
        for (String arch : SOUND_MODELS) {
            soundCertification(arch);
        }
        // imported models (exported from PyTorch by bench_torch.py --export into SMOOTHING4J_BENCH_ONNX)
        java.nio.file.Path onnx = java.nio.file.Path.of(System.getenv().getOrDefault("SMOOTHING4J_BENCH_ONNX", "."));
        for (String arch : List.of("lenet", "resnet20", "resnet110")) {
            onnxCertification(arch, onnx.resolve(arch + ".onnx"));
        }
        for (String arch : List.of("lenet", "mlp", "resnet20", "resnet110")) {
            training(arch, "gaussian");
            training(arch, "smoothadv");
        }
        for (String arch : ATTACK_GRADIENT_MODELS) {
            attackGradient(arch);
        }
        earlyAbstention();
        sequentialCertification();
        diffusionCertification();
    }

    /**
     * Diffusion denoised smoothing's sampling, one shot (DiffusionDenoiser at sigma 0.5 on DDPM's linear schedule,
     * t* = 259): PyTorch's LeNet and results/diffusion's U-Net with random weights (exported by bench_torch.py
     * --export), the pipeline as the CLI runs it (one ONNX Runtime session each, one sampling thread per core).
     */
    static void diffusionCertification() throws Exception {
        java.nio.file.Path onnx = java.nio.file.Path.of(System.getenv().getOrDefault("SMOOTHING4J_BENCH_ONNX", "."));
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, 28, 28);
        long samples = 2_000;
        try (var f = new org.smoothing4j.denoise.DenoisedClassifier(
                org.smoothing4j.model.onnx.OnnxClassifier.load(onnx.resolve("lenet.onnx")),
                org.smoothing4j.denoise.DiffusionDenoiser.load(onnx.resolve("ddpm.onnx"), "linear", "-1,1", 0.5, 1))) {
            SmoothedClassifier g = SmoothedClassifier.of(f, 0.5);
            measure("certification diffusion one-shot", "lenet+ddpm", "samples/s", () -> {
                g.sampleCounts(x, samples);
                return samples;
            });
        }
    }

    /** The models of the sound-certification rows (also run alone with --sound). */
    static final List<String> SOUND_MODELS = List.of("lenet", "mlp", "resnet20");

    /**
     * Certification throughput in the sound mode (--sound: exact rounded-Gaussian noise from random bits, inputs on
     * the 8-bit grid) against the standard mode, alternating repetition by repetition in this JVM (after a warm-up
     * of each), on the same network and the same on-grid image.
     */
    static void soundCertification(String arch) throws Exception {
        Network net = build(arch);
        long[] s = shapeOf(arch);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, s[0], s[1], s[2]).muli(255);
        x = org.nd4j.linalg.ops.transforms.Transforms.round(x).divi(255); // on the grid m / 255
        long samples = arch.startsWith("resnet") ? 2_000 : 20_000;
        SmoothedClassifier standard = SmoothedClassifier.of(net, 0.25);
        SmoothedClassifier sound = SmoothedClassifier.of(net, org.smoothing4j.certify.Smoothing.gaussian(0.25)
                .withSoundGrid(255));
        INDArray image = x;
        Work[] work = {() -> {
            standard.sampleCounts(image, samples);
            return samples;
        }, () -> {
            sound.sampleCounts(image, samples);
            return samples;
        }};
        String[] names = {"certification, standard (alternating with sound)", "certification, sound (--sound)"};
        double[][] rates = new double[2][reps];
        for (int side = 0; side < 2; side++) {
            gate(names[side], arch, "warmup");
            long start = System.nanoTime();
            do {
                work[side].run();
            } while (System.nanoTime() - start < WARM_UP_SECONDS * 1e9);
        }
        for (int i = 0; i < reps; i++) {
            for (int side = 0; side < 2; side++) {
                gate(names[side], arch, Integer.toString(i + 1));
                double amount = 0;
                long t0 = System.nanoTime();
                do {
                    amount += work[side].run();
                } while (System.nanoTime() - t0 < REPETITION_SECONDS * 1e9);
                rates[side][i] = amount / ((System.nanoTime() - t0) / 1e9);
            }
        }
        for (int side = 0; side < 2; side++) {
            Arrays.sort(rates[side]);
            print(names[side], arch, "samples/s", rates[side]);
        }
    }

    static long[] shapeOf(String arch) {
        return arch.startsWith("resnet") ? new long[] {3, 32, 32} : new long[] {1, 28, 28};
    }

    static Network build(String arch) {
        long[] shape = shapeOf(arch);
        Normalization norm = shape[0] == 3 ? Normalization.CIFAR10
                : Normalization.FASHION_MNIST;
        return Architectures.build(arch, shape, 10, norm, new Nesterovs(0.01, 0.9), 1e-4, 1);
    }

    /** Multiply-accumulates of one forward pass, from the architectures' shapes. */
    static double forwardMacs(String arch) {
        return switch (arch) {
            case "lenet" -> 24 * 24 * 32 * 25.0 + 8 * 8 * 64 * (25 * 32.0) + 1024 * 128.0 + 128 * 10.0;
            case "mlp" -> 784 * 512.0 + 512 * 256.0 + 256 * 10.0;
            case "resnet20", "resnet110" -> {
                int n = (Integer.parseInt(arch.substring(6)) - 2) / 6;
                double m = 32 * 32 * 16 * 27.0 + 2 * n * 32 * 32 * 16 * 144.0;
                m += 16 * 16 * 32 * 144.0 + (2 * n - 1) * 16 * 16 * 32 * 288.0 + 16 * 16 * 32 * 16.0;
                m += 8 * 8 * 64 * 288.0 + (2 * n - 1) * 8 * 8 * 64 * 576.0 + 8 * 8 * 64 * 32.0;
                yield m + 64 * 10.0;
            }
            default -> throw new IllegalArgumentException(arch);
        };
    }

    interface Work {
        double run() throws Exception; // returns the amount of work done (samples, images, flops)
    }

    /** Seconds of warm-up before a quantity is measured, and the least duration of one repetition. */
    static final double WARM_UP_SECONDS = 10, REPETITION_SECONDS = 1;

    /**
     * Measures and prints the rates; returns them sorted. The work runs for at least {@link #WARM_UP_SECONDS}
     * first (the JIT compiles the step's Java code: the MLP's training step, measured alone, reached its steady
     * rate after about 10 seconds, at twice the rate of its first seconds); each repetition repeats it for at least
     * {@link #REPETITION_SECONDS}. bench_torch.py measures the same way.
     */
    static double[] measure(String quantity, String model, String unit, Work w) throws Exception {
        gate(quantity, model, "warmup");
        long start = System.nanoTime();
        do {
            w.run();
        } while (System.nanoTime() - start < WARM_UP_SECONDS * 1e9);
        double[] rates = new double[reps];
        for (int i = 0; i < reps; i++) {
            gate(quantity, model, Integer.toString(i + 1));
            double amount = 0;
            long t0 = System.nanoTime();
            do {
                amount += w.run();
            } while (System.nanoTime() - t0 < REPETITION_SECONDS * 1e9);
            rates[i] = amount / ((System.nanoTime() - t0) / 1e9);
        }
        Arrays.sort(rates);
        print(quantity, model, unit, rates);
        return rates;
    }

    /** Under benchmarks/alternate.py (SMOOTHING4J_BENCH_GATED=1): announce the next phase of a row and wait for
     * its turn (a line on standard input), so the orchestrator interleaves this side's phases with PyTorch's. */
    static final boolean GATED = "1".equals(System.getenv("SMOOTHING4J_BENCH_GATED"));
    static final java.io.BufferedReader TURNS = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));

    static void gate(String quantity, String model, String phase) throws java.io.IOException {
        if (!GATED) {
            return;
        }
        System.out.printf(Locale.ROOT, "{\"event\": \"gate\", \"quantity\": \"%s\", \"model\": \"%s\", \"phase\": \"%s\"}%n",
                quantity, model, phase);
        System.out.flush();
        if (TURNS.readLine() == null) {
            throw new java.io.IOException("bench: the orchestrator closed standard input");
        }
    }

    static void print(String quantity, String model, String unit, double[] sorted) {
        System.out.printf(Locale.ROOT, "{\"quantity\": \"%s\", \"model\": \"%s\", \"unit\": \"%s\", \"median\": %.6g, "
                + "\"min\": %.6g, \"max\": %.6g, \"reps\": %d}%n", quantity, model, unit, sorted[sorted.length / 2],
                sorted[0], sorted[sorted.length - 1], sorted.length);
    }

    /**
     * Normals per second filling a batch [400, 784], each generator as used (on every core): ND4J's (training) and
     * the ziggurat (PREDICT and CERTIFY).
     */
    static void normals() throws Exception {
        for (String name : List.of("nd4j", "ziggurat")) {
            NoiseSource noise = name.equals("nd4j") ? NoiseSource.nd4j() : new org.smoothing4j.noise.ZigguratNoise();
            noise.reseed(1);
            INDArray buf = Nd4j.create(DataType.FLOAT, 400, 784);
            measure("gaussian sampling", name, "normals/s", () -> {
                for (int i = 0; i < 250; i++) {
                    noise.fill(buf, 0.5);
                }
                return 250.0 * buf.length();
            });
        }
    }

    static void sgemm() throws Exception {
        int n = 2048;
        INDArray x = Nd4j.rand(DataType.FLOAT, n, n), y = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray z = Nd4j.create(DataType.FLOAT, n, n);
        measure("sgemm peak", "2048^3", "GFLOP/s", () -> {
            for (int i = 0; i < 3; i++) {
                x.mmuli(y, z);
            }
            return 3 * 2.0 * n * n * n / 1e9;
        });
    }

    static void certification(String arch) throws Exception {
        Network net = build(arch);
        SmoothedClassifier g = SmoothedClassifier.of(net, 0.25);
        long[] s = shapeOf(arch);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, s[0], s[1], s[2]);
        long samples = arch.startsWith("resnet") ? 2_000 : 20_000;
        double macs = forwardMacs(arch);
        double[] rates = measure("certification", arch, "samples/s", () -> {
            g.sampleCounts(x, samples);
            return samples;
        });
        // the same runs in forward-pass FLOP/s
        print("certification compute", arch, "GFLOP/s", Arrays.stream(rates).map(r -> r * 2 * macs / 1e9).toArray());
        if (!arch.startsWith("resnet")) { // the direct layer-stack path the CLI used before ONNX Runtime
            System.setProperty(Network.ONNX_PROPERTY, "false");
            try {
                SmoothedClassifier direct = SmoothedClassifier.of(build(arch), 0.25);
                measure("certification, direct layer-stack path", arch, "samples/s", () -> {
                    direct.sampleCounts(x, samples);
                    return samples;
                });
            } finally {
                System.clearProperty(Network.ONNX_PROPERTY);
            }
        }
    }

    /**
     * Certification throughput of an imported ONNX model, sampling as the CLI does (one ONNX Runtime session shared by
     * one sampling thread per core, one operator thread each); for LeNet also the alternative, one caller whose
     * session has an operator thread per core, which the CLI does not use (the measurement decides it).
     */
    static void onnxCertification(String arch, java.nio.file.Path file) throws Exception {
        long[] s = shapeOf(arch);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, s[0], s[1], s[2]);
        long samples = arch.startsWith("resnet") ? 2_000 : 20_000;
        try (org.smoothing4j.model.onnx.OnnxClassifier f = org.smoothing4j.model.onnx.OnnxClassifier.load(file)) {
            SmoothedClassifier g = SmoothedClassifier.of(f, 0.25);
            measure("certification onnx", arch, "samples/s", () -> {
                g.sampleCounts(x, samples);
                return samples;
            });
        }
        if (arch.equals("lenet")) {
            int cores = Runtime.getRuntime().availableProcessors();
            try (org.smoothing4j.model.onnx.OnnxClassifier f = org.smoothing4j.model.onnx.OnnxClassifier.load(file,
                    cores)) {
                SmoothedClassifier g = SmoothedClassifier.of(f, 0.25).withWorkers(1);
                measure("certification onnx, 1 caller x " + cores + " operator threads", arch, "samples/s", () -> {
                    g.sampleCounts(x, samples);
                    return samples;
                });
            }
        }
    }

    static void training(String arch, String method) throws Exception {
        Network net = build(arch);
        TrainConfig c = TrainConfig.defaults("fashion-mnist", arch, 0.25).withMethod(method).withAttack("pgd")
                .withEpsilon(0.5).withSteps(2).withNoiseSamples(2).withMultiNoise(true).withWarmup(1).withBatch(128);
        Trainer trainer = method.equals("gaussian") ? new GaussianAugmentation(0.25) : SmoothAdv.of(c);
        long[] s = shapeOf(arch);
        int batch = 128, steps = arch.startsWith("resnet") ? 1 : 5;
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, s[0], s[1], s[2]);
        int[] labels = new int[batch];
        Arrays.setAll(labels, i -> i % 10);
        NoiseSource noise = NoiseSource.nd4j();
        measure("training " + method, arch, "images/s", () -> {
            for (int i = 0; i < steps; i++) {
                trainer.step(net, x, labels, 5, noise);
            }
            return (double) steps * batch;
        });
    }

    /**
     * An attack step's gradient: d(summed cross-entropy)/d(input) of 256 noisy copies (128 images x m = 2, as in the
     * training rows) with the model in inference mode (batch norm on its running statistics), copies per second.
     */
    static void attackGradient(String arch) throws Exception {
        Network net = build(arch);
        long[] s = shapeOf(arch);
        int rows = 256;
        INDArray x = Nd4j.rand(DataType.FLOAT, rows, s[0], s[1], s[2]);
        int[] labels = new int[rows];
        Arrays.setAll(labels, i -> i % 10);
        INDArray y = org.smoothing4j.attack.NoisyCopies.oneHot(labels, 1, 10, DataType.FLOAT);
        int steps = arch.startsWith("resnet") ? 1 : 5;
        measure("attack input gradient", arch, "copies/s", () -> {
            for (int i = 0; i < steps; i++) {
                net.inputGradient(x, y);
            }
            return (double) steps * rows;
        });
    }

    /** A Gaussian-augmentation step (batch 128) and its parts, each as images/s over the same batch. */
    static void trainingStepParts(String arch) throws Exception {
        Network net = build(arch);
        long[] s = shapeOf(arch);
        int batch = 128, steps = 5;
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, s[0], s[1], s[2]);
        int[] labels = new int[batch];
        Arrays.setAll(labels, i -> i % 10);
        INDArray y = org.smoothing4j.attack.NoisyCopies.oneHot(labels, 1, 10, DataType.FLOAT);
        NoiseSource noise = NoiseSource.nd4j();
        INDArray buffer = x.like();
        Trainer gaussian = new GaussianAugmentation(0.25);
        measure("step part: noise", arch, "images/s", () -> {
            for (int i = 0; i < steps; i++) {
                noise.fill(buffer, 0.25);
            }
            return (double) steps * batch;
        });
        measure("step part: inference forward", arch, "images/s", () -> {
            for (int i = 0; i < steps; i++) {
                net.scores(x);
            }
            return (double) steps * batch;
        });
        measure("step part: fit", arch, "images/s", () -> {
            for (int i = 0; i < steps; i++) {
                net.fit(x, y);
            }
            return (double) steps * batch;
        });
        org.nd4j.linalg.dataset.DataSet data = new org.nd4j.linalg.dataset.DataSet(x, y);
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork dl4j =
                (org.deeplearning4j.nn.multilayer.MultiLayerNetwork) build(arch).model();
        measure("step part: DL4J's own fit", arch, "images/s", () -> {
            for (int i = 0; i < steps; i++) {
                dl4j.fit(data);
            }
            return (double) steps * batch;
        });
        measure("whole gaussian step", arch, "images/s", () -> {
            for (int i = 0; i < steps; i++) {
                gaussian.step(net, x, labels, 5, noise);
            }
            return (double) steps * batch;
        });
    }

    /** The Gaussian LeNet (sigma 0.5) the model rows use: SMOOTHING4J_BENCH_MODEL, which benchmarks/bench sets. */
    static java.nio.file.Path benchModel() {
        return java.nio.file.Path.of(System.getenv().getOrDefault("SMOOTHING4J_BENCH_MODEL",
                "results/claim/gaussian/model.zip"));
    }

    /** The bench model smoothed at sigma 0.5, or null after a "missing" row for {@code quantity}. */
    static SmoothedClassifier benchClassifier(String quantity) throws java.io.IOException {
        java.nio.file.Path model = benchModel();
        if (!java.nio.file.Files.isRegularFile(model)) {
            System.err.println("bench: " + model + " missing; " + quantity + " not measured");
            System.out.printf(Locale.ROOT, "{\"quantity\": \"%s\", \"model\": \"lenet\", \"missing\": \"%s\"}%n",
                    quantity, model);
            return null;
        }
        return SmoothedClassifier.of(org.smoothing4j.model.dl4j.Checkpoint.load(model).network(), 0.5);
    }

    /** CERTIFY's second stage with and without early abstention on real test images: samples drawn. */
    static void earlyAbstention() throws Exception {
        SmoothedClassifier g = benchClassifier("early abstention");
        if (g == null) {
            return;
        }
        LabeledImages test = Datasets.load("fashion-mnist", Split.TEST);
        int images = 200, n = 10_000; // every 50th test image, the claim's n and alpha
        long drawn = 0, abstained = 0;
        for (int i = 0; i < images; i++) {
            Certificate c = g.certify(test.image(i * 50), 100, n, 0.001, Seeds.forExample(0, i * 50));
            drawn += c.drawn();
            abstained += c.abstained() ? 1 : 0;
        }
        double fraction = drawn / (double) (images * (long) n);
        System.out.printf(Locale.ROOT, "{\"quantity\": \"early abstention\", \"model\": \"lenet\", "
                + "\"unit\": \"second-stage samples drawn\", \"median\": %.4f, \"min\": %.4f, \"max\": %.4f, "
                + "\"reps\": 1, \"images\": %d, \"abstained\": %d, \"file\": \"%s\"}%n", fraction, fraction,
                fraction, images, abstained, benchModel());
    }

    /**
     * Sequential CERTIFY at issue 16's radii 0, 0.25, ..., 1.5 (sigma 0.5, n_max = 100,000, alpha = 0.001, n0 = 100,
     * the default looks), plain and with futility 0.2, 0.5 and 0.8, and with --bound betting (plain, futility 0.2) beside
     * the default Clopper-Pearson with Bonferroni, on every 50th Fashion-MNIST test image with the
     * bench model: mean samples per example (n0 included; CERTIFY at n = 100,000 draws 100,100) and examples per
     * second of wall time (sampling and deciding). One pass each: the sample counts are exact, the times are one
     * measurement.
     */
    static void sequentialCertification() throws Exception {
        SmoothedClassifier g = benchClassifier("sequential certify samples");
        if (g == null) {
            return;
        }
        LabeledImages test = Datasets.load("fashion-mnist", Split.TEST);
        var config = org.smoothing4j.certify.SequentialConfig.defaults(); // the radii 0..1.5, n_max 100,000
        double[] radii = config.radii();
        org.smoothing4j.certify.Looks looks = config.looks(g.batchSize());
        int images = 200, n0 = 100;
        g.certifyAtRadii(test.image(0), radii, n0, looks, 0.001, 0, 1); // warm-up (JIT, buffers)
        for (String[] variant : new String[][] {{"0", "cp"}, {"0.2", "cp"}, {"0.5", "cp"}, {"0.8", "cp"},
            {"0", "betting"}, {"0.2", "betting"}}) {
            double futility = Double.parseDouble(variant[0]);
            String bound = variant[1];
            long drawn = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < images; i++) {
                var c = g.certifyAtRadii(test.image(i * 50), radii, n0, looks, 0.001, futility, bound,
                        Seeds.forExample(0, i * 50));
                drawn += c.drawn() + n0;
            }
            double seconds = (System.nanoTime() - t0) / 1e9, perExample = drawn / (double) images;
            String model1 = (futility == 0 ? "lenet" : "lenet, futility " + futility)
                    + (bound.equals("cp") ? "" : ", --bound " + bound);
            System.out.printf(Locale.ROOT, "{\"quantity\": \"sequential certify samples\", \"model\": \"%s\", "
                    + "\"unit\": \"samples per example\", \"median\": %.1f, \"min\": %.1f, \"max\": %.1f, "
                    + "\"reps\": 1, \"images\": %d, \"file\": \"%s\"}%n", model1, perExample, perExample,
                    perExample, images, benchModel());
            print("sequential certify time", model1, "examples/s", new double[] {images / seconds});
        }
    }
}
