package org.smoothing4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.smoothing4j.io.Json;

/**
 * A sweep as given: the base flags of {@code train} and of {@code certify} (or a given model and its data set), and
 * the axes, each a flag with its values, in order. From {@code --train/--certify/--axis} flags or a JSON file:
 * <pre>
 * {"train": "--dataset fashion-mnist --arch lenet --method smoothadv --epochs 3",
 *  "certify": "--n 10000 --skip 50",
 *  "axes": {"sigma": [0.25, 0.5], "eps": [0.25, 0.5, 1.0]}}
 * </pre>
 * Its JSON form is written into the sweep's folder; a resumed sweep must be given the same definition.
 */
record SweepDefinition(List<String> train, List<String> certify, String model, String dataset,
        Map<String, List<String>> axes) {

    SweepDefinition {
        train = List.copyOf(train);
        certify = List.copyOf(certify);
        axes = new LinkedHashMap<>(axes);
        if ((model == null) == train.isEmpty()) {
            throw new IllegalArgumentException("a sweep trains (--train FLAGS) or certifies a given model (--model "
                    + "with --dataset), one of the two");
        }
        if (model != null && dataset == null) {
            throw new IllegalArgumentException("--model needs --dataset");
        }
        if (axes.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one --axis NAME=V1,V2,...");
        }
    }

    /** {@code NAME=V1,V2,...}, as {@code --axis} gives it. */
    static Map.Entry<String, List<String>> axis(String text) {
        int eq = text.indexOf('=');
        if (eq < 1 || eq == text.length() - 1) {
            throw new IllegalArgumentException("--axis must be NAME=V1,V2,... (e.g. sigma=0.25,0.5), got '" + text
                    + "'");
        }
        List<String> values = Arrays.stream(text.substring(eq + 1).split(",")).map(String::strip).toList();
        if (values.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("--axis " + text + " has an empty value");
        }
        return Map.entry(text.substring(0, eq).strip(), values);
    }

    /** Flags as one string split at white space (no quoting: a flag value here holds no spaces). */
    static List<String> words(String flags) {
        return flags == null || flags.isBlank() ? List.of() : List.of(flags.strip().split("\\s+"));
    }

    /** Reads the JSON form (see the class comment); {@code file} names it in errors. */
    static SweepDefinition read(Path file) throws IOException {
        Map<String, Object> doc = Json.read(file);
        for (String key : doc.keySet()) {
            if (!List.of("train", "certify", "model", "dataset", "axes").contains(key)) {
                throw new IllegalArgumentException(file + ": unknown key '" + key + "' (expected train, certify, "
                        + "model, dataset, axes)");
            }
        }
        if (!(doc.get("axes") instanceof Map<?, ?> a)) {
            throw new IllegalArgumentException(file + ": 'axes' must be an object of NAME: [values]");
        }
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : a.entrySet()) {
            if (!(e.getValue() instanceof List<?> values) || values.isEmpty()) {
                throw new IllegalArgumentException(file + ": axis '" + e.getKey() + "' must be a non-empty list");
            }
            axes.put(String.valueOf(e.getKey()), values.stream().map(SweepDefinition::text).toList());
        }
        return new SweepDefinition(flags(doc.get("train"), file, "train"), flags(doc.get("certify"), file, "certify"),
                doc.get("model") == null ? null : String.valueOf(doc.get("model")),
                doc.get("dataset") == null ? null : String.valueOf(doc.get("dataset")), axes);
    }

    private static List<String> flags(Object v, Path file, String key) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return words(s);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(SweepDefinition::text).toList();
        }
        throw new IllegalArgumentException(file + ": '" + key + "' must be a string of flags or a list of them");
    }

    /** A JSON value as a flag's text: whole numbers without a fraction (2, not 2.0). */
    private static String text(Object v) {
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && !Double.isInfinite(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e15) {
            return Long.toString(n.longValue());
        }
        return String.valueOf(v);
    }

    /** The JSON form, as written into the sweep's folder. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train", train);
        m.put("certify", certify);
        if (model != null) {
            m.put("model", model);
            m.put("dataset", dataset);
        }
        m.put("axes", new LinkedHashMap<>(axes));
        return m;
    }

    /** The number of cells: the product of the axes' sizes. */
    int size() {
        int n = 1;
        for (List<String> v : axes.values()) {
            n *= v.size();
        }
        return n;
    }

    static SweepDefinition of(List<String> train, List<String> certify, String model, String dataset,
            List<String> axisFlags) {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (String a : axisFlags == null ? List.<String>of() : axisFlags) {
            Map.Entry<String, List<String>> e = axis(a);
            if (axes.put(e.getKey(), e.getValue()) != null) {
                throw new IllegalArgumentException("--axis " + e.getKey() + " is given twice");
            }
        }
        return new SweepDefinition(new ArrayList<>(train), new ArrayList<>(certify), model, dataset, axes);
    }
}
