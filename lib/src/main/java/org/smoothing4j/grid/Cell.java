package org.smoothing4j.grid;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.smoothing4j.run.RunSpec;
import org.smoothing4j.train.TrainConfig;

/**
 * One cell of a grid, fully resolved (serializable: a Spark task runs it as it is): the axes' values, the training run
 * (or the given model it certifies) and the certification. A combination the settings refuse is a cell too, with the
 * reason, so that the grid's table records it and the other cells go on.
 *
 * @param name    a folder name made of the axes' values ({@code sigma=0.5_eps=1.0})
 * @param axes    each axis's value, in the grid's order, as the table shows it
 * @param train   the training run, or null when the grid certifies a given model
 * @param model   the given model (a checkpoint or an ONNX file), or null when the cell trains one
 * @param dataset the data set certified on (the training run's)
 * @param certify the certification, or null when refused
 * @param refused why the settings refuse this combination, or null
 */
public record Cell(String name, Map<String, String> axes, TrainConfig train, String model, String dataset,
        RunSpec certify, String refused) implements Serializable {

    public Cell {
        axes = new LinkedHashMap<>(axes); // in order, and serializable
    }

    @Override
    public Map<String, String> axes() {
        return new LinkedHashMap<>(axes);
    }

    /** The folder name of a combination of axis values: {@code name=value} joined by '_', unsafe characters as '-'. */
    public static String folderName(Map<String, String> axes) {
        if (axes.isEmpty()) {
            return "cell";
        }
        return axes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .map(s -> s.replaceAll("[^A-Za-z0-9.=+-]", "-")).collect(Collectors.joining("_"));
    }

    /** A label for tables and legends: {@code sigma=0.5 eps=1.0}. */
    public String label() {
        return axes.isEmpty() ? name : axes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
