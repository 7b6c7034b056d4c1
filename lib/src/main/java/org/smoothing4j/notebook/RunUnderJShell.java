package org.smoothing4j.notebook;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Command line: {@code java -cp LIBRARY_AND_DEPENDENCIES org.smoothing4j.notebook.RunUnderJShell [--log-dir DIR]
 * NOTEBOOK...} runs each notebook in a fresh {@link JShellNotebook} (as a fresh IJava kernel would), in order, and
 * stops at the first failing cell with its error; exit code 0 when every notebook ran, 1 on a failing cell, 2 on bad
 * arguments. The cells' output goes to DIR/NAME.log (default: discarded). {@code make test} runs every notebook
 * through it on the test profile.
 */
public final class RunUnderJShell {
    private RunUnderJShell() {}

    public static void main(String[] args) throws IOException {
        Path logDir = null;
        int first = 0;
        if (args.length >= 2 && args[0].equals("--log-dir")) {
            logDir = Path.of(args[1]);
            Files.createDirectories(logDir);
            first = 2;
        }
        if (first >= args.length) {
            System.err.println("RunUnderJShell: usage: RunUnderJShell [--log-dir DIR] NOTEBOOK.ipynb...");
            System.exit(2);
        }
        for (int i = first; i < args.length; i++) {
            if (!Files.isRegularFile(Path.of(args[i]))) {
                System.err.println("RunUnderJShell: " + args[i] + ": no such notebook");
                System.exit(2);
            }
        }
        for (int i = first; i < args.length; i++) {
            Path nb = Path.of(args[i]);
            String name = nb.getFileName().toString().replaceFirst("\\.ipynb$", "");
            OutputStream sink = logDir == null ? OutputStream.nullOutputStream()
                    : Files.newOutputStream(logDir.resolve(name + ".log"));
            long t0 = System.nanoTime();
            try (PrintStream out = new PrintStream(sink, true); JShellNotebook shell = new JShellNotebook(out)) {
                List<String> cells = JShellNotebook.codeCells(nb);
                for (int c = 0; c < cells.size(); c++) {
                    out.println("--- cell " + (c + 1) + "/" + cells.size());
                    shell.eval(c + 1, cells.get(c));
                }
                System.err.printf("RunUnderJShell: %s: ok, %d cells in %.1f s%n", nb, cells.size(), (System.nanoTime() - t0) / 1e9);
            } catch (JShellNotebook.CellFailure e) {
                System.err.println("RunUnderJShell: " + nb + ": FAILED in " + e.getMessage()
                        + (logDir == null ? "" : "\n(cell output in " + logDir.resolve(name + ".log") + ")"));
                System.exit(1);
            }
        }
    }
}
