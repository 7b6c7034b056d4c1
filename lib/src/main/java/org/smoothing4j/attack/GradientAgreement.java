package org.smoothing4j.attack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.NoiseSource;
import org.smoothing4j.noise.Seeds;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How well a gradient source with m noise samples points along the gradient of the smooth objective (S) at clean
 * images: the cosine similarity with a reference, backprop with {@code mReference} samples (the best estimate of
 * grad J available), averaged over images with its standard error. Each estimate uses its own noise.
 */
public final class GradientAgreement {
    private GradientAgreement() {}

    /** Per-source, per-m mean cosine similarity with backprop's estimate at mReference samples. */
    public static Table table(Classifier f, INDArray images, int[] labels, double sigma, List<String> sources,
            int[] ms, int mReference, long seed) {
        return table(f, images, labels, sigma, sources, ms, "backprop", mReference, seed);
    }

    /**
     * Per-source, per-m mean cosine similarity with the reference (the named source with mReference samples;
     * backprop where the model has gradients, else a Stein estimator with many samples): rows source, m, mean
     * cosine, SE, images.
     */
    public static Table table(Classifier f, INDArray images, int[] labels, double sigma, List<String> sources,
            int[] ms, String referenceSource, int mReference, long seed) {
        GradientSource referenceGradient = Gradients.named(referenceSource, sigma);
        Map<String, List<double[]>> cosines = new LinkedHashMap<>();
        NoiseSource noise = NoiseSource.nd4j();
        int count = (int) images.size(0);
        for (int i = 0; i < count; i++) {
            INDArray x = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)).dup();
            int[] y = {labels[i]};
            INDArray reference = gradient(f, x, y, referenceGradient, mReference, sigma, noise,
                    Seeds.forExample(Seeds.forPurpose(seed, "reference"), i));
            for (String name : sources) {
                GradientSource source = Gradients.named(name, sigma);
                for (int m : ms) {
                    INDArray g = gradient(f, x, y, source, m, sigma, noise,
                            Seeds.forExample(Seeds.forPurpose(seed, name + "-" + m), i));
                    cosines.computeIfAbsent(name + "\t" + m, k -> new ArrayList<>()).add(new double[] {cosine(g, reference)});
                }
            }
        }
        Table t = Table.create("cosine similarity with " + referenceSource + " (m = " + mReference + ")",
                StringColumn.create("gradient"), IntColumn.create("m"), DoubleColumn.create("mean cosine"),
                DoubleColumn.create("SE"), IntColumn.create("images"));
        for (Map.Entry<String, List<double[]>> e : cosines.entrySet()) {
            String[] key = e.getKey().split("\t");
            double[] v = e.getValue().stream().mapToDouble(a -> a[0]).toArray();
            double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
            double var = java.util.Arrays.stream(v).map(c -> (c - mean) * (c - mean)).sum() / Math.max(1, v.length - 1);
            t.stringColumn(0).append(key[0]);
            t.intColumn(1).append(Integer.parseInt(key[1]));
            t.doubleColumn(2).append(mean);
            t.doubleColumn(3).append(Math.sqrt(var / v.length));
            t.intColumn(4).append(v.length);
        }
        return t;
    }

    /** The source's gradient of objective S at x with m fresh noise samples from the given seed. */
    static INDArray gradient(Classifier f, INDArray x, int[] y, GradientSource source, int m, double sigma,
            NoiseSource noise, long seed) {
        long[] shape = x.shape().clone();
        shape[0] = (long) m * x.size(0);
        INDArray copies = Nd4j.create(x.dataType(), shape);
        noise.reseed(seed);
        noise.fill(copies, sigma);
        return source.evaluate(f, x, copies, y, Objective.SMOOTH).gradient();
    }

    static double cosine(INDArray a, INDArray b) {
        double na = a.norm2Number().doubleValue(), nb = b.norm2Number().doubleValue();
        if (na == 0 || nb == 0) {
            return 0;
        }
        return a.reshape(a.length()).dup().mul(b.reshape(b.length())).sumNumber().doubleValue() / (na * nb);
    }
}
