package org.smoothing4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file completely or not at all: to a temporary file in the same folder, forced to disk, then renamed over
 * the target (one rename publishes it). The temporary file is created like any other file, so the result has the
 * permissions the user's umask gives (not the 0600 of {@code Files.createTempFile}); it is removed when writing
 * fails.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Something that writes the content of a file. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path file) throws IOException;
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        removeStaleTemporaries(target);
        Path tmp = temporarySibling(target);
        try {
            writer.writeTo(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            FaultPoints.reach("atomic.before-rename");
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writeString(Path target, String content) throws IOException {
        write(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /**
     * Removes what a writer of this target killed before its rename left behind ({@code .NAME.<hex>.tmp} and files
     * derived from it); the caller is the target's one writer (its run holds the {@link RunLock}).
     */
    private static void removeStaleTemporaries(Path target) throws IOException {
        String prefix = "." + target.getFileName() + ".";
        try (var siblings = Files.newDirectoryStream(target.toAbsolutePath().getParent(),
                f -> f.getFileName().toString().startsWith(prefix)
                        && f.getFileName().toString().substring(prefix.length()).matches("[0-9a-f]{1,16}\\.tmp(\\..*)?"))) {
            for (Path stale : siblings) {
                Files.deleteIfExists(stale);
            }
        }
    }

    /**
     * A new empty file {@code .NAME.<random>.tmp} beside the target, created with the default permissions (umask).
     * Hidden and suffixed, so a crash leaves nothing that looks like a result.
     */
    static Path temporarySibling(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + target.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }
}
