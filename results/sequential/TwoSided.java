// results/sequential, issue 33: fixed-n CERTIFY with the one-sided radius (results/sound/MODEL-standard-n10000.tsv) against
// --two-sided-radius (MODEL-two-sided-n10000.tsv), the same models, images, seeds and so the same samples. Run from
// the repository root: java results/sequential/TwoSided.java
import java.nio.file.*;
import java.util.*;
public class TwoSided {
    record Row(int idx, int predict, double radius, boolean correct) {}
    static List<Row> rows(Path p) throws Exception {
        List<Row> out = new ArrayList<>();
        for (String l : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
            String[] f = l.split("\t");
            out.add(new Row(Integer.parseInt(f[0]), Integer.parseInt(f[2]), Double.parseDouble(f[3]), f[4].equals("1")));
        }
        out.sort(Comparator.comparingInt(Row::idx));
        return out;
    }
    public static void main(String[] a) throws Exception {
        double[] radii = {0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
        System.out.println("| model | radius | abstain | r = 0.0 | r = 0.25 | r = 0.5 | r = 0.75 | r = 1.0 | r = 1.25 | r = 1.5 | ACR | examples with a larger radius | smaller |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String m : List.of("gaussian", "smoothadv")) {
            List<Row> one = rows(Path.of("results/sound/" + m + "-standard-n10000.tsv"));
            List<Row> two = rows(Path.of("results/sequential/" + m + "-two-sided-n10000.tsv"));
            for (var e : List.of(Map.entry("one-sided (default)", one), Map.entry("two-sided (--two-sided-radius)", two))) {
                List<Row> log = e.getValue();
                StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "| %s | %s | %d |", m, e.getKey(),
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
