package org.smoothing4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.smoothing4j.io.RunLock;
import org.smoothing4j.train.TrainingDivergedException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Turns the errors a user can fix (bad flag values, unreadable or malformed files, a log another process is
 * writing, diverged training, too little memory for the batch) into one clear line on stderr and exit code 2;
 * anything else is a bug and keeps its stack trace.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) throws Exception {
        if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof RunLock.ConcurrentWriterException || e instanceof TrainingDivergedException) {
            Throwable shown = e instanceof UncheckedIOException u ? u.getCause() : e;
            cmd.getErr().println(cmd.getCommandName() + ": error: " + message(shown));
            return 2;
        }
        throw e;
    }

    /** The exception's message; for the JDK's exceptions that carry only a path (e.g. NoSuchFileException), more. */
    private static String message(Throwable e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException n && (m == null || m.equals(n.getFile()))) {
            return n.getFile() + ": no such file or folder";
        }
        if (e instanceof java.nio.file.AccessDeniedException a && (m == null || m.equals(a.getFile()))) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && m != null && m.equals(f.getFile())) {
            return f.getFile() + ": " + (f.getReason() == null ? e.getClass().getSimpleName() : f.getReason());
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
