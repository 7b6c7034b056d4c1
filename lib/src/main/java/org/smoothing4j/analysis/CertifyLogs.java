package org.smoothing4j.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.smoothing4j.certify.ExampleSelection;
import org.smoothing4j.certify.LogFormat;
import org.smoothing4j.certify.LogRows;
import org.smoothing4j.io.Json;
import org.smoothing4j.io.TsvLog;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Reads certify logs, ours or the public PyTorch reference code's (time as {@code h:mm:ss.ffffff}, Python
 * {@code timedelta}, or seconds), into tables with columns idx, label, predict, radius, correct (ints and doubles)
 * and time (seconds). The table is named after the log (see {@link #label}).
 */
public final class CertifyLogs {
    static final List<String> COLUMNS = List.of("idx", "label", "predict", "radius", "correct", "time");
    /** Sequential certification's logs: the same columns and the samples drawn per example before time. */
    static final List<String> SEQUENTIAL_COLUMNS = List.of("idx", "label", "predict", "radius", "correct", "samples",
            "time");

    private CertifyLogs() {}

    /**
     * A log with what is known about the run that wrote it (from its settings file, where there is one).
     *
     * @param exactRadii for sequential certification, the target radii: its certified accuracy is exact there only
     *                   (between them the radius column gives a valid but lower curve); empty for CERTIFY's logs
     * @param mode       how it was certified: {@code standard} (as the reference code: exact arithmetic assumed) or
     *                   {@code sound (grid m/L)} (sound in floating point, --sound), from the settings file; logs
     *                   without one (the reference code's) are standard
     * @param noise      the noise family (gaussian, laplace, uniform), from the settings (gaussian without)
     * @param norm       the norm of the radius column (l2, l1, linf), from the settings (l2 without)
     */
    public record Log(String label, Path file, Table table, double sigma, String method, double[] exactRadii,
            String mode, String noise, String norm) {
        public static final String STANDARD = "standard";

        /** A log of Gaussian noise with L2 radii. */
        public Log(String label, Path file, Table table, double sigma, String method, double[] exactRadii,
                String mode) {
            this(label, file, table, sigma, method, exactRadii, mode, "gaussian", "l2");
        }

        /** How the norm is named on axes and in tables: L2, L1, L-infinity. */
        public String normLabel() {
            return switch (norm) {
                case "l1" -> "L1";
                case "linf" -> "L-infinity";
                default -> "L2";
            };
        }

        public Log {
            exactRadii = exactRadii.clone();
        }

        /** A log certified in the standard mode. */
        public Log(String label, Path file, Table table, double sigma, String method, double[] exactRadii) {
            this(label, file, table, sigma, method, exactRadii, STANDARD);
        }

        /** A CERTIFY log (exact at every radius) in the standard mode. */
        public Log(String label, Path file, Table table, double sigma, String method) {
            this(label, file, table, sigma, method, new double[0], STANDARD);
        }

        /** Whether it was certified in the sound mode (--sound). */
        public boolean sound() {
            return mode.startsWith("sound");
        }

        @Override
        public double[] exactRadii() {
            return exactRadii.clone();
        }

        /** Whether certified accuracy is exact only at target radii (sequential certification). */
        public boolean sequential() {
            return exactRadii.length > 0;
        }

        /** The same log under another label (also the table's name, which tables and legends show). */
        public Log labelled(String newLabel) {
            return new Log(newLabel, file, table.copy().setName(newLabel), sigma, method, exactRadii, mode, noise,
                    norm);
        }
    }

    public static Table read(Path file) throws IOException {
        return read(file, label(file));
    }

    public static Table read(Path file, String name) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": certify log not found");
        }
        List<String> columns = sequential(file) ? SEQUENTIAL_COLUMNS : COLUMNS;
        List<List<String>> rows;
        try {
            rows = TsvLog.read(file, columns, LogRows.check(columns, selection(file)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("is not a log of this kind", "is not a certify log"));
        }
        int n = rows.size();
        int[] idx = new int[n], label = new int[n], predict = new int[n], correct = new int[n];
        double[] radius = new double[n], time = new double[n];
        long[] samples = new long[n];
        int t = columns.indexOf("time"), s = columns.indexOf("samples");
        for (int i = 0; i < n; i++) {
            List<String> f = rows.get(i);
            idx[i] = Integer.parseInt(f.get(0));
            label[i] = Integer.parseInt(f.get(1));
            predict[i] = Integer.parseInt(f.get(2));
            radius[i] = Double.parseDouble(f.get(3));
            correct[i] = Integer.parseInt(f.get(4));
            time[i] = LogFormat.parseElapsed(f.get(t));
            samples[i] = s >= 0 ? Long.parseLong(f.get(s)) : 0;
        }
        Table table = Table.create(name, IntColumn.create("idx", idx), IntColumn.create("label", label),
                IntColumn.create("predict", predict), DoubleColumn.create("radius", radius),
                IntColumn.create("correct", correct), DoubleColumn.create("time", time));
        if (s >= 0) {
            table.addColumns(tech.tablesaw.api.LongColumn.create("samples", samples));
        }
        return table;
    }

    /** Whether a log's header is sequential certification's (with a samples column). */
    private static boolean sequential(Path file) throws IOException {
        try (java.io.BufferedReader r = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            String first = r.readLine();
            return first != null && List.of(first.trim().split("\t")).equals(SEQUENTIAL_COLUMNS);
        } catch (java.nio.charset.MalformedInputException e) {
            return false; // binary: the reader reports it
        }
    }

    /**
     * The indices a log's run visits, from the selection in its settings file (for checking its rows); null when
     * there is no settings file (e.g. a log of the reference code). The data set size is not needed: an index past
     * the end could not have been written.
     */
    static IntPredicate selection(Path log) throws IOException {
        Path settings = TsvLog.settingsFile(log);
        if (!Files.isRegularFile(settings)) {
            return null;
        }
        Map<String, Object> s = Json.object(Json.read(settings), "settings", settings);
        if (!s.containsKey("skip")) {
            return null;
        }
        ExampleSelection sel = new ExampleSelection((int) Json.integer(s, "skip", settings),
                (int) Json.integer(s, "max", settings), (int) Json.integer(s, "start", settings),
                (int) Json.integer(s, "end", settings));
        return i -> sel.includes(i, Integer.MAX_VALUE);
    }

    /** Reads a log with its sigma and training method, where its settings file and model metadata tell them. */
    public static Log load(Path file) throws IOException {
        String label = label(file);
        double sigma = Double.NaN;
        String method = "unknown";
        double[] exact = new double[0];
        String mode = Log.STANDARD;
        String noise = "gaussian", norm = "l2";
        Path settings = TsvLog.settingsFile(file);
        if (Files.exists(settings)) {
            Object s = Json.read(settings).get("settings");
            if (s instanceof Map<?, ?> map) {
                if ("certify-sequential".equals(map.get("kind")) && map.get("radii") instanceof List<?> r
                        && r.stream().allMatch(v -> v instanceof Number)) {
                    exact = r.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
                }
                if (map.get("sigma") instanceof Number v) {
                    sigma = v.doubleValue();
                }
                if (Boolean.TRUE.equals(map.get("deterministic"))) {
                    mode = "deterministic (grid m/" + (map.get("gridLevels") instanceof Number l ? l.intValue() : "?")
                            + ")";
                }
                if (Boolean.TRUE.equals(map.get("sound"))) {
                    mode = "sound (grid m/" + (map.get("gridLevels") instanceof Number l ? l.intValue() : "?") + ")";
                }
                if (map.get("family") instanceof String v) {
                    noise = v;
                }
                if (map.get("norm") instanceof String v) {
                    norm = v;
                }
                if (Boolean.TRUE.equals(map.get("box"))) {
                    noise = noise + " (box)";
                }
                if (map.get("trainingMethod") instanceof String m) {
                    method = m;
                } else if (map.get("model") instanceof String model) { // logs written before "inputs" existed
                    Path meta = org.smoothing4j.model.dl4j.Checkpoint.metadataFile(Path.of(model));
                    if (Files.exists(meta) && Json.read(meta).get("training") instanceof Map<?, ?> t
                            && t.get("method") instanceof String m) {
                        method = m;
                    }
                }
            }
        }
        return new Log(label, file, read(file, label), sigma, method, exact, mode, noise, norm);
    }

    /** A log's display name: its file name without extension, or its folder's name for a generic file name. */
    public static String label(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        if ((base.equals("certify") || base.equals("log")) && file.toAbsolutePath().getParent() != null) {
            return file.toAbsolutePath().getParent().getFileName().toString();
        }
        return base;
    }
}
