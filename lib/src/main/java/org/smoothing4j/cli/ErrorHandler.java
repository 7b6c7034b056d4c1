package org.smoothing4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the errors a user can fix (bad flag values, unreadable or malformed files) into one clear line on
 * stderr and exit code 2; anything else is a bug and keeps its stack trace.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) throws Exception {
        if (e instanceof IllegalArgumentException || e instanceof IOException
                || e instanceof UncheckedIOException) {
            Throwable shown = e instanceof UncheckedIOException u ? u.getCause() : e;
            cmd.getErr().println(cmd.getCommandName() + ": error: " + shown.getMessage());
            return 2;
        }
        throw e;
    }
}
