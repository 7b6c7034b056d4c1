package org.smoothing4j.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.smoothing4j.analysis.Curve;
import org.smoothing4j.certify.LogRows;
import org.smoothing4j.io.Json;
import org.smoothing4j.io.TsvLog;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Logs of {@code smoothing4j attack} (idx label predict basePredict correct norm time) with their settings: the
 * empirical robust accuracy of a smoothed classifier is the fraction of attacked images that PREDICT still
 * classifies correctly (an abstention counts as wrong, as in the reference code).
 */
public final class AttackLogs {
    static final List<String> COLUMNS = List.of("idx", "label", "predict", "basePredict", "correct", "norm", "time");
    private static final Pattern EPSILON = Pattern.compile("epsilon=([0-9.eE+-]+)");
    private static final Pattern STEPS = Pattern.compile("steps=([0-9]+)");

    private AttackLogs() {}

    /**
     * One attack log.
     *
     * @param objective smooth, naive or base
     * @param gradient  backprop, stein, stein-baseline or stein-antithetic
     */
    public record Log(Path file, String attack, String objective, String gradient, int mTest, double epsilon,
            int steps, double sigma, int n, int[] correct, double[] norms) {
        public int images() {
            return correct.length;
        }

        /** Fraction of attacked images still correctly classified by PREDICT. */
        public double accuracy() {
            return images() == 0 ? Double.NaN : java.util.Arrays.stream(correct).average().orElse(Double.NaN);
        }

        /** Standard error of {@link #accuracy} (binomial). */
        public double standardError() {
            double p = accuracy();
            return Math.sqrt(p * (1 - p) / images());
        }

        public double meanNorm() {
            return java.util.Arrays.stream(norms).average().orElse(Double.NaN);
        }
    }

    /** Reads a log and the settings file written beside it. */
    public static Log load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": attack log not found");
        }
        List<List<String>> rows;
        try {
            rows = TsvLog.read(file, COLUMNS, LogRows.check(COLUMNS, CertifyLogs.selection(file)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("is not a log of this kind", "is not an attack log"));
        }
        Path settingsFile = TsvLog.settingsFile(file);
        if (!Files.isRegularFile(settingsFile)) {
            throw new IOException(file + ": its settings file " + settingsFile + " is missing");
        }
        Map<String, Object> s = Json.object(Json.read(settingsFile), "settings", settingsFile);
        int[] correct = rows.stream().mapToInt(r -> Integer.parseInt(r.get(4))).toArray();
        double[] norms = rows.stream().mapToDouble(r -> Double.parseDouble(r.get(5))).toArray();
        String attack = Json.string(s, "attack", settingsFile);
        return new Log(file, attack.substring(0, Math.max(0, attack.indexOf('['))).replace("L2", "").toLowerCase(),
                Json.string(s, "target", settingsFile), gradientName(attack), (int) Json.integer(s, "mTest", settingsFile),
                Double.parseDouble(group(EPSILON, attack, file)), Integer.parseInt(group(STEPS, attack, file)),
                Json.number(s, "sigma", settingsFile), (int) Json.integer(s, "n", settingsFile), correct, norms);
    }

    private static String group(Pattern p, String text, Path file) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException(file + ": settings do not describe the attack ('" + text + "')");
        }
        return m.group(1);
    }

    /** The --grad name of the gradient source described in the settings' attack. */
    static String gradientName(String attack) {
        if (!attack.contains("SteinGradient")) {
            return "backprop";
        }
        boolean baseline = attack.contains("baseline=true"), antithetic = attack.contains("antithetic=true");
        return antithetic ? (baseline ? "stein-antithetic+baseline" : "stein-antithetic")
                : baseline ? "stein-baseline" : "stein";
    }

    /** One row per log: objective, gradient, m_test, eps, images, empirical accuracy, its SE, mean norm. */
    public static Table summary(List<Log> logs) {
        Table t = Table.create("empirical robust accuracy",
                StringColumn.create("objective"), StringColumn.create("gradient"), IntColumn.create("m_test"),
                DoubleColumn.create("eps"), IntColumn.create("images"), DoubleColumn.create("empirical accuracy"),
                DoubleColumn.create("SE"), DoubleColumn.create("mean norm"));
        for (Log l : logs) {
            t.stringColumn(0).append(l.objective());
            t.stringColumn(1).append(l.gradient());
            t.intColumn(2).append(l.mTest());
            t.doubleColumn(3).append(l.epsilon());
            t.intColumn(4).append(l.images());
            t.doubleColumn(5).append(l.accuracy());
            t.doubleColumn(6).append(l.standardError());
            t.doubleColumn(7).append(l.meanNorm());
        }
        return t;
    }

    /**
     * Empirical accuracy against eps as a curve (to draw dashed beside the certified curve), with the clean
     * accuracy {@code atZero} at eps 0 when it is a number.
     */
    public static Curve empiricalCurve(String label, List<Log> logs, double atZero) {
        List<Log> sorted = logs.stream().sorted(Comparator.comparingDouble(Log::epsilon)).toList();
        int extra = Double.isNaN(atZero) ? 0 : 1;
        double[] eps = new double[sorted.size() + extra], acc = new double[sorted.size() + extra];
        if (extra == 1) {
            acc[0] = atZero;
        }
        for (int i = 0; i < sorted.size(); i++) {
            eps[i + extra] = sorted.get(i).epsilon();
            acc[i + extra] = sorted.get(i).accuracy();
        }
        double sigma = sorted.isEmpty() ? Double.NaN : sorted.get(0).sigma();
        return new Curve(label, eps, acc, Curve.Style.DASHED, sigma);
    }
}
