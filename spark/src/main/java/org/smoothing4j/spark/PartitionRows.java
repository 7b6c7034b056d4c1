package org.smoothing4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.nd4j.linalg.api.ndarray.INDArray;

import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.io.FileHash;
import org.smoothing4j.model.LoadedModel;
import org.smoothing4j.model.Models;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.run.LogRow;
import org.smoothing4j.run.RunPlan;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction2;
import java.io.UncheckedIOException;
import org.smoothing4j.model.Classifier;

/**
 * A task of a distributed run, on an executor: the rows of one partition (a range of the selection's indices), each
 * {@code idx label ... time} exactly as the single-process loop writes it. The model comes from the job's files,
 * checked against the SHA-256 the driver recorded.
 * <p>
 * An executor JVM loads each model (by SHA-256 and --normalize) once, for all its tasks: they run at the same time,
 * so each task computes with its own {@linkplain Classifier#concurrentCopy concurrent copy} (shared weights or ONNX
 * Runtime session, its own buffers), which it closes at its end; a model without concurrent copies, or a run that
 * backpropagates through the network (an attack with backprop gradients), is loaded for the task alone and closed
 * with it. The executor's models are closed when its JVM ends (a shutdown hook): their native
 * memory is held once per model, not once per task. The data set is read once per executor JVM too.
 */
final class PartitionRows extends AbstractFunction2<TaskContext, Iterator<int[]>, ArrayList<List<String>>>
        implements Serializable {
    private static final Map<String, LabeledImages> DATA = new ConcurrentHashMap<>();
    private static final Map<String, LoadedModel> MODELS = new ConcurrentHashMap<>();
    private static final Map<Path, String> SHA256 = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> MODELS.values().forEach(LoadedModel::close),
                "smoothing4j-executor-models"));
    }
    private final TaskSpec task;

    PartitionRows(TaskSpec task) {
        this.task = task;
    }

    @Override
    public ArrayList<List<String>> apply(TaskContext context, Iterator<int[]> chunks) {
        try {
            return rows(chunks);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private ArrayList<List<String>> rows(Iterator<int[]> chunks) throws IOException {
        org.smoothing4j.io.FaultPoints.reach("spark.task"); // lets the tests fail a task, which Spark then reruns
        Path model = Path.of(SparkFiles.get(task.files().get(0)));
        String sha = SHA256.computeIfAbsent(model, PartitionRows::sha256);
        if (!sha.equals(task.modelSha256())) {
            throw new IllegalStateException("the model on this executor (" + model + ", SHA-256 " + sha
                    + ") is not the driver's (" + task.modelSha256() + ")");
        }
        Optional<Classifier> copy = Optional.empty();
        if (!task.run().backprop()) { // backprop needs the network itself: loaded for this task alone
            LoadedModel shared = MODELS.computeIfAbsent(sha + "|" + task.normalize(), key -> load(model));
            synchronized (shared) { // a network makes its ONNX session or layer stack on first use
                copy = shared.classifier().concurrentCopy();
            }
        }
        try (Classifier f = copy.isPresent() ? copy.get() : load(model).classifier();
                RunPlan plan = task.run().plan(f, Map.of())) {
            return rows(plan, chunks);
        }
    }

    private ArrayList<List<String>> rows(RunPlan plan, Iterator<int[]> chunks) {
        ArrayList<List<String>> rows = new ArrayList<>();
        LabeledImages data = task.shipped() == null ? DATA.computeIfAbsent(task.dataset(), PartitionRows::load) : null;
        Map<Integer, Integer> shippedAt = task.shipped() == null ? null : task.shipped().positions();
        while (chunks.hasNext()) {
            for (int idx : chunks.next()) {
                INDArray x;
                int label;
                if (data != null) {
                    x = data.image(idx);
                    label = data.labels()[idx];
                } else {
                    int at = shippedAt.get(idx);
                    x = task.shipped().image(at);
                    label = task.shipped().labels()[at];
                }
                rows.add(LogRow.of(plan, idx, x, label));
            }
        }
        return rows;
    }

    private LoadedModel load(Path model) {
        try {
            return Models.load(model, Optional.ofNullable(task.normalize()).map(Normalization::parse));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) {
        try {
            return FileHash.sha256(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LabeledImages load(String dataset) {
        try {
            return Datasets.load(dataset, Split.TEST);
        } catch (IOException e) {
            throw new IllegalStateException("this executor cannot read --dataset " + dataset + " (" + e.getMessage()
                    + "); set SMOOTHING4J_DATA for the executors or give --ship-data", e);
        }
    }
}
