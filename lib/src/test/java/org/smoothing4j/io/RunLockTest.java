package org.smoothing4j.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per log in this JVM too (the cross-process case is in FaultInjectionTest). */
class RunLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondWriterInTheSameJvmIsRefusedUntilTheFirstCloses() throws IOException {
        Path log = dir.resolve("a.tsv");
        try (TsvLog first = TsvLog.open(log, List.of("idx", "x"), Map.of("k", 1), false)) {
            first.append(List.of("0", "a"));
            RunLock.ConcurrentWriterException e = assertThrows(RunLock.ConcurrentWriterException.class,
                    () -> TsvLog.open(log, List.of("idx", "x"), Map.of("k", 1), true));
            assertTrue(e.getMessage().startsWith("log " + log + " is being written by another process (pid "
                    + ProcessHandle.current().pid() + ")"), e.getMessage());
            // reading the log meanwhile (a notebook's analysis) keeps the writer's lock
            assertTrue(TsvLog.read(log, List.of("idx", "x"), TsvLog.RowCheck.NONE).size() == 1);
            assertThrows(RunLock.ConcurrentWriterException.class,
                    () -> TsvLog.open(log, List.of("idx", "x"), Map.of("k", 1), true));
            first.append(List.of("1", "b"));
        }
        try (TsvLog again = TsvLog.open(log, List.of("idx", "x"), Map.of("k", 1), true)) {
            assertTrue(again.existingRows().size() == 2);
        }
        // two names of one file share a lock
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir);
        try (RunLock a = RunLock.forFile(log, "log")) {
            assertThrows(RunLock.ConcurrentWriterException.class, () -> RunLock.forFile(link.resolve("a.tsv"), "log"));
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".lock")), "a lock file beside the log");
        }
    }
}
