package org.smoothing4j.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.smoothing4j.certify.LogFormat;
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

    private CertifyLogs() {}

    /** A log with what is known about the run that wrote it (from its settings file, where there is one). */
    public record Log(String label, Path file, Table table, double sigma, String method) {}

    public static Table read(Path file) throws IOException {
        return read(file, label(file));
    }

    public static Table read(Path file, String name) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": certify log not found", e);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read certify log (" + e.getMessage() + ")", e);
        }
        if (lines.isEmpty() || !List.of(lines.get(0).trim().split("\t")).equals(COLUMNS)) {
            throw new IllegalArgumentException(file + " is not a certify log: expected the header '"
                    + String.join("\\t", COLUMNS) + "', found '" + (lines.isEmpty() ? "" : lines.get(0)) + "'");
        }
        int n = 0;
        List<int[]> ints = new ArrayList<>();
        List<double[]> doubles = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != COLUMNS.size()) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + " has " + f.length + " fields, expected 6");
            }
            try {
                ints.add(new int[] {Integer.parseInt(f[0].trim()), Integer.parseInt(f[1].trim()),
                        Integer.parseInt(f[2].trim()), Integer.parseInt(f[4].trim())});
                doubles.add(new double[] {Double.parseDouble(f[3].trim()), LogFormat.parseElapsed(f[5])});
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + ": " + e.getMessage());
            }
            n++;
        }
        int[] idx = new int[n], label = new int[n], predict = new int[n], correct = new int[n];
        double[] radius = new double[n], time = new double[n];
        for (int i = 0; i < n; i++) {
            idx[i] = ints.get(i)[0];
            label[i] = ints.get(i)[1];
            predict[i] = ints.get(i)[2];
            correct[i] = ints.get(i)[3];
            radius[i] = doubles.get(i)[0];
            time[i] = doubles.get(i)[1];
        }
        return Table.create(name, IntColumn.create("idx", idx), IntColumn.create("label", label),
                IntColumn.create("predict", predict), DoubleColumn.create("radius", radius),
                IntColumn.create("correct", correct), DoubleColumn.create("time", time));
    }

    /** Reads a log with its sigma and training method, where its settings file and model metadata tell them. */
    public static Log load(Path file) throws IOException {
        String label = label(file);
        double sigma = Double.NaN;
        String method = "unknown";
        Path settings = TsvLog.settingsFile(file);
        if (Files.exists(settings)) {
            Object s = Json.read(settings).get("settings");
            if (s instanceof Map<?, ?> map) {
                if (map.get("sigma") instanceof Number v) {
                    sigma = v.doubleValue();
                }
                if (map.get("model") instanceof String model) {
                    Path meta = org.smoothing4j.model.Checkpoint.metadataFile(Path.of(model));
                    if (Files.exists(meta) && Json.read(meta).get("training") instanceof Map<?, ?> t
                            && t.get("method") instanceof String m) {
                        method = m;
                    }
                }
            }
        }
        return new Log(label, file, read(file, label), sigma, method);
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
