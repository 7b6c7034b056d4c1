package org.smoothing4j.io;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * A resumable training run into a folder, epoch by epoch ({@code train}, {@code denoise}): the checkpoint, rewritten
 * atomically after every epoch, and the epoch log beside it. The skeleton is here; what is trained, and how it is
 * saved and loaded, is the subclass's. One process trains into a folder at a time ({@link RunFolder#locked}). Without
 * {@code resume} the folder must not hold a checkpoint; with it, training continues after the last checkpointed epoch.
 * After a kill at any instant, a resumed run continues from the last complete checkpoint (a kill between a checkpoint
 * and its log row leaves the row in the checkpoint, from where it is written to the log), so the final weights and
 * rows but for times equal an uninterrupted run's.
 */
public abstract class EpochRun {
    private final String what;
    private final String holds;
    private final String checkpointFile;
    private final String logFile;
    private final List<String> header;
    private final String savedFaultPoint;

    /**
     * @param what            the run, in messages and the folder's lock ("training run")
     * @param holds           what a checkpoint is, in the refusal to overwrite one ("a checkpoint")
     * @param checkpointFile  the checkpoint's file name in the folder
     * @param logFile         the epoch log's file name
     * @param header          the epoch log's header; its first column is the epoch, 1, 2, 3, ...
     * @param savedFaultPoint the fault point reached between a checkpoint and its log row ({@link FaultPoints})
     */
    protected EpochRun(String what, String holds, String checkpointFile, String logFile, List<String> header,
            String savedFaultPoint) {
        this.what = what;
        this.holds = holds;
        this.checkpointFile = checkpointFile;
        this.logFile = logFile;
        this.header = List.copyOf(header);
        this.savedFaultPoint = savedFaultPoint;
    }

    /** A resumed run's checkpoint: how many epochs it holds, and the last one's log row (null where it has none). */
    public record Resumed(int done, List<String> lastRow) {}

    /** The settings the log stores and a resumed run must match (all but the number of epochs, which may grow). */
    protected abstract Map<String, Object> settings();

    /** The epochs to train in all. */
    protected abstract int epochs();

    /** Loads the checkpoint of a resumed run (refusing one of other settings) and makes it the state to train. */
    protected abstract Resumed resume(Path checkpoint, Path dir, PrintStream out) throws IOException;

    /** Makes a fresh state to train (no checkpoint yet). */
    protected abstract void start() throws IOException;

    /** Trains epoch {@code epoch} (1-based); returns its log row. */
    protected abstract List<String> epoch(int epoch, LongFunction<Progress> progress) throws IOException;

    /** Saves the state after an epoch, whose log row is {@code row}, into the checkpoint, atomically. */
    protected abstract void save(int epoch, List<String> row, Path checkpoint) throws IOException;

    /** Frees what the state holds natively (called when a run ends, the checkpoint saved). */
    protected abstract void release();

    /** Trains into {@code dir} (see the class comment); returns the final checkpoint. */
    public Path run(Path dir, boolean resume, LongFunction<Progress> progress, PrintStream out) throws IOException {
        try {
            return RunFolder.locked(dir, what, () -> runLocked(dir, resume, progress, out));
        } finally {
            release();
        }
    }

    private Path runLocked(Path dir, boolean resume, LongFunction<Progress> progress, PrintStream out)
            throws IOException {
        Path checkpoint = dir.resolve(checkpointFile);
        Path log = dir.resolve(logFile);
        Map<String, Object> settings = new LinkedHashMap<>(settings());
        settings.remove("epochs"); // a resumed run may be extended
        int done = 0;
        List<String> lastRow = null;
        if (Files.exists(checkpoint)) {
            if (!resume) {
                throw new IllegalArgumentException(dir + " already holds " + holds + " (" + checkpoint + "): pass "
                        + "--resume to continue it, or choose another --out");
            }
            Resumed r = resume(checkpoint, dir, out);
            done = r.done();
            lastRow = r.lastRow();
            out.printf("resuming %s: epoch %d of %d is done, continuing with epoch %d%n", checkpoint, done, epochs(),
                    done + 1);
        } else {
            if (resume && Files.exists(log) && !TsvLog.read(log, header, TsvLog.RowCheck.NONE).isEmpty()) {
                throw new IllegalArgumentException("cannot resume " + dir + ": " + log + " has finished epochs but "
                        + "there is no checkpoint " + checkpoint + " to continue from");
            }
            start();
        }
        try (TsvLog tsv = TsvLog.open(log, header, settings, resume, EpochRun::epochRows)) {
            RunFolder.reconcile(tsv, done, lastRow, dir, checkpoint);
            out.println(String.join("\t", header));
            for (int epoch = done + 1; epoch <= epochs(); epoch++) {
                List<String> row = epoch(epoch, progress);
                save(epoch, row, checkpoint);
                FaultPoints.reach(savedFaultPoint);
                tsv.append(row);
                out.println(String.join("\t", row));
            }
        }
        return checkpoint;
    }

    /** Rows of an epoch log: epochs 1, 2, 3, ... in order. */
    private static TsvLog.RowCheck epochRows() {
        int[] expected = {1};
        return row -> {
            if (!row.get(0).equals(Integer.toString(expected[0]))) {
                throw new IllegalArgumentException("epoch '" + row.get(0) + "', expected " + expected[0]
                        + " (rows are epochs 1, 2, 3, ... in order)");
            }
            expected[0]++;
        };
    }
}
