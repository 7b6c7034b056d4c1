package org.smoothing4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per log or run folder: an exclusive operating-system lock, which goes away with its process (a run
 * killed with {@code kill -9} can be resumed at once), on a lock file of the user's own, {@code
 * ~/.cache/smoothing4j/locks/<hash of the guarded path>.lock} ({@code $XDG_CACHE_HOME} where set). A second writer, in
 * another process or in this JVM, is refused with a message naming the holder's pid.
 * <p>
 * Why not a lock file beside the log: POSIX record locks, which Java uses, are dropped as soon as the process closes
 * <em>any</em> descriptor of the locked file, so every reader of a log in the writing JVM would drop its lock; and a
 * lock file that is removed after use lets two writers in (one locks the removed file, one a new one). These lock
 * files are opened by this class only, never removed, and empty but for the holder's pid and path; none appears
 * beside the user's files, so a refused command creates nothing there. Locks guard one machine and one user.
 */
public final class RunLock implements AutoCloseable {
    /** Lock files held by this JVM: a second writer here is refused before its file is touched (see above). */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks a file that is about to be written (e.g. a log); {@code what} names it in the refusal. */
    public static RunLock forFile(Path guarded, String what) throws IOException {
        Path parent = guarded.toAbsolutePath().getParent();
        if (Files.isDirectory(parent) && !Files.isWritable(parent)) {
            throw new IOException(guarded + ": cannot write in " + parent + " (permission denied)");
        }
        return acquire(canonical(guarded), guarded, what);
    }

    /** Locks a run folder. */
    public static RunLock forFolder(Path dir, String what) throws IOException {
        return acquire(canonical(dir), dir, what);
    }

    /** The absolute path with symbolic links of its existing part resolved, so two names of one file share a lock. */
    private static Path canonical(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null ? abs : existing.toRealPath().resolve(existing.relativize(abs));
    }

    /** The folder of lock files. */
    static Path folder() {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("smoothing4j").resolve("locks");
    }

    private static RunLock acquire(Path canonical, Path guarded, String what) throws IOException {
        Path lockFile = folder().resolve(hash(canonical.toString()) + ".lock");
        if (!HELD.add(lockFile)) {
            throw refused(what, guarded, ProcessHandle.current().pid(), lockFile);
        }
        try {
            Files.createDirectories(lockFile.getParent());
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                String holder = holder(ch);
                ch.close();
                throw refused(what, guarded, holder, lockFile);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\t" + canonical + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            return new RunLock(lockFile, ch, l);
        } catch (IOException | RuntimeException e) {
            HELD.remove(lockFile);
            throw e;
        }
    }

    private static ConcurrentWriterException refused(String what, Path guarded, Object pid, Path lockFile) {
        return new ConcurrentWriterException(what + " " + guarded + " is being written by another process"
                + (String.valueOf(pid).isEmpty() ? "" : " (pid " + pid + ")") + ": wait for it to finish or stop it, "
                + "then --resume (lock " + lockFile + ")");
    }

    /** The pid the holder wrote into the lock file, read through the given channel, or "" if none. */
    private static String holder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(256);
        ch.read(b, 0);
        String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        int tab = text.indexOf('\t');
        return tab > 0 ? text.substring(0, tab) : "";
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Releases the lock (the lock file stays, empty, for the next writer). */
    @Override
    public void close() throws IOException {
        try {
            channel.truncate(0);
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                HELD.remove(file);
            }
        }
    }

    /** A second writer was refused. */
    public static final class ConcurrentWriterException extends IllegalStateException {
        public ConcurrentWriterException(String message) {
            super(message);
        }
    }
}
