// results/sequential, issue 33: fixed-n CERTIFY with the one-sided radius against --two-sided-radius, the same models,
// images, seeds and so the same samples: at n = 10,000 (results/sound/MODEL-standard-n10000.tsv against
// MODEL-two-sided-n10000.tsv) and, for the Gaussian LeNet, at n = 100,000 (retrained/gaussian-certify.tsv against
// retrained/gaussian-two-sided.tsv). Run from the repository root: java results/sequential/TwoSided.java
import java.nio.file.*;
import java.util.*;
public class TwoSided {
    record Row(int idx, int predict, double radius, boolean correct) {}
    static List<Row> rows(Path p) throws Exception {
        List<Row> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(p);
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split("\t");
            out.add(new Row(Integer.parseInt(f[0]), Integer.parseInt(f[2]), Double.parseDouble(f[3]), f[4].equals("1")));
        }
        out.sort(Comparator.comparingInt(Row::idx));
        return out;
    }
    public static void main(String[] a) throws Exception {
        double[] radii = {0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        System.out.println("| model | n | radius | abstain | r = 0.0 | r = 0.25 | r = 0.5 | r = 0.75 | r = 1.0 | r = 1.25 | r = 1.5 | ACR | examples with a larger radius | smaller |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        String[][] pairs = {
            {"gaussian", "10,000", "results/sound/gaussian-standard-n10000.tsv", "results/sequential/gaussian-two-sided-n10000.tsv"},
            {"smoothadv", "10,000", "results/sound/smoothadv-standard-n10000.tsv", "results/sequential/smoothadv-two-sided-n10000.tsv"},
            {"gaussian", "100,000", "results/sequential/retrained/gaussian-certify.tsv", "results/sequential/retrained/gaussian-two-sided.tsv"}};
        for (String[] pair : pairs) {
            String m = pair[0];
            List<Row> one = rows(Path.of(pair[2]));
            List<Row> two = rows(Path.of(pair[3]));
            if (one.size() != 500 || two.size() != 500) {
                throw new IllegalStateException(pair[2] + ", " + pair[3] + ": expected 500 rows each");
            }
            for (var e : List.of(Map.entry("one-sided (default)", one), Map.entry("two-sided (--two-sided-radius)", two))) {
                List<Row> log = e.getValue();
                StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "| %s | %s | %s | %d |", m, pair[1], e.getKey(),
                        log.stream().filter(x -> x.predict() == -1).count()));
                for (double r : radii) {
                    s.append(String.format(Locale.ROOT, " %.3f |", log.stream().filter(x -> x.correct() && x.radius() >= r).count() / 500.0));
                }
                s.append(String.format(Locale.ROOT, " %.3f |", log.stream().mapToDouble(x -> x.correct() ? x.radius() : 0).sum() / 500));
                if (log == two) {
                    int larger = 0, smaller = 0;
                    for (int i = 0; i < 500; i++) {
                        larger += two.get(i).radius() > one.get(i).radius() ? 1 : 0;
                        smaller += two.get(i).radius() < one.get(i).radius() ? 1 : 0;
                    }
                    s.append(" ").append(larger).append(" | ").append(smaller).append(" |");
                } else {
                    s.append(" | |");
                }
                System.out.println(s);
            }
        }
    }
}
