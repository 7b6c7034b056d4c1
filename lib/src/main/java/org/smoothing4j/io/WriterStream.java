package org.smoothing4j.io;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A {@link PrintStream} that writes into a {@link PrintWriter} (UTF-8), for library code that prints to a stream when
 * a command's output must go through its command line's writers (so that tests capture it, and a caller may redirect
 * it).
 */
public final class WriterStream {
    private WriterStream() {}

    /** A stream whose bytes reach {@code writer} as text each time the stream is flushed (println flushes). */
    public static PrintStream over(PrintWriter writer) {
        OutputStream bytes = new OutputStream() {
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                pending.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                pending.write(b, off, len);
            }

            @Override
            public synchronized void flush() {
                writer.write(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
                writer.flush();
            }
        };
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
