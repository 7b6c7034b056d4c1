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

/**
 * A task of a distributed run, on an executor: the rows of one partition (a range of the selection's indices), each
 * {@code idx label ... time} exactly as the single-process loop writes it. The model comes from the job's files,
 * checked against the SHA-256 the driver recorded; it is loaded once per task (tasks of one executor run at the same
 * time, and smoothing4j's classifiers are not thread-safe), the data set once per executor JVM.
 */
final class PartitionRows extends AbstractFunction2<TaskContext, Iterator<int[]>, ArrayList<List<String>>>
        implements Serializable {
    private static final Map<String, LabeledImages> DATA = new ConcurrentHashMap<>();
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
        String sha = FileHash.sha256(model);
        if (!sha.equals(task.modelSha256())) {
            throw new IllegalStateException("the model on this executor (" + model + ", SHA-256 " + sha
                    + ") is not the driver's (" + task.modelSha256() + ")");
        }
        LoadedModel loaded = Models.load(model, Optional.ofNullable(task.normalize()).map(Normalization::parse));
        RunPlan plan = task.run().plan(loaded.classifier(), Map.of());
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

    private static LabeledImages load(String dataset) {
        try {
            return Datasets.load(dataset, Split.TEST);
        } catch (IOException e) {
            throw new IllegalStateException("this executor cannot read --dataset " + dataset + " (" + e.getMessage()
                    + "); set SMOOTHING4J_DATA for the executors or give --ship-data", e);
        }
    }
}
