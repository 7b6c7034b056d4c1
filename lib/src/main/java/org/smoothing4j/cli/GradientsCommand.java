package org.smoothing4j.cli;

import static org.smoothing4j.cli.Section.Kind.INPUT;
import static org.smoothing4j.cli.Section.Kind.METHOD;
import static org.smoothing4j.cli.Section.Kind.OUTPUT;
import static org.smoothing4j.cli.Section.Kind.RUN_CONTROL;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.analysis.TableFormats;
import org.smoothing4j.attack.GradientAgreement;
import org.smoothing4j.attack.GradientSource;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.io.AtomicFiles;
import org.smoothing4j.model.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.Table;

/** {@code smoothing4j gradients}: agreement of Stein estimates (and backprop with few samples) with backprop. */
@Command(name = "gradients", footer = {"%nExample:",
            "  smoothing4j gradients --dataset fashion-mnist \\",
            "      --model runs/gauss/model.zip --sigma 0.5 --out gradients"},
        mixinStandardHelpOptions = true,
        description = "Cosine similarity between gradient estimates of the smooth objective with m noise samples "
                + "(backprop, Stein, Stein with variance reduction) and backprop with --m-ref samples, at clean test "
                + "images; prints the table and writes OUT.csv and OUT.md.")
final class GradientsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions target = new ModelOptions();

    @Section(METHOD)
    @Option(names = "--m", split = ",", description = "noise samples of the estimates (default: ${DEFAULT-VALUE})")
    int[] ms = {4, 8, 16, 32, 64, 128, 256, 512};

    @Section(METHOD)
    @Option(names = "--m-ref", description = "noise samples of the backprop reference (default: ${DEFAULT-VALUE})")
    int mReference = 512;

    @Section(METHOD)
    @Option(names = "--grad", split = ",", description = "sources to compare (default: ${DEFAULT-VALUE})")
    List<String> sources = GradientSource.NAMES;
    // (for an ONNX model give --grad without backprop: its gradients are forward-only)

    @Section(INPUT)
    @Option(names = "--images", description = "test images (every --skip-th) (default: ${DEFAULT-VALUE})")
    int images = 50;

    @Section(INPUT)
    @Option(names = "--skip", description = "(default: ${DEFAULT-VALUE})")
    int skip = 200;

    @Section(RUN_CONTROL)
    @Option(names = "--seed", description = "(default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Section(OUTPUT)
    @Option(names = "--out", description = "write OUT.csv and OUT.md")
    Path out;

    @Override
    public Integer call() throws Exception {
        for (int m : ms) {
            if (m < 2 || m % 2 != 0) {
                throw new IllegalArgumentException("--m values must be even and >= 2 (antithetic pairs), got " + m);
            }
        }
        if (images < 1 || skip < 1) {
            throw new IllegalArgumentException("--images and --skip must be >= 1");
        }
        sources.forEach(GradientSource::requireKnown); // before the slow loading
        ModelOptions.Loaded loaded = target.load(new org.smoothing4j.certify.ExampleSelection(skip, -1, 0, -1), seed,
                spec.commandLine().getErr());
        try (LoadedModel model = loaded.model()) {
            return compare(loaded);
        }
    }

    private int compare(ModelOptions.Loaded loaded) throws IOException {
        boolean backprop = loaded.model().network().isPresent();
        if (!backprop && !spec.commandLine().getParseResult().hasMatchedOption("--grad")) {
            sources = sources.stream().filter(n -> !n.equals("backprop")).toList();
        }
        if (!backprop && sources.contains("backprop")) {
            throw new IllegalArgumentException("--grad backprop needs a smoothing4j checkpoint: " + target.model
                    + " is an ONNX model (inference only); compare the Stein estimators with --grad "
                    + "stein,stein-baseline,stein-antithetic");
        }
        LabeledImages data = loaded.data();
        int count = Math.min(images, (data.size() + skip - 1) / skip);
        long[] idx = new long[count];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            idx[i] = (long) i * skip;
            labels[i] = data.labels()[i * skip];
        }
        INDArray x = data.images().get(org.nd4j.linalg.indexing.NDArrayIndex.indices(idx)).dup();
        // without backprop (an ONNX model) the reference is the antithetic Stein estimator at --m-ref samples
        Table t = GradientAgreement.table(loaded.model().classifier(), x, labels, target.sigma, sources, ms,
                backprop ? "backprop" : "stein-antithetic", mReference, seed);
        PrintWriter w = spec.commandLine().getOut();
        w.print(TableFormats.format(t, TableFormats.Format.TEXT));
        if (out != null) {
            Path base = out.toAbsolutePath();
            Files.createDirectories(base.getParent());
            AtomicFiles.writeString(base.resolveSibling(base.getFileName() + ".csv"), TableFormats.csv(t));
            AtomicFiles.writeString(base.resolveSibling(base.getFileName() + ".md"), TableFormats.markdown(t));
            w.println("table: " + base + ".csv (and .md)");
        }
        w.flush();
        return 0;
    }
}
