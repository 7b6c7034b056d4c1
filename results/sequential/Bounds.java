import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;
import org.smoothing4j.certify.ConfidenceBounds;
import org.smoothing4j.certify.Looks;
import org.smoothing4j.certify.SequentialConfig;
import org.smoothing4j.certify.Statistics;

/**
 * results/sequential, issue 33: the samples sequential CERTIFY needs to decide every target radius with the two
 * confidence bounds (--bound cp: Clopper-Pearson at alpha / K, Bonferroni over the K = 22 default looks; --bound
 * betting: the Krichevsky-Trofimov confidence sequence at alpha, at the default looks and at every batch of 400), on
 * the deterministic path nA = round(pA t) at each example's pA. pA is taken from the committed CERTIFY log
 * (Phi(radius / sigma), the lower bound at n = 100,000, so slightly low; abstentions as 0.45), as Compare.java's bound
 * row: an exact computation for each example, not a sampled run (which would scatter around it). Run from the
 * repository root:
 *   java -cp "lib/target/smoothing4j-0.1.0-SNAPSHOT.jar:lib/target/dependency/*" results/sequential/Bounds.java
 */
public class Bounds {
    static final double SIGMA = 0.5, ALPHA = 0.001;
    static final int N0 = 100, BATCH = 400;

    /** Samples (n0 included) until every radius is decided, or n_max + n0. */
    static long samples(double pA, double[] thresholds, Looks looks, ConfidenceBounds bounds) {
        double lower = 0, upper = 1;
        for (long t : looks.at()) {
            long k = Math.round(pA * t);
            lower = Math.max(lower, bounds.lower(k, t));
            upper = Math.min(upper, bounds.upper(k, t));
            double lo = lower, up = upper;
            if (Arrays.stream(thresholds).allMatch(p -> lo >= p || up < p)) {
                return t + N0;
            }
        }
        return looks.last() + N0;
    }

    public static void main(String[] args) throws IOException {
        Locale.setDefault(Locale.ROOT);
        SequentialConfig c = SequentialConfig.defaults();
        double[] thresholds = Arrays.stream(c.radii()).map(r -> Statistics.normalCdf(r / SIGMA)).toArray();
        Looks geometric = c.looks(BATCH);
        Looks everyBatch = new Looks(LongStream.rangeClosed(1, c.nMax() / BATCH).map(i -> i * BATCH).toArray());
        String[] names = {"cp, 22 geometric looks (default)", "betting, the same 22 looks", "betting, a look every batch"};
        ConfidenceBounds[] bounds = {ConfidenceBounds.of("cp", geometric, ALPHA), ConfidenceBounds.of("betting",
                geometric, ALPHA), ConfidenceBounds.of("betting", everyBatch, ALPHA)};
        Looks[] looks = {geometric, geometric, everyBatch};
        System.out.println("| model | bound | mean samples per example | fewer than CERTIFY (100,100) | median | "
                + "examples at n_max |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (String model : List.of("gaussian", "smoothadv")) {
            List<Double> pa = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("results", "sequential", model + "-certify.tsv")).subList(1,
                    501)) {
                String[] f = line.split("\t");
                pa.add(f[2].equals("-1") ? 0.45 : Statistics.normalCdf(Double.parseDouble(f[3]) / SIGMA));
            }
            for (int b = 0; b < bounds.length; b++) {
                int bi = b;
                long[] s = pa.stream().mapToLong(p -> samples(p, thresholds, looks[bi], bounds[bi])).sorted()
                        .toArray();
                double mean = Arrays.stream(s).average().orElse(0);
                long atMax = Arrays.stream(s).filter(x -> x >= c.nMax() + N0).count();
                System.out.printf("| %s | %s | %,.0f | %.2fx | %,d | %d |%n", model, names[b], mean, 100_100 / mean,
                        s[s.length / 2], atMax);
            }
        }
    }
}
