import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.smoothing4j.certify.Statistics;

/**
 * results/sound: the standard and the sound mode (--sound) of CERTIFY on the same 500 test images, per model; prints
 * README.md's tables. Run from the repository root:
 *   java -cp "lib/target/smoothing4j-0.1.0-SNAPSHOT.jar:lib/target/dependency/*" results/sound/Compare.java N
 * (N: the logs' n, in their names MODEL-MODE-nN.tsv). The two modes draw different noise (the sound one the rounded
 * Gaussian from random bits), so their certificates differ by sampling alone when the fix costs nothing: per radius
 * the examples certified by one mode only, and the standard error of the difference of the two accuracies that
 * sampling alone gives (paired: sqrt(discordant) / m, McNemar).
 */
public class Compare {
    static final double[] RADII = {0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
    static final Path HERE = Path.of("results", "sound");

    record Row(int idx, int predict, double radius, boolean correct) {}

    static List<Row> rows(String name) throws IOException {
        List<String> lines = Files.readAllLines(HERE.resolve(name));
        List<Row> out = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split("\t");
            out.add(new Row(Integer.parseInt(f[0]), Integer.parseInt(f[2]), Double.parseDouble(f[3]), f[4].equals("1")));
        }
        out.sort(java.util.Comparator.comparingInt(Row::idx));
        return out;
    }

    static boolean certified(Row x, double r) {
        return x.correct() && x.radius() >= r;
    }

    public static void main(String[] args) throws IOException {
        String n = args.length > 0 ? args[0] : "10000";
        StringBuilder acc = new StringBuilder("| model | mode | m | abstain | r = 0.0 | r = 0.25 | r = 0.5 | r = 0.75 "
                + "| r = 1.0 | r = 1.25 | r = 1.5 | ACR |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        StringBuilder diff = new StringBuilder("| model | radius | both | standard only | sound only | difference "
                + "(sound - standard) | its s.e. from sampling | within 2 s.e. |\n|---|---:|---:|---:|---:|---:|---:|:---:|\n");
        for (String model : List.of("gaussian", "smoothadv")) {
            List<Row> std = rows(model + "-standard-n" + n + ".tsv"), snd = rows(model + "-sound-n" + n + ".tsv");
            if (std.size() != snd.size()) {
                throw new IllegalStateException(model + ": " + std.size() + " vs " + snd.size() + " rows");
            }
            int m = std.size();
            for (var e : List.of(java.util.Map.entry("standard", std), java.util.Map.entry("sound", snd))) {
                List<Row> log = e.getValue();
                acc.append(String.format(Locale.ROOT, "| %s | %s | %d | %d |", model, e.getKey(), m,
                        log.stream().filter(x -> x.predict() == -1).count()));
                for (double r : RADII) {
                    acc.append(String.format(Locale.ROOT, " %.3f |", log.stream().filter(x -> certified(x, r)).count()
                            / (double) m));
                }
                acc.append(String.format(Locale.ROOT, " %.3f |%n", log.stream().mapToDouble(x -> x.correct()
                        ? x.radius() : 0).sum() / m));
            }
            for (double r : RADII) {
                int both = 0, onlyStd = 0, onlySnd = 0;
                for (int i = 0; i < m; i++) {
                    if (std.get(i).idx() != snd.get(i).idx()) {
                        throw new IllegalStateException(model + ": row " + i + " has idx " + std.get(i).idx()
                                + " vs " + snd.get(i).idx());
                    }
                    boolean a = certified(std.get(i), r), b = certified(snd.get(i), r);
                    both += a && b ? 1 : 0;
                    onlyStd += a && !b ? 1 : 0;
                    onlySnd += b && !a ? 1 : 0;
                }
                double d = (onlySnd - onlyStd) / (double) m, se = Math.sqrt(onlyStd + onlySnd) / m;
                diff.append(String.format(Locale.ROOT, "| %s | %.2f | %d | %d | %d | %+.3f | %.3f | %s |%n", model, r,
                        both, onlyStd, onlySnd, d, se, Math.abs(d) <= 2 * se ? "yes" : "no"));
            }
        }
        System.out.println(acc);
        System.out.println(diff);
    }
}
