package org.smoothing4j.notebook;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * Runs a notebook's Java cells the way IJava 1.3 evaluates them, without a Jupyter kernel: each cell is cut into
 * snippets by {@link SourceCodeAnalysis#analyzeCompletion}, and the snippets are evaluated in order by one
 * {@link JShell} executing in this JVM (IJava's execution control is in-process too). IJava's CodeEvaluator fails a
 * cell on a fresh snippet's exception or on a snippet that is not defined (rejected); this runner fails on both and
 * also on the case IJava lets through silently: a variable re-defined by a later snippet's update, which JShell does
 * when a new import could change what a name in the variable's declaration means. JShell then resets the variable to
 * its default value (the jshell tool prints "update replaced variable profile, reset to null"), so the next cell
 * sees null (the bug of notebook 05 under IJava, where cell 1 declared {@code profile} before an import).
 * <p>
 * Outside a kernel, {@link org.smoothing4j.plot.Display} prints tables as text and charts as one line, so the
 * cells' output is plain text. The snippets run in this JVM, where JShell's own out/err streams do not reach them:
 * {@link #eval} points System.out and System.err at the cell output while a cell runs.
 */
public final class JShellNotebook implements AutoCloseable {
    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final PrintStream cellOutput;

    /** A shell whose class path is this JVM's, so cells see the library and its dependencies. */
    public JShellNotebook(PrintStream cellOutput) {
        this.cellOutput = cellOutput;
        this.shell = JShell.builder().executionEngine("local").out(cellOutput).err(cellOutput).build();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                shell.addToClasspath(entry);
            }
        }
        this.analysis = shell.sourceCodeAnalysis();
    }

    /** A cell that did not run cleanly: which cell, which snippet and why. */
    public static final class CellFailure extends Exception {
        public CellFailure(String message) {
            super(message);
        }
    }

    /** The code cells of a notebook file (nbformat 4), each cell's source as one string. */
    public static List<String> codeCells(Path notebook) throws IOException {
        JsonObject nb;
        try (Reader r = Files.newBufferedReader(notebook)) {
            nb = new JsonParser().parse(r).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(notebook + ": not a notebook (expected nbformat 4 JSON): " + e.getMessage(), e);
        }
        if (!nb.has("cells")) {
            throw new IOException(notebook + ": not a notebook (expected nbformat 4 JSON with 'cells')");
        }
        List<String> cells = new ArrayList<>();
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if (!"code".equals(cell.get("cell_type").getAsString())) {
                continue;
            }
            JsonElement source = cell.get("source");
            if (source.isJsonArray()) {
                StringBuilder b = new StringBuilder();
                for (JsonElement line : (JsonArray) source) {
                    b.append(line.getAsString());
                }
                cells.add(b.toString());
            } else {
                cells.add(source.getAsString());
            }
        }
        return cells;
    }

    /**
     * Evaluates one cell snippet by snippet, as IJava does. Throws on the first snippet that throws, that JShell
     * rejects, that is incomplete, or whose evaluation re-defined (and so reset) a variable of an earlier snippet.
     */
    public void eval(int cellNumber, String code) throws CellFailure {
        PrintStream out = System.out, err = System.err;
        System.setOut(cellOutput);
        System.setErr(cellOutput);
        try {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
            for (; info.completeness().isComplete(); info = analysis.analyzeCompletion(info.remaining())) {
                evalSnippet(cellNumber, info.source());
            }
            if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
                throw new CellFailure("cell " + cellNumber + ": incomplete source: " + info.remaining().trim());
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private void evalSnippet(int cellNumber, String source) throws CellFailure {
        List<SnippetEvent> events = shell.eval(source);
        String where = "cell " + cellNumber + ", snippet `" + firstLine(source) + "`";
        for (SnippetEvent e : events) {
            if (e.causeSnippet() == null) {
                JShellException thrown = e.exception();
                if (thrown != null) {
                    throw new CellFailure(where + " threw " + describe(thrown));
                }
                if (!e.status().isDefined()) {
                    throw new CellFailure(where + " was rejected (" + e.status() + "): " + diagnostics(e.snippet()));
                }
            } else if (e.snippet() instanceof VarSnippet v && e.previousStatus().isDefined()
                    && e.status() != Snippet.Status.OVERWRITTEN && e.status() != Snippet.Status.DROPPED) {
                throw new CellFailure(where + " re-defined the variable '" + v.name() + "' (declared by `"
                        + firstLine(v.source()) + "`), which resets it to " + defaultValue(v.typeName())
                        + " under JShell (IJava): put every import of a cell before its first declaration");
            }
        }
    }

    private String diagnostics(Snippet s) {
        String d = shell.diagnostics(s).map(diag -> diag.getMessage(null)).collect(Collectors.joining("; "));
        return d.isEmpty() ? "no diagnostics" : d;
    }

    private static String describe(JShellException e) {
        if (e instanceof EvalException ee) {
            StringBuilder b = new StringBuilder(ee.getExceptionClassName() + ": " + ee.getMessage());
            for (StackTraceElement t : ee.getStackTrace()) {
                b.append("\n    at ").append(t);
            }
            for (Throwable c = ee.getCause(); c != null; c = c.getCause()) {
                b.append("\n  caused by ").append(c instanceof EvalException ce ? ce.getExceptionClassName() : c.getClass().getName())
                        .append(": ").append(c.getMessage());
            }
            return b.toString();
        }
        if (e instanceof UnresolvedReferenceException u) {
            return "an unresolved reference (" + u.getSnippet().source().trim() + ")";
        }
        return e.toString();
    }

    private static String defaultValue(String type) {
        return switch (type) {
            case "boolean" -> "false";
            case "int", "long", "short", "byte", "char", "float", "double" -> "0";
            default -> "null";
        };
    }

    private static String firstLine(String source) {
        String s = source.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " ...";
    }

    @Override
    public void close() {
        shell.close();
    }
}
