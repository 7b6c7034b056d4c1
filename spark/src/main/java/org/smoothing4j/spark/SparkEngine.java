package org.smoothing4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.smoothing4j.certify.ExampleSelection;
import org.smoothing4j.cli.Engine;
import org.smoothing4j.io.FileHash;
import org.smoothing4j.io.Progress;
import org.smoothing4j.io.TsvLog;
import org.smoothing4j.model.Models;
import org.smoothing4j.model.dl4j.Checkpoint;
import org.smoothing4j.run.ExampleLoop;
import org.smoothing4j.run.RunPlan;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;
import org.smoothing4j.grid.Cell;
import org.smoothing4j.grid.CellResult;

/**
 * Runs a command line's job on Apache Spark: the indices still missing from the log are split into contiguous ranges,
 * one partition each; every task computes its range's rows with the library's own per-example step ({@link
 * PartitionRows}); the driver, holding the log's lock, appends each partition's rows as soon as it and every earlier
 * partition are done, so the log is in index order, a killed job keeps every row written and its rerun with --resume
 * computes only the missing indices. Spark hands the driver one result per partition even when it reruns a task (a
 * lost executor), so no row is written twice. Rows do not depend on how the indices are split: each example's noise
 * comes from (seed, index).
 */
final class SparkEngine implements Engine {
    private final Supplier<JavaSparkContext> context;
    private final int partitions;
    private final boolean shipData;

    /**
     * @param partitions ranges to split the missing indices into (0: four per core Spark offers)
     * @param shipData   send the selected images to the executors instead of having them read the data set
     */
    SparkEngine(Supplier<JavaSparkContext> context, int partitions, boolean shipData) {
        this.context = context;
        this.partitions = partitions;
        this.shipData = shipData;
    }

    @Override
    public Path run(Job job) throws IOException {
        RunPlan plan = job.spec().plan(job.model().classifier(), job.describe());
        ExampleSelection selection = job.spec().config().selection();
        try (TsvLog log = ExampleLoop.openLog(job.out(), plan.header(), plan.settings(), job.resume(), selection,
                job.data())) {
            int[] todo = ExampleLoop.todo(job.data().size(), selection, log);
            if (todo.length == 0) {
                return job.out();
            }
            JavaSparkContext sc = context.get();
            List<String> files = ship(sc, job.modelFile());
            TaskSpec task = new TaskSpec(job.spec(), files, FileHash.sha256(job.modelFile()), job.normalize(),
                    job.dataset(), shipData ? ShippedImages.of(job.data(), todo) : null);
            int parts = Math.max(1, Math.min(todo.length, partitions > 0 ? partitions : 4 * sc.defaultParallelism()));
            List<int[]> ranges = split(todo, parts);
            JavaRDD<int[]> rdd = sc.parallelize(ranges, ranges.size());
            List<Object> all = new ArrayList<>();
            for (int p = 0; p < ranges.size(); p++) {
                all.add(p);
            }
            try (Progress bar = job.progress().apply(todo.length)) {
                Writer writer = new Writer(log, ranges, bar);
                try {
                    sc.sc().runJob(rdd.rdd(), new PartitionRows(task), CollectionConverters.asScala(all).toSeq(),
                            writer, ClassTag$.MODULE$.apply(ArrayList.class));
                } catch (RuntimeException e) { // Spark's job failures: the log keeps every row written; --resume goes on
                    writer.rethrowWriteFailure();
                    throw new IOException("the Spark job failed after " + writer.written + " of " + todo.length
                            + " examples (" + firstLine(e) + "); rerun with --resume to compute the rest", e);
                }
                writer.checkComplete();
            }
        }
        return job.out();
    }

    /**
     * A sweep's cells as Spark tasks, one partition per cell ({@link CellTask}); each cell's run folder is written by
     * its executor under the sweep's root, which must be a path every executor sees (this machine's folder for
     * local[N]; a shared file system on a cluster). The driver reports each cell as it ends and returns the results in
     * the cells' order, so its table is the local sweep's.
     */
    @Override
    public List<CellResult> sweep(Sweep sweep) throws IOException {
        List<Cell> cells = sweep.cells();
        JavaSparkContext sc = context.get();
        JavaRDD<Cell> rdd = sc.parallelize(cells, cells.size());
        CellResult[] results = new CellResult[cells.size()];
        List<Object> all = new ArrayList<>();
        for (int p = 0; p < cells.size(); p++) {
            all.add(p);
            sweep.report().started(p);
        }
        AbstractFunction2<Object, CellResult, BoxedUnit> collect = new AbstractFunction2<>() {
            @Override
            public BoxedUnit apply(Object partition, CellResult r) {
                int p = (Integer) partition;
                synchronized (results) {
                    if (results[p] == null) {
                        results[p] = r;
                        sweep.report().finished(p, r);
                    }
                }
                return BoxedUnit.UNIT;
            }
        };
        try {
            sc.sc().runJob(rdd.rdd(), new CellTask(sweep.root()), CollectionConverters.asScala(all).toSeq(), collect,
                    ClassTag$.MODULE$.apply(CellResult.class));
        } catch (RuntimeException e) {
            long done = java.util.Arrays.stream(results).filter(java.util.Objects::nonNull).count();
            throw new IOException("the Spark sweep failed after " + done + " of " + cells.size() + " cells ("
                    + firstLine(e) + "); rerun with --resume to run the rest", e);
        }
        return List.of(results);
    }

    private static String firstLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = String.valueOf(t.getMessage());
        m = m.lines().findFirst().orElse(m);
        return m.length() > 300 ? m.substring(0, 297) + "..." : m;
    }

    /** Ships the model file (and a checkpoint's metadata file beside it); returns their names, the model first. */
    private static List<String> ship(JavaSparkContext sc, Path model) {
        List<String> names = new ArrayList<>(List.of(model.getFileName().toString()));
        sc.addFile(model.toAbsolutePath().toString());
        Path beside = Checkpoint.metadataFile(model);
        if (!Models.isOnnx(model) && Files.isRegularFile(beside)) {
            sc.addFile(beside.toAbsolutePath().toString());
            names.add(beside.getFileName().toString());
        }
        return names;
    }

    /** The indices in {@code parts} contiguous ranges of (nearly) equal size, in order. */
    static List<int[]> split(int[] todo, int parts) {
        List<int[]> ranges = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) todo.length * p / parts), to = (int) ((long) todo.length * (p + 1) / parts);
            if (to > from) {
                ranges.add(Arrays.copyOfRange(todo, from, to));
            }
        }
        return ranges;
    }

    /**
     * Called on the driver as each partition's rows arrive (in any order): writes every partition whose predecessors
     * are written, and moves the run's progress line (examples computed, and how many of them are written in index
     * order).
     */
    private static final class Writer extends AbstractFunction2<Object, ArrayList<List<String>>, BoxedUnit> {
        private final TsvLog log;
        private final List<int[]> ranges;
        private final Progress bar;
        private final List<List<List<String>>> arrived;
        private int next;
        private long written;
        private IOException failure;

        Writer(TsvLog log, List<int[]> ranges, Progress bar) {
            this.log = log;
            this.ranges = ranges;
            this.bar = bar;
            this.arrived = new ArrayList<>();
            for (int i = 0; i < ranges.size(); i++) {
                arrived.add(null);
            }
        }

        @Override
        public synchronized BoxedUnit apply(Object partition, ArrayList<List<String>> rows) {
            int p = (Integer) partition;
            if (arrived.get(p) != null || p < next) {
                return BoxedUnit.UNIT; // a partition's rows once only
            }
            arrived.set(p, rows);
            try {
                while (next < arrived.size() && arrived.get(next) != null) {
                    for (List<String> row : arrived.get(next)) {
                        log.append(row);
                    }
                    written += arrived.get(next).size();
                    arrived.set(next, List.of());
                    next++;
                }
            } catch (IOException e) {
                failure = e;
                throw new UncheckedIOException(e);
            }
            bar.message(written + " written in index order");
            for (int i = 0; i < rows.size(); i++) {
                bar.step();
            }
            return BoxedUnit.UNIT;
        }

        /** Throws the error the writer met appending rows, if any. */
        void rethrowWriteFailure() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }

        /** After the job: every partition written, or the error. */
        void checkComplete() throws IOException {
            rethrowWriteFailure();
            if (next != ranges.size()) {
                throw new IOException("the Spark job ended with " + (ranges.size() - next) + " partition(s) unwritten");
            }
        }
    }
}
