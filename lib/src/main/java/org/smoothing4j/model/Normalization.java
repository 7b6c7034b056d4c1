package org.smoothing4j.model;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-channel mean and standard deviation of a data set's training images: the normalisation (x - mean) / std that
 * is a model's first layer, applied after the noise (SPEC 1). smoothing4j's own networks start with it; for an
 * imported model without it, {@link #before} adds it on the JVM side.
 */
public record Normalization(double[] mean, double[] std) {
    /** Fashion-MNIST training set (computed by data tests: 0.2860, 0.3530). */
    public static final Normalization FASHION_MNIST = new Normalization(new double[] {0.2860}, new double[] {0.3530});
    /** MNIST training set. */
    public static final Normalization MNIST = new Normalization(new double[] {0.1307}, new double[] {0.3081});
    /** CIFAR-10 training set, as the reference code. */
    public static final Normalization CIFAR10 = new Normalization(new double[] {0.4914, 0.4822, 0.4465},
            new double[] {0.2023, 0.1994, 0.2010});
    /** ImageNet, as the reference code. */
    public static final Normalization IMAGENET = new Normalization(new double[] {0.485, 0.456, 0.406},
            new double[] {0.229, 0.224, 0.225});

    public Normalization {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("a normalisation needs one mean and one std per channel, got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || !Double.isFinite(mean[c]) || Double.isInfinite(std[c])) {
                throw new IllegalArgumentException("the normalisation (--normalize) needs finite means and stds > 0, got mean "
                        + Arrays.toString(mean) + ", std " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The identity on {@code channels} channels (mean 0, std 1): a network without normalisation. */
    public static Normalization identity(int channels) {
        double[] zeros = new double[channels], ones = new double[channels];
        java.util.Arrays.fill(ones, 1.0);
        return new Normalization(zeros, ones);
    }

    public static Normalization forDataset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fashion-mnist" -> FASHION_MNIST;
            case "mnist" -> MNIST;
            case "cifar10", "cifar-10" -> CIFAR10;
            case "imagenet" -> IMAGENET;
            default -> throw new IllegalArgumentException("no normalisation known for data set '" + name + "'");
        };
    }

    /**
     * {@code MEAN,...:SD,...} (one value per channel, e.g. {@code 0.4914,0.4822,0.4465:0.2023,0.1994,0.2010}) or the
     * name of a known data set.
     */
    public static Normalization parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            try {
                return forDataset(text.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--normalize must be MEAN,...:SD,... or a data set name "
                        + "(fashion-mnist, mnist, cifar10, imagenet), got '" + text + "'");
            }
        }
        try {
            return new Normalization(numbers(text.substring(0, colon)), numbers(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--normalize must be MEAN,...:SD,... with numbers, got '" + text + "'");
        }
    }

    private static double[] numbers(String csv) {
        return Arrays.stream(csv.split(",")).mapToDouble(v -> Double.parseDouble(v.trim())).toArray();
    }

    public int channels() {
        return mean.length;
    }

    /** The classifier that normalises its (noisy) input, then runs {@code f}; it owns f (closing it closes f). */
    public Classifier before(Classifier f) {
        if (f.inputShape()[0] != channels()) {
            throw new IllegalArgumentException("--normalize has " + channels() + " channel(s), the model takes "
                    + f.inputShape()[0]);
        }
        Normalization self = this;
        return new Classifier() {
            @Override
            public INDArray scores(INDArray batch) {
                return f.scoresOfScratch(self.apply(batch.castTo(DataType.FLOAT).dup('c')));
            }

            @Override
            public INDArray scoresOfScratch(INDArray batch) {
                return f.scoresOfScratch(self.apply(batch));
            }

            @Override
            public int numClasses() {
                return f.numClasses();
            }

            @Override
            public long[] inputShape() {
                return f.inputShape();
            }

            @Override
            public java.util.Optional<Classifier> concurrentCopy() {
                return f.concurrentCopy().map(self::before);
            }

            @Override
            public void close() {
                f.close();
            }

            @Override
            public String inference() {
                return "normalisation in the JVM, then " + f.inference();
            }
        };
    }

    /**
     * (x - mean) / std per channel, in place, of a batch [b, c, h, w]; returns it. Dense float batches (the sampling
     * buffers) in one Java pass over their memory, others through ND4J's operations on channel views.
     */
    public INDArray apply(INDArray batch) {
        if (batch.dataType() == DataType.FLOAT && batch.ordering() == 'c' && batch.elementWiseStride() == 1
                && batch.rank() == 4) {
            java.nio.FloatBuffer v = batch.data().asNioFloat();
            int at = Math.toIntExact(batch.offset());
            int plane = Math.toIntExact(batch.size(2) * batch.size(3)), c = Math.toIntExact(batch.size(1));
            long images = batch.size(0);
            for (long i = 0; i < images; i++) {
                for (int k = 0; k < c; k++) {
                    float m = (float) mean[k], s = (float) std[k];
                    int from = at + Math.toIntExact((i * c + k) * plane);
                    for (int j = from; j < from + plane; j++) {
                        v.put(j, (v.get(j) - m) / s);
                    }
                }
            }
            java.lang.ref.Reference.reachabilityFence(batch);
            return batch;
        }
        for (int c = 0; c < channels(); c++) {
            INDArray channel = batch.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(c), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            channel.subi(mean[c]).divi(std[c]);
        }
        return batch;
    }

    @Override
    public String toString() {
        return Arrays.toString(mean) + ":" + Arrays.toString(std);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }
}
