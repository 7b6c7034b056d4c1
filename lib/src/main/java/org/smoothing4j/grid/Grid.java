package org.smoothing4j.grid;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.smoothing4j.run.RunSpec;
import org.smoothing4j.train.TrainConfig;

/**
 * An ablation grid: a base setting and axes over it; its cells are the product of the axes' values (the first axis
 * outermost), each a training run and its certification, or the certification of a given model. The base
 * certification is a function of each cell's training settings, so that it follows an axis over sigma or the noise
 * (e.g. the target radii up to 3 sigma). Immutable: {@link #over} returns a new grid.
 */
public final class Grid {
    private final TrainConfig train;
    private final Function<TrainConfig, RunSpec> certification;
    private final String model;
    private final String dataset;
    private final RunSpec modelCertification;
    private final List<Axis<?>> axes;

    private Grid(TrainConfig train, Function<TrainConfig, RunSpec> certification, String model, String dataset,
            RunSpec modelCertification, List<Axis<?>> axes) {
        this.train = train;
        this.certification = certification;
        this.model = model;
        this.dataset = dataset;
        this.modelCertification = modelCertification;
        this.axes = List.copyOf(axes);
    }

    /** Cells that train {@code base} (with the axes' values) and certify each model as {@code certification} says. */
    public static Grid of(TrainConfig base, Function<TrainConfig, RunSpec> certification) {
        if (base == null || certification == null) {
            throw new IllegalArgumentException("a grid needs its base training settings and its certification");
        }
        return new Grid(base, certification, null, base.dataset(), null, List.of());
    }

    /** Cells that certify a given model (a checkpoint or an ONNX file) on a data set: axes over certification only. */
    public static Grid ofModel(Path model, String dataset, RunSpec certification) {
        if (model == null || dataset == null || certification == null) {
            throw new IllegalArgumentException("a grid over a given model needs the model, its data set and the "
                    + "certification");
        }
        return new Grid(null, null, model.toString(), dataset, certification, List.of());
    }

    /** This grid with more axes (their names distinct from each other and from this grid's). */
    public Grid over(Axis<?>... more) {
        List<Axis<?>> all = new ArrayList<>(axes);
        Set<String> names = new HashSet<>();
        axes.forEach(a -> names.add(a.name()));
        for (Axis<?> a : more) {
            if (!names.add(a.name())) {
                throw new IllegalArgumentException("the grid has two axes named " + a.name());
            }
            if (a.training() && train == null) {
                throw new IllegalArgumentException("axis " + a.name() + " sets training, but this grid certifies a "
                        + "given model (" + model + ")");
            }
            all.add(a);
        }
        return new Grid(train, certification, model, dataset, modelCertification, all);
    }

    public List<Axis<?>> axes() {
        return axes;
    }

    /** The cells: every combination of the axes' values, the last axis varying fastest. */
    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        int[] at = new int[axes.size()];
        while (true) {
            cells.add(cell(at));
            int k = axes.size() - 1;
            while (k >= 0 && ++at[k] == axes.get(k).values().size()) {
                at[k--] = 0;
            }
            if (k < 0) {
                return cells;
            }
        }
    }

    private Cell cell(int[] at) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int k = 0; k < axes.size(); k++) {
            values.put(axes.get(k).name(), String.valueOf(axes.get(k).values().get(at[k])));
        }
        String name = Cell.folderName(values);
        try {
            TrainConfig c = train;
            for (int k = 0; k < axes.size(); k++) {
                if (axes.get(k).training()) {
                    c = axes.get(k).apply(c, axes.get(k).values().get(at[k]));
                }
            }
            RunSpec s = c != null ? certification.apply(c) : modelCertification;
            for (int k = 0; k < axes.size(); k++) {
                if (!axes.get(k).training()) {
                    s = axes.get(k).apply(s, axes.get(k).values().get(at[k]));
                }
            }
            return new Cell(name, values, c, model, c != null ? c.dataset() : dataset, s, null);
        } catch (IllegalArgumentException e) {
            return new Cell(name, values, null, model, dataset, null, CellRun.reason(e));
        }
    }
}
