package org.smoothing4j.cli;

import static org.smoothing4j.cli.Section.Kind.INPUT;
import static org.smoothing4j.cli.Section.Kind.METHOD;
import static org.smoothing4j.cli.Section.Kind.OUTPUT;
import static org.smoothing4j.cli.Section.Kind.RUN_CONTROL;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.smoothing4j.analysis.CertifiedAccuracy;
import org.smoothing4j.analysis.CertifyLogs;
import org.smoothing4j.analysis.TableFormats;
import org.smoothing4j.grid.Cell;
import org.smoothing4j.grid.CellResult;
import org.smoothing4j.grid.GridResult;
import org.smoothing4j.io.AtomicFiles;
import org.smoothing4j.io.Json;
import org.smoothing4j.io.RunFolder;
import org.smoothing4j.run.RunSpec;
import org.smoothing4j.train.TrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code smoothing4j sweep}: an ablation grid from the command line. Each axis is a flag of {@code train} or of
 * {@code certify} with its values; every cell trains with the base train flags and its values, then certifies the
 * model with the base certify flags (the data set, sigma and noise of its training unless they say otherwise), into
 * {@code OUT/CELL/}; {@code OUT/grid.tsv} is the tidy table ({@link GridResult}). The flags of a cell are parsed by
 * {@code train} and {@code certify} themselves, so a cell is what those commands would run; a cell they refuse, or
 * whose training diverges, is recorded in the table with why, and the others go on.
 */
@Command(name = "sweep", footer = {"%nExample:",
            "  smoothing4j sweep --out sweeps/sigma-eps \\",
            "      --axis sigma=0.25,0.5 --axis eps=0.5,1 \\",
            "      --train '--dataset fashion-mnist --arch lenet' \\",
            "      --train '--method smoothadv --epochs 3' \\",
            "      --certify '--n 10000 --skip 50'"},
        mixinStandardHelpOptions = true,
        description = {"An ablation grid: train and certify every combination of the axes' values, one run folder per "
                + "cell (OUT/CELL/model, OUT/CELL/certify.tsv), and write OUT/grid.tsv: a row per cell and radius with "
                + "the axes' values, certified accuracy and its 95%% band, ACR, clean and noisy accuracy, times, "
                + "samples and status.",
            "An axis is a flag of train or certify (sigma and noise set both; a flag both have, such as batch, is "
                + "written train.batch or certify.batch)."})
final class SweepCommand implements Callable<Integer> {
    /** Placeholders for the flags a sweep sets per cell (a cell's parse needs them; its run uses the real ones). */
    private static final String PLACEHOLDER = "sweep-cell";

    @Spec
    CommandSpec spec;

    @Section(METHOD)
    @Option(names = "--axis", paramLabel = "NAME=V1,V2,...", description = "an axis: a flag of train or certify and "
            + "its values (repeatable; the first is the outermost)")
    List<String> axes = new ArrayList<>();

    @Section(INPUT)
    @Option(names = "--train", paramLabel = "FLAGS", description = "the base flags of train (quoted; "
            + "repeatable, joined in order), e.g. "
            + "'--dataset fashion-mnist --arch lenet --method smoothadv --epochs 3'")
    List<String> train = new ArrayList<>();

    @Section(METHOD)
    @Option(names = "--certify", paramLabel = "FLAGS", description = "the base flags of certify (quoted; "
            + "repeatable), e.g. "
            + "'--n 10000 --skip 50' or '--radii 0,0.25,0.5,0.75,1 --skip 50'; default CERTIFY at n = 100,000")
    List<String> certify = new ArrayList<>();

    @Section(INPUT)
    @Option(names = "--model", description = "certify this model (a checkpoint or an ONNX file) in every cell instead "
            + "of training one: the axes are certify's flags")
    String model;

    @Section(INPUT)
    @Option(names = "--dataset", description = "with --model: its data set")
    String dataset;

    @Section(INPUT)
    @Option(names = "--grid", paramLabel = "FILE", description = "the sweep as JSON instead of the flags above: "
            + "{\"train\": \"FLAGS\", \"certify\": \"FLAGS\", \"axes\": {\"sigma\": [0.25, 0.5], ...}}")
    Path grid;

    @Section(OUTPUT)
    @Option(names = "--out", required = true, description = "the sweep's folder: a run folder per cell, sweep.json, "
            + "grid.tsv")
    Path out;

    @Section(RUN_CONTROL)
    @Option(names = "--resume", description = "continue the sweep in --out (the same definition): cells done are "
            + "reused, a killed one continues")
    boolean resume;

    private Engine engine = Engine.LOCAL;

    /** Runs the cells on another engine (set by {@link Main#commandLine(Engine)}). */
    void use(Engine e) {
        engine = e;
    }

    @Override
    public Integer call() throws Exception {
        SweepDefinition d = definition();
        List<Cell> cells = cells(d);
        PrintWriter err = spec.commandLine().getErr();
        List<CellResult> results = RunFolder.locked(out, "sweep", () -> {
            Path definitionFile = out.resolve("sweep.json");
            if (Files.exists(definitionFile)) {
                if (!resume) {
                    throw new IllegalArgumentException(out + " already holds a sweep (" + definitionFile + "): pass "
                            + "--resume to continue it, or choose another --out");
                }
                if (!Json.read(definitionFile).equals(Json.normalize(d.toMap()))) {
                    throw new IllegalArgumentException("cannot resume " + out + ": its sweep.json is another sweep ("
                            + Json.read(definitionFile) + "); choose another --out");
                }
            } else {
                Json.writeAtomically(definitionFile, d.toMap());
            }
            err.printf("sweep: %d cells into %s%n", cells.size(), out);
            SweepReport report = new SweepReport(cells, err);
            List<CellResult> r = engine.sweep(new Engine.Sweep(cells, out, report, err));
            AtomicFiles.writeString(out.resolve("grid.tsv"), GridResult.of(cells, r).tsv());
            return r;
        });
        print(cells, results);
        return 0;
    }

    private SweepDefinition definition() throws IOException {
        if (grid != null) {
            if (!train.isEmpty() || !certify.isEmpty() || model != null || dataset != null || !axes.isEmpty()) {
                throw new IllegalArgumentException("--grid holds the whole sweep: give it alone, without --train, "
                        + "--certify, --model, --dataset or --axis");
            }
            return SweepDefinition.read(grid);
        }
        return SweepDefinition.of(SweepDefinition.words(String.join(" ", train)),
                SweepDefinition.words(String.join(" ", certify)), model, dataset, axes);
    }

    /** The stage an axis's flag belongs to. */
    private enum Stage { TRAIN, CERTIFY, BOTH }

    /** Every combination of the axes' values as a cell (a refused one with why); axes that are no flag are refused. */
    static List<Cell> cells(SweepDefinition d) {
        CommandSpec trainSpec = new CommandLine(new TrainCommand()).getCommandSpec();
        CommandSpec certifySpec = new CommandLine(new CertifyCommand()).getCommandSpec();
        for (List<String> base : List.of(d.train(), d.certify())) {
            for (String flag : List.of("--out", "--resume", "--model")) {
                if (base.contains(flag) && !(flag.equals("--model") && base == d.train())) {
                    throw new IllegalArgumentException("--train/--certify must not give " + flag + ": the sweep sets "
                            + "it for each cell");
                }
            }
        }
        Map<String, Stage> stages = new LinkedHashMap<>();
        Map<String, String> flags = new LinkedHashMap<>();
        for (String name : d.axes().keySet()) {
            String flag = name.replaceFirst("^(train|certify)\\.", "");
            boolean inTrain = trainSpec.findOption("--" + flag) != null;
            boolean inCertify = certifySpec.findOption("--" + flag) != null;
            Stage stage;
            if (name.startsWith("train.") || name.startsWith("certify.")) {
                stage = name.startsWith("train.") ? Stage.TRAIN : Stage.CERTIFY;
                if (!(stage == Stage.TRAIN ? inTrain : inCertify)) {
                    throw new IllegalArgumentException("axis " + name + ": --" + flag + " is not a flag of "
                            + stage.name().toLowerCase(java.util.Locale.ROOT));
                }
            } else if (inTrain && inCertify) {
                if (!List.of("sigma", "noise").contains(flag)) {
                    throw new IllegalArgumentException("axis " + name + ": --" + flag + " is a flag of both train and "
                            + "certify: write train." + flag + " or certify." + flag);
                }
                stage = Stage.BOTH;
            } else if (inTrain || inCertify) {
                stage = inTrain ? Stage.TRAIN : Stage.CERTIFY;
            } else {
                throw new IllegalArgumentException("axis " + name + ": --" + flag + " is not a flag of train or "
                        + "certify (see smoothing4j train --help, smoothing4j certify --help)");
            }
            if (d.model() != null && stage != Stage.CERTIFY) {
                throw new IllegalArgumentException("axis " + name + " sets training, but the sweep certifies a given "
                        + "--model: its axes are certify's flags");
            }
            stages.put(name, stage == Stage.BOTH && d.model() != null ? Stage.CERTIFY : stage);
            flags.put(name, "--" + flag);
        }
        List<String> names = List.copyOf(d.axes().keySet());
        List<Cell> cells = new ArrayList<>();
        int[] at = new int[names.size()];
        while (true) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int k = 0; k < names.size(); k++) {
                values.put(names.get(k), d.axes().get(names.get(k)).get(at[k]));
            }
            cells.add(cell(d, values, stages, flags));
            int k = names.size() - 1;
            while (k >= 0 && ++at[k] == d.axes().get(names.get(k)).size()) {
                at[k--] = 0;
            }
            if (k < 0) {
                return cells;
            }
        }
    }

    private static Cell cell(SweepDefinition d, Map<String, String> values, Map<String, Stage> stages,
            Map<String, String> flags) {
        String name = Cell.folderName(values);
        List<String> trainArgs = new ArrayList<>(d.train());
        List<String> certifyArgs = new ArrayList<>(d.certify());
        for (Map.Entry<String, String> v : values.entrySet()) {
            Stage s = stages.get(v.getKey());
            if (s != Stage.CERTIFY) {
                trainArgs.addAll(List.of(flags.get(v.getKey()), v.getValue()));
            }
            if (s != Stage.TRAIN) {
                certifyArgs.addAll(List.of(flags.get(v.getKey()), v.getValue()));
            }
        }
        try {
            TrainConfig tc = null;
            String data = d.dataset();
            if (d.model() == null) {
                TrainCommand t = new TrainCommand();
                new CommandLine(t).parseArgs(with(trainArgs, "--out", PLACEHOLDER).toArray(String[]::new));
                tc = t.config();
                data = tc.dataset();
                certifyArgs = with(certifyArgs, "--sigma", Double.toString(tc.sigma()));
                certifyArgs = with(certifyArgs, "--noise", tc.recipe().noise().id());
            }
            certifyArgs = with(certifyArgs, "--dataset", data);
            certifyArgs = with(certifyArgs, "--model", d.model() != null ? d.model() : PLACEHOLDER);
            CertifyCommand c = new CertifyCommand();
            new CommandLine(c).parseArgs(with(certifyArgs, "--out", PLACEHOLDER).toArray(String[]::new));
            RunSpec spec = c.spec();
            return new Cell(name, values, tc, d.model(), data, spec, null);
        } catch (IllegalArgumentException | CommandLine.ParameterException e) {
            return new Cell(name, values, null, d.model(), d.dataset(), null, e.getMessage());
        }
    }

    /** The flags with {@code flag value} added unless they give the flag already. */
    private static List<String> with(List<String> args, String flag, String value) {
        if (args.contains(flag)) {
            return args;
        }
        List<String> out = new ArrayList<>(args);
        out.addAll(List.of(flag, value));
        return out;
    }

    /** The summary of the cells that ran (as analyze prints it) and the cells that failed. */
    private void print(List<Cell> cells, List<CellResult> results) throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        List<tech.tablesaw.api.Table> tables = new ArrayList<>();
        double[] radii = null;
        for (int i = 0; i < cells.size(); i++) {
            if (results.get(i).ok()) {
                CertifyLogs.Log log = CertifyLogs.load(Path.of(results.get(i).log())).labelled(cells.get(i).label());
                tables.add(log.table());
                radii = radii != null ? radii : log.sequential() ? log.exactRadii()
                        : CertifiedAccuracy.grid(1.0, 0.25);
            }
        }
        if (!tables.isEmpty()) {
            o.print(TableFormats.text(CertifiedAccuracy.summary(tables, radii)));
        }
        for (int i = 0; i < cells.size(); i++) {
            if (!results.get(i).ok()) {
                o.println("failed: " + cells.get(i).label() + ": " + results.get(i).failure());
            }
        }
        o.println("sweep table: " + out.resolve("grid.tsv"));
        o.flush();
    }
}
