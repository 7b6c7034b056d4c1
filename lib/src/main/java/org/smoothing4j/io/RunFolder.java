package org.smoothing4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What training runs into a folder share ({@code train}, {@code denoise}): one process at a time, a refused or failed
 * first run leaves no empty folder, and the epoch log agrees with the checkpoint it resumes from.
 */
public final class RunFolder {
    private RunFolder() {}

    /** A run's body, given the folder (created). */
    @FunctionalInterface
    public interface Body<T> {
        T run() throws IOException;
    }

    /** Runs {@code body} holding the folder's lock; a folder this call created is removed again if left empty. */
    public static <T> T locked(Path dir, String what, Body<T> body) throws IOException {
        boolean created = !Files.exists(dir);
        try (RunLock lock = RunLock.forFolder(dir, what)) {
            try {
                Files.createDirectories(dir);
            } catch (java.nio.file.FileSystemException e) {
                throw new IOException(dir + ": cannot create the folder (" + (e.getReason() != null ? e.getReason()
                        : e.getClass().getSimpleName()) + ")", e);
            }
            return body.run();
        } catch (IOException | RuntimeException e) {
            if (created) {
                try (var left = Files.list(dir)) {
                    if (left.findAny().isEmpty()) {
                        Files.deleteIfExists(dir);
                    }
                } catch (IOException ignored) {
                    // the folder stays; the error that matters is e
                }
            }
            throw e;
        }
    }

    /**
     * Checks that the epoch log has the checkpoint's {@code done} epochs, or one fewer when the run was killed between
     * the checkpoint and its row (which the checkpoint holds as {@code lastRow}: it is appended now).
     */
    public static void reconcile(TsvLog log, int done, List<String> lastRow, Path dir, Path checkpoint)
            throws IOException {
        int logged = log.existingRows().size();
        if (logged > done || logged < done - 1 || logged == done - 1 && lastRow == null) {
            throw new IllegalArgumentException("cannot resume " + dir + ": " + log.file() + " has " + logged
                    + " epochs but the checkpoint " + checkpoint + " is of epoch " + done);
        }
        if (logged == done - 1) {
            log.append(lastRow);
        }
    }
}
