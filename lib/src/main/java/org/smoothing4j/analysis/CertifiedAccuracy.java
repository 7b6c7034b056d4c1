package org.smoothing4j.analysis;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The metrics of a certify log (SPEC 5), computed on whole columns: approximate certified accuracy at radius r
 * (fraction of examples with correct = 1 and radius &gt;= r; abstentions count as wrong), average certified radius
 * (mean of radius * correct), and the high-probability version of the accuracy.
 */
public final class CertifiedAccuracy {
    private CertifiedAccuracy() {}

    /** Approximate certified accuracy at radius r. */
    public static double at(Table log, double r) {
        if (log.rowCount() == 0) {
            throw new IllegalArgumentException("log " + log.name() + " has no rows");
        }
        IntColumn correct = log.intColumn("correct");
        DoubleColumn radius = log.doubleColumn("radius");
        return log.where(correct.isEqualTo(1).and(radius.isGreaterThanOrEqualTo(r))).rowCount()
                / (double) log.rowCount();
    }

    /** Certified accuracy at each radius. */
    public static double[] curve(Table log, double[] radii) {
        double[] acc = new double[radii.length];
        for (int i = 0; i < radii.length; i++) {
            acc[i] = at(log, radii[i]);
        }
        return acc;
    }

    /**
     * The uncertainty of a certified-accuracy curve from the finite test set: at each radius the two-sided
     * Clopper-Pearson interval at {@code confidence} of the certified fraction k / m of the log's m examples, as
     * {lower, upper}. (It covers the accuracy over the test distribution, taking each certificate as given.)
     */
    public static double[][] band(Table log, double[] radii, double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("the band's confidence must be in (0, 1), got " + confidence);
        }
        int m = log.rowCount();
        double[] lower = new double[radii.length], upper = new double[radii.length];
        double alpha = (1 - confidence) / 2;
        for (int i = 0; i < radii.length; i++) {
            long k = Math.round(at(log, radii[i]) * m);
            lower[i] = org.smoothing4j.certify.Statistics.lowerConfidenceBound(k, m, alpha);
            upper[i] = org.smoothing4j.certify.Statistics.upperConfidenceBound(k, m, alpha);
        }
        return new double[][] {lower, upper};
    }

    /**
     * Per log, the certified accuracy at each radius with its band, as text cells {@code 0.780 [0.741, 0.816]}
     * (columns {@code r=...}).
     */
    public static Table bandSummary(List<Table> logs, double[] radii, double confidence) {
        Table t = Table.create("certified accuracy with its " + TableFormats.number(100 * confidence)
                + "% Clopper-Pearson interval over the test images",
                StringColumn.create("log", logs.stream().map(Table::name).toList()));
        for (int i = 0; i < radii.length; i++) {
            List<String> cells = new ArrayList<>();
            for (Table log : logs) {
                double[][] b = band(log, new double[] {radii[i]}, confidence);
                cells.add(cell(at(log, radii[i]), new double[] {b[0][0], b[1][0]}));
            }
            t.addColumns(StringColumn.create("r=" + TableFormats.number(radii[i]), cells));
        }
        return t;
    }

    /**
     * The differences the bands resolve: for each radius and each pair of logs whose intervals at {@code confidence}
     * (as {@link #band}) do not overlap, one row (radius, the higher log, the lower log, both accuracies with their
     * intervals). Disjoint intervals are a conservative test: each excludes the other's value, so a difference
     * listed here is not sampling noise of the test images (pairs whose intervals overlap may still differ).
     */
    public static Table outsideBands(List<Table> logs, double[] radii, double confidence) {
        List<Double> rs = new ArrayList<>();
        List<String> higher = new ArrayList<>(), lower = new ArrayList<>(), hi = new ArrayList<>(),
                lo = new ArrayList<>();
        for (double r : radii) {
            double[] acc = new double[logs.size()];
            double[][] b = new double[logs.size()][];
            for (int j = 0; j < logs.size(); j++) {
                acc[j] = at(logs.get(j), r);
                double[][] one = band(logs.get(j), new double[] {r}, confidence);
                b[j] = new double[] {one[0][0], one[1][0]};
            }
            for (int a = 0; a < logs.size(); a++) {
                for (int c = 0; c < logs.size(); c++) {
                    if (a != c && b[a][0] > b[c][1]) {
                        rs.add(r);
                        higher.add(logs.get(a).name());
                        lower.add(logs.get(c).name());
                        hi.add(cell(acc[a], b[a]));
                        lo.add(cell(acc[c], b[c]));
                    }
                }
            }
        }
        return Table.create("differences outside the " + TableFormats.number(100 * confidence) + "% bands",
                DoubleColumn.create("r", rs), StringColumn.create("higher", higher),
                StringColumn.create("higher: accuracy [band]", hi), StringColumn.create("lower", lower),
                StringColumn.create("lower: accuracy [band]", lo));
    }

    private static String cell(double acc, double[] band) {
        return String.format(java.util.Locale.ROOT, "%.3f [%.3f, %.3f]", acc, band[0], band[1]);
    }

    /** The radii 0, step, 2 step, ..., up to max (the reference plots use step 0.01). */
    public static double[] grid(double max, double step) {
        int n = (int) Math.floor(max / step + 1e-9) + 1;
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = Math.round(i * step * 1e9) / 1e9;
        }
        return r;
    }

    /** Average certified radius: mean over examples of radius * correct (MACER, Consistency regularisation). */
    public static double acr(Table log) {
        return log.doubleColumn("radius").multiply(log.intColumn("correct")).mean();
    }

    /** Fraction of abstentions (predict = -1). */
    public static double abstainRate(Table log) {
        return log.where(log.intColumn("predict").isEqualTo(-1)).rowCount() / (double) log.rowCount();
    }

    /**
     * A lower bound, holding with probability 1 - rho, on the certified accuracy of the smoothed classifier: the
     * approximate accuracy minus alpha + sqrt(alpha (1 - alpha) ln(1/rho) / m) + ln(1/rho) / (3m) over m examples
     * (each certificate is wrong with probability at most alpha; Bernstein's inequality).
     */
    public static double highProbability(Table log, double r, double alpha, double rho) {
        int m = log.rowCount();
        double l = Math.log(1 / rho);
        return at(log, r) - (alpha + Math.sqrt(alpha * (1 - alpha) * l / m) + l / (3.0 * m));
    }

    /** Per log, the high-probability certified accuracy at each radius (columns {@code r=...}). */
    public static Table highProbabilitySummary(List<Table> logs, double[] radii, double alpha, double rho) {
        Table t = Table.create("certified accuracy with probability >= " + (1 - rho),
                StringColumn.create("log", logs.stream().map(Table::name).toList()));
        for (double r : radii) {
            double[] v = logs.stream().mapToDouble(log -> highProbability(log, r, alpha, rho)).toArray();
            t.addColumns(DoubleColumn.create("r=" + TableFormats.number(r), v));
        }
        return t;
    }

    /**
     * The envelope over several models: at each radius the best certified accuracy, ties broken by clean accuracy
     * (accuracy at radius 0). Columns: radius, accuracy, smoothed acc (r=0), model.
     */
    public static Table envelope(List<Table> logs, double[] radii) {
        double[] best = new double[radii.length], clean = new double[radii.length];
        String[] model = new String[radii.length];
        for (int i = 0; i < radii.length; i++) {
            best[i] = -1;
            for (Table log : logs) {
                double a = at(log, radii[i]);
                double c = at(log, 0);
                if (a > best[i] || (a == best[i] && c > clean[i])) {
                    best[i] = a;
                    clean[i] = c;
                    model[i] = log.name();
                }
            }
        }
        return Table.create("envelope", DoubleColumn.create("radius", radii), DoubleColumn.create("accuracy", best),
                DoubleColumn.create("smoothed acc (r=0)", clean), StringColumn.create("model", model));
    }

    /**
     * One row per log: examples, the smoothed classifier's accuracy (the certified accuracy at r = 0: correct and not
     * abstaining), the fraction of abstentions, ACR and the certified
     * accuracy at each given radius (columns {@code r=0.25} ...).
     */
    public static Table summary(List<Table> logs, double[] radii) {
        List<String> names = new ArrayList<>();
        List<Double> examples = new ArrayList<>(), clean = new ArrayList<>(), abstain = new ArrayList<>(),
                acr = new ArrayList<>();
        double[][] acc = new double[radii.length][logs.size()];
        for (int j = 0; j < logs.size(); j++) {
            Table log = logs.get(j);
            names.add(log.name());
            examples.add((double) log.rowCount());
            clean.add(at(log, 0));
            abstain.add(abstainRate(log));
            acr.add(acr(log));
            for (int i = 0; i < radii.length; i++) {
                acc[i][j] = at(log, radii[i]);
            }
        }
        Table t = Table.create("summary", StringColumn.create("log", names),
                IntColumn.create("n", examples.stream().mapToInt(Double::intValue).toArray()),
                DoubleColumn.create("smoothed acc (r=0)", clean), DoubleColumn.create("abstain fraction", abstain),
                DoubleColumn.create("ACR", acr));
        for (int i = 0; i < radii.length; i++) {
            t.addColumns(DoubleColumn.create("r=" + TableFormats.number(radii[i]), acc[i]));
        }
        if (logs.stream().anyMatch(l -> l.containsColumn("samples"))) { // sequential logs: the samples they drew
            t.addColumns(DoubleColumn.create("mean samples", logs.stream().mapToDouble(
                    l -> l.containsColumn("samples") ? l.longColumn("samples").mean() : Double.NaN).toArray()));
        }
        return t;
    }
}
