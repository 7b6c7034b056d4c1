package org.smoothing4j.certify;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.smoothing4j.io.TsvLog;

/**
 * What the rows of a certify, predict or attack log (SPEC 4) must satisfy, by column name, wherever a log is read
 * (resuming, analysis, notebooks): idx a whole number >= 0, unique, and in the run's selection where that is known;
 * label >= 0; predict >= -1 (-1: abstain) and basePredict >= 0; correct 0 or 1 and equal to (predict == label);
 * radius a finite number >= 0, and 0 for an abstention; norm finite and >= 0; samples >= 1; time an elapsed time.
 * Anything else is the sign of a log edited by hand, concatenated twice or written by another program, whose
 * metrics would be wrong (a repeated idx counts an example twice).
 */
public final class LogRows {
    private LogRows() {}

    /**
     * A check for rows with the given header; {@code selected} (may be null) tells which indices the run visits.
     * Each call gives a fresh check (it remembers the indices it has seen).
     */
    public static TsvLog.RowCheck check(List<String> header, IntPredicate selected) {
        int idx = header.indexOf("idx"), label = header.indexOf("label"), predict = header.indexOf("predict"),
                base = header.indexOf("basePredict"), correct = header.indexOf("correct"),
                radius = header.indexOf("radius"), norm = header.indexOf("norm"), samples = header.indexOf("samples"),
                time = header.indexOf("time");
        Set<Integer> seen = new HashSet<>();
        return row -> {
            int i = idx >= 0 ? whole(row, idx, "idx", 0) : -1;
            if (idx >= 0 && !seen.add(i)) {
                throw new IllegalArgumentException("idx " + i + " appears a second time (each example once)");
            }
            if (idx >= 0 && selected != null && !selected.test(i)) {
                throw new IllegalArgumentException("idx " + i + " is not in this run's selection of examples "
                        + "(--skip/--max/--start/--end of its settings)");
            }
            int y = label >= 0 ? whole(row, label, "label", 0) : -1;
            int p = predict >= 0 ? whole(row, predict, "predict", -1) : -1;
            if (base >= 0) {
                whole(row, base, "basePredict", 0);
            }
            if (correct >= 0) {
                String c = row.get(correct);
                if (!c.equals("0") && !c.equals("1")) {
                    throw new IllegalArgumentException("correct must be 0 or 1, got '" + c + "'");
                }
                if (label >= 0 && predict >= 0 && c.equals("1") != (p == y)) {
                    throw new IllegalArgumentException("correct is " + c + " but predict " + p + (p == y ? " equals"
                            : " differs from") + " label " + y);
                }
            }
            if (radius >= 0) {
                double r = finite(row, radius, "radius");
                if (predict >= 0 && p == -1 && r != 0) {
                    throw new IllegalArgumentException("radius " + row.get(radius) + " for an abstention (predict -1),"
                            + " expected 0.0");
                }
            }
            if (norm >= 0) {
                finite(row, norm, "norm");
            }
            if (samples >= 0) {
                whole(row, samples, "samples", 1);
            }
            if (time >= 0) {
                double t = LogFormat.parseElapsed(row.get(time));
                if (!(t >= 0) || Double.isInfinite(t)) {
                    throw new IllegalArgumentException("time must be an elapsed time >= 0, got '" + row.get(time) + "'");
                }
            }
        };
    }

    private static int whole(List<String> row, int col, String name, int min) {
        String v = row.get(col);
        int value;
        try {
            value = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
        }
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    private static double finite(List<String> row, int col, String name) {
        String v = row.get(col);
        double value;
        try {
            value = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'");
        }
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got '" + v + "'");
        }
        return value;
    }
}
