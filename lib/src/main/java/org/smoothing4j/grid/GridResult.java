package org.smoothing4j.grid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.smoothing4j.analysis.CertifiedAccuracy;
import org.smoothing4j.analysis.CertifyLogs;
import org.smoothing4j.analysis.Curves;
import org.smoothing4j.certify.LogFormat;
import org.smoothing4j.noise.SplitNoise;
import org.smoothing4j.plot.Charts;
import org.smoothing4j.run.RunSpec;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A grid's results as one tidy table - a row per cell and radius: the axes' values, the certified accuracy with its
 * 95% Clopper-Pearson band over the test images, and per cell the ACR, the base classifier's clean and noisy test
 * accuracy (the training run's last epoch), the training and certification times, the noise samples drawn, the
 * examples, the model's fingerprint and the status (a failed cell: one row with why) - and what is read off it:
 * pivots by two axes, curves faceted by an axis, the differences outside the bands along an axis.
 * <p>
 * Each cell's radii are its sequential certification's target radii, where its certified accuracy is exact, or for
 * fixed-n CERTIFY 0, 0.25, ... up to the largest radius any cell certified; {@link #of(List, List, double[])} fixes
 * them.
 */
public final class GridResult {
    /** The table's columns after the axes'. */
    public static final List<String> COLUMNS = List.of("radius", "certified", "band_low", "band_high", "acr",
            "clean_acc", "noisy_acc", "train_s", "certify_s", "samples", "examples", "fingerprint", "status");

    private final List<Cell> cells;
    private final List<CellResult> results;
    private final List<String> axes;
    private final Map<String, CertifyLogs.Log> logs;
    private final Table table;

    private GridResult(List<Cell> cells, List<CellResult> results, List<String> axes,
            Map<String, CertifyLogs.Log> logs, Table table) {
        this.cells = List.copyOf(cells);
        this.results = List.copyOf(results);
        this.axes = List.copyOf(axes);
        this.logs = logs;
        this.table = table;
    }

    /** The results of a grid's cells (in the same order), each at its own radii. */
    public static GridResult of(List<Cell> cells, List<CellResult> results) throws IOException {
        return of(cells, results, null);
    }

    /** The results of a grid's cells (in the same order) at these radii (null: each cell's own). */
    public static GridResult of(List<Cell> cells, List<CellResult> results, double[] radii) throws IOException {
        if (cells.size() != results.size()) {
            throw new IllegalArgumentException(cells.size() + " cells but " + results.size() + " results");
        }
        List<String> axes = cells.isEmpty() ? List.of() : List.copyOf(cells.get(0).axes().keySet());
        Map<String, CertifyLogs.Log> logs = new LinkedHashMap<>();
        Table t = Table.create("grid");
        for (String a : axes) {
            t.addColumns(StringColumn.create(a));
        }
        t.addColumns(DoubleColumn.create("radius"), DoubleColumn.create("certified"), DoubleColumn.create("band_low"),
                DoubleColumn.create("band_high"), DoubleColumn.create("acr"), DoubleColumn.create("clean_acc"),
                DoubleColumn.create("noisy_acc"), DoubleColumn.create("train_s"), DoubleColumn.create("certify_s"),
                DoubleColumn.create("samples"), IntColumn.create("examples"), StringColumn.create("fingerprint"),
                StringColumn.create("status"));
        for (int i = 0; i < cells.size(); i++) {
            CellResult r = results.get(i);
            if (!r.cell().equals(cells.get(i).name())) {
                throw new IllegalArgumentException("result " + i + " is cell " + r.cell() + ", not "
                        + cells.get(i).name());
            }
            if (r.ok()) {
                logs.put(r.cell(), CertifyLogs.load(Path.of(r.log())).labelled(cells.get(i).label()));
            }
        }
        double[] fixedRadii = radii != null ? radii : fixedRadii(logs.values());
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            CellResult r = results.get(i);
            if (!r.ok()) {
                row(t, cell, Double.NaN, Double.NaN, new double[] {Double.NaN, Double.NaN}, Metrics.NONE,
                        "failed: " + r.failure());
                continue;
            }
            CertifyLogs.Log log = logs.get(cell.name());
            Metrics m = Metrics.of(cell, r, log);
            double[] rs = radii == null && log.sequential() ? log.exactRadii() : fixedRadii;
            double[][] band = CertifiedAccuracy.band(log.table(), rs, Curves.BAND);
            for (int k = 0; k < rs.length; k++) {
                row(t, cell, rs[k], CertifiedAccuracy.at(log.table(), rs[k]), new double[] {band[0][k], band[1][k]},
                        m, "ok");
            }
        }
        return new GridResult(cells, results, axes, logs, t);
    }

    /** The radii of fixed-n logs: 0, 0.25, ... up to the largest radius any of them certified. */
    private static double[] fixedRadii(java.util.Collection<CertifyLogs.Log> logs) {
        double max = 0;
        for (CertifyLogs.Log log : logs) {
            if (!log.sequential() && log.table().rowCount() > 0) {
                max = Math.max(max, log.table().doubleColumn("radius").max());
            }
        }
        return CertifiedAccuracy.grid(Math.floor(max / 0.25) * 0.25, 0.25);
    }

    private static void row(Table t, Cell cell, double radius, double certified, double[] band, Metrics m,
            String status) {
        for (Map.Entry<String, String> e : cell.axes().entrySet()) {
            t.stringColumn(e.getKey()).append(e.getValue());
        }
        t.doubleColumn("radius").append(radius);
        t.doubleColumn("certified").append(certified);
        t.doubleColumn("band_low").append(band[0]);
        t.doubleColumn("band_high").append(band[1]);
        t.doubleColumn("acr").append(m.acr);
        t.doubleColumn("clean_acc").append(m.cleanAcc);
        t.doubleColumn("noisy_acc").append(m.noisyAcc);
        t.doubleColumn("train_s").append(m.trainSeconds);
        t.doubleColumn("certify_s").append(m.certifySeconds);
        t.doubleColumn("samples").append(m.samples);
        if (m.examples < 0) {
            t.intColumn("examples").appendMissing();
        } else {
            t.intColumn("examples").append(m.examples);
        }
        t.stringColumn("fingerprint").append(m.fingerprint);
        t.stringColumn("status").append(status);
    }

    /** A cell's numbers that do not depend on the radius. */
    private record Metrics(double acr, double cleanAcc, double noisyAcc, double trainSeconds, double certifySeconds,
            double samples, int examples, String fingerprint) {
        static final Metrics NONE = new Metrics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, -1, "");

        static Metrics of(Cell cell, CellResult r, CertifyLogs.Log log) throws IOException {
            Table t = log.table();
            double clean = Double.NaN, noisy = Double.NaN, train = Double.NaN;
            if (r.trainLog() != null) {
                List<String> lines = Files.readAllLines(Path.of(r.trainLog())).stream().filter(l -> !l.isBlank())
                        .toList();
                List<String> header = List.of(lines.get(0).split("\t"));
                List<String> last = List.of(lines.get(lines.size() - 1).split("\t"));
                if (lines.size() > 1) {
                    clean = Double.parseDouble(last.get(header.indexOf("clean_test_acc")));
                    noisy = Double.parseDouble(last.get(header.indexOf("test_acc")));
                    train = lines.subList(1, lines.size()).stream()
                            .mapToDouble(l -> LogFormat.parseElapsed(l.split("\t")[header.indexOf("time")])).sum();
                }
            }
            double samples = t.columnNames().contains("samples") ? t.numberColumn("samples").sum()
                    : samplesPerExample(cell.certify()) * t.rowCount();
            Object fp = log.file() == null ? null : settingsValue(log.file(), "modelFingerprint");
            return new Metrics(CertifiedAccuracy.acr(t), clean, noisy, train, t.doubleColumn("time").sum(), samples,
                    t.rowCount(), fp == null ? "" : fp.toString());
        }

        /** Noise samples per example of fixed-n CERTIFY (n0 + n), or forward passes of the deterministic one. */
        private static double samplesPerExample(RunSpec spec) {
            if (spec instanceof RunSpec.CertifyDeterministicL1 d) {
                return SplitNoise.shifts(d.sigma(), d.gridLevels());
            }
            return spec.config().n0() + (double) spec.config().n();
        }

        private static Object settingsValue(Path log, String key) throws IOException {
            Path settings = org.smoothing4j.io.TsvLog.settingsFile(log);
            if (!Files.exists(settings)) {
                return null;
            }
            return org.smoothing4j.io.Json.read(settings).get("settings") instanceof Map<?, ?> s ? s.get(key) : null;
        }
    }

    /** The tidy table: a row per cell and radius (see the class comment). */
    public Table table() {
        return table.copy();
    }

    /** The axes' names, in the grid's order. */
    public List<String> axes() {
        return axes;
    }

    /** The cells that ran and their certify logs, labelled by their axes' values ({@code sigma=0.5 eps=1.0}). */
    public List<CertifyLogs.Log> logs() {
        return List.copyOf(logs.values());
    }

    /** The results of the cells whose axis has this value (a sub-grid, e.g. one sigma of a sigma x eps grid). */
    public GridResult where(String axis, String value) throws IOException {
        checkAxis(axis);
        List<Cell> c = new ArrayList<>();
        List<CellResult> r = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            if (value.equals(cells.get(i).axes().get(axis))) {
                c.add(cells.get(i));
                r.add(results.get(i));
            }
        }
        if (c.isEmpty()) {
            throw new IllegalArgumentException("no cell has " + axis + " = " + value + " (values: "
                    + values(axis) + ")");
        }
        Map<String, CertifyLogs.Log> l = new LinkedHashMap<>();
        c.stream().filter(x -> logs.containsKey(x.name())).forEach(x -> l.put(x.name(), logs.get(x.name())));
        Table t = table.where(table.stringColumn(axis).isEqualTo(value));
        return new GridResult(c, r, axes, l, t);
    }

    /**
     * A per-cell metric ({@code acr}, {@code clean_acc}, {@code noisy_acc}, {@code train_s}, {@code certify_s},
     * {@code samples}) by two axes: a row per value of {@code rows}, a column per value of {@code columns}. Every
     * other axis must have one value here ({@link #where} selects it).
     */
    public Table pivot(String rows, String columns, String metric) {
        return pivot(rows, columns, metric, Double.NaN);
    }

    /** The certified accuracy (metric {@code certified}, {@code band_low} or {@code band_high}) at a radius by two axes. */
    public Table pivot(String rows, String columns, String metric, double radius) {
        checkAxis(rows);
        checkAxis(columns);
        if (!table.columnNames().contains(metric) || !(table.column(metric) instanceof DoubleColumn)) {
            throw new IllegalArgumentException("no metric " + metric + " (metrics: acr, clean_acc, noisy_acc, "
                    + "train_s, certify_s, samples; certified, band_low, band_high at a radius)");
        }
        boolean perRadius = List.of("certified", "band_low", "band_high").contains(metric);
        if (perRadius && Double.isNaN(radius)) {
            throw new IllegalArgumentException(metric + " depends on the radius: give one");
        }
        for (String other : axes) {
            if (!other.equals(rows) && !other.equals(columns) && values(other).size() > 1) {
                throw new IllegalArgumentException("axis " + other + " has " + values(other).size() + " values "
                        + values(other) + ": select one with where(\"" + other + "\", ...) before pivoting by " + rows
                        + " and " + columns);
            }
        }
        List<String> rowValues = values(rows), columnValues = values(columns);
        String title = perRadius ? metric + " at r = " + radius : metric;
        Table p = Table.create(title + " by " + rows + " and " + columns, StringColumn.create(rows, rowValues));
        for (String cv : columnValues) {
            DoubleColumn col = DoubleColumn.create(columns + "=" + cv);
            for (String rv : rowValues) {
                col.append(value(rows, rv, columns, cv, metric, perRadius ? radius : Double.NaN));
            }
            p.addColumns(col);
        }
        return p;
    }

    private double value(String rows, String rv, String columns, String cv, String metric, double radius) {
        for (int i = 0; i < table.rowCount(); i++) {
            if (table.stringColumn(rows).get(i).equals(rv) && table.stringColumn(columns).get(i).equals(cv)
                    && (Double.isNaN(radius) || Math.abs(table.doubleColumn("radius").getDouble(i) - radius) < 1e-9)) {
                return table.doubleColumn(metric).getDouble(i);
            }
        }
        return Double.NaN; // a failed cell, or a radius it was not certified at
    }

    /**
     * The certified-accuracy curves with their bands, one chart per value of {@code facet}, each curve a cell
     * (labelled by its other axes' values).
     */
    public List<XYChart> curves(String facet, String title) {
        checkAxis(facet);
        List<XYChart> charts = new ArrayList<>();
        for (String v : values(facet)) {
            List<CertifyLogs.Log> group = new ArrayList<>();
            for (Cell c : cells) {
                if (v.equals(c.axes().get(facet)) && logs.containsKey(c.name())) {
                    group.add(logs.get(c.name()).labelled(labelWithout(c, facet)));
                }
            }
            if (!group.isEmpty()) {
                charts.add(Charts.accuracyVsRadius(title + ", " + facet + " = " + v, Curves.withBands(group), 900,
                        480, group.get(0).norm()));
            }
        }
        return charts;
    }

    /**
     * The differences outside the 95% bands along an axis: among the cells that differ in {@code along} only, the
     * pairs whose intervals at a radius are disjoint ({@link CertifiedAccuracy#outsideBands}), at the radii they
     * share, with the other axes' values in a first column.
     */
    public Table outsideBands(String along) {
        checkAxis(along);
        Map<String, List<CertifyLogs.Log>> groups = new LinkedHashMap<>();
        for (Cell c : cells) {
            if (logs.containsKey(c.name())) {
                groups.computeIfAbsent(labelWithout(c, along), k -> new ArrayList<>()).add(logs.get(c.name()));
            }
        }
        Table out = null;
        for (Map.Entry<String, List<CertifyLogs.Log>> g : groups.entrySet()) {
            if (g.getValue().size() < 2) {
                continue;
            }
            Table d = CertifiedAccuracy.outsideBands(g.getValue().stream().map(CertifyLogs.Log::table).toList(),
                    sharedRadii(g.getValue()), Curves.BAND);
            d.insertColumn(0, StringColumn.create("cells with", java.util.Collections.nCopies(d.rowCount(),
                    g.getKey())));
            out = out == null ? d : out.append(d);
        }
        return out != null ? out.setName("differences outside the 95% bands along " + along)
                : Table.create("differences outside the 95% bands along " + along + ": no cells to compare");
    }

    /** The radii every log of a group is exact at: their shared target radii, else the first's own radii. */
    private static double[] sharedRadii(List<CertifyLogs.Log> group) {
        if (group.stream().allMatch(CertifyLogs.Log::sequential)) {
            TreeSet<Double> shared = new TreeSet<>();
            for (double r : group.get(0).exactRadii()) {
                shared.add(r);
            }
            for (CertifyLogs.Log l : group) {
                shared.retainAll(java.util.Arrays.stream(l.exactRadii()).boxed().toList());
            }
            return shared.stream().mapToDouble(Double::doubleValue).toArray();
        }
        return fixedRadii(group);
    }

    private String labelWithout(Cell c, String axis) {
        String l = c.axes().entrySet().stream().filter(e -> !e.getKey().equals(axis))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return l.isEmpty() ? axis + "=" + c.axes().get(axis) : l;
    }

    /** An axis's values, in the grid's order. */
    public List<String> values(String axis) {
        checkAxis(axis);
        return cells.stream().map(c -> c.axes().get(axis)).distinct().toList();
    }

    private void checkAxis(String axis) {
        if (!axes.contains(axis)) {
            throw new IllegalArgumentException("the grid has no axis " + axis + " (axes: " + axes + ")");
        }
    }

    /** The table as tab-separated text: a header, then a row per line (numbers as Java prints them, NaN missing). */
    public String tsv() {
        StringBuilder sb = new StringBuilder(String.join("\t", table.columnNames())).append('\n');
        for (int i = 0; i < table.rowCount(); i++) {
            List<String> row = new ArrayList<>();
            for (String c : table.columnNames()) {
                row.add(table.column(c).isMissing(i) ? "" : table.column(c).getString(i));
            }
            sb.append(String.join("\t", row)).append('\n');
        }
        return sb.toString();
    }
}
