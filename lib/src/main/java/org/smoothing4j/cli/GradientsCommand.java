package org.smoothing4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.analysis.TableFormats;
import org.smoothing4j.attack.GradientAgreement;
import org.smoothing4j.attack.GradientSource;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.io.AtomicFiles;
import org.smoothing4j.model.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tech.tablesaw.api.Table;

/** {@code smoothing4j gradients}: agreement of Stein estimates (and backprop with few samples) with backprop. */
@Command(name = "gradients", mixinStandardHelpOptions = true,
        description = "Cosine similarity between gradient estimates of the smooth objective with m noise samples "
                + "(backprop, Stein, Stein with variance reduction) and backprop with --m-ref samples, at clean test "
                + "images; prints the table and writes OUT.csv and OUT.md.")
final class GradientsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, description = "fashion-mnist, mnist, cifar10, or a folder of IDX files")
    String dataset;

    @Option(names = "--model", required = true, description = "a checkpoint written by 'smoothing4j train' (model.zip)")
    Path model;

    @Option(names = "--sigma", required = true, description = "noise level, in [0,1] pixel units")
    double sigma;

    @Option(names = "--m", split = ",", description = "noise samples of the estimates (default: ${DEFAULT-VALUE})")
    int[] ms = {4, 8, 16, 32, 64, 128, 256, 512};

    @Option(names = "--m-ref", description = "noise samples of the backprop reference (default: ${DEFAULT-VALUE})")
    int mReference = 512;

    @Option(names = "--grad", split = ",", description = "sources to compare (default: ${DEFAULT-VALUE})")
    List<String> sources = GradientSource.NAMES;

    @Option(names = "--images", description = "test images (every --skip-th) (default: ${DEFAULT-VALUE})")
    int images = 50;

    @Option(names = "--skip", description = "(default: ${DEFAULT-VALUE})")
    int skip = 200;

    @Option(names = "--seed", description = "(default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--out", description = "write OUT.csv and OUT.md")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("--sigma must be > 0, got " + sigma);
        }
        for (int m : ms) {
            if (m < 2 || m % 2 != 0) {
                throw new IllegalArgumentException("--m values must be even and >= 2 (antithetic pairs), got " + m);
            }
        }
        if (images < 1 || skip < 1) {
            throw new IllegalArgumentException("--images and --skip must be >= 1");
        }
        for (String s : sources) {
            GradientSource.named(s, sigma); // fails clearly on an unknown name
        }
        LabeledImages data = Datasets.load(dataset, Split.TEST);
        Checkpoint.Loaded loaded = Checkpoint.load(model);
        loaded.network().checkInputShape(data.imageShape(), "--dataset " + dataset);
        int count = Math.min(images, (data.size() + skip - 1) / skip);
        long[] idx = new long[count];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            idx[i] = (long) i * skip;
            labels[i] = data.labels()[i * skip];
        }
        INDArray x = data.images().get(org.nd4j.linalg.indexing.NDArrayIndex.indices(idx)).dup();
        Table t = GradientAgreement.table(loaded.network(), x, labels, sigma, sources, ms, mReference, seed);
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
