package org.smoothing4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * An append-only tab-separated log with a fixed header, one flushed line per row, resumable. The settings of the run
 * that writes it sit beside it in {@code <log>.json}; resuming with other settings is refused, so a log never mixes
 * rows of two different runs. One process writes a log at a time ({@link RunLock}). Opening checks everything first
 * and changes nothing until it has accepted the log: a refused log (not a log, other settings, a bad row) is left
 * byte for byte as it was. A killed writer may leave a partial last line; resuming drops it, reading ignores it.
 */
public final class TsvLog implements AutoCloseable {
    private final Path file;
    private final List<String> header;
    private final List<List<String>> existingRows;
    private final OutputStream out;
    private final RunLock lock;

    private TsvLog(Path file, List<String> header, List<List<String>> existingRows, OutputStream out, RunLock lock) {
        this.file = file;
        this.header = header;
        this.existingRows = existingRows;
        this.out = out;
        this.lock = lock;
    }

    /**
     * What every row of a log must satisfy beyond its number of fields: throws IllegalArgumentException saying what
     * is wrong (the log names file and line). A new check is made for each read, so it may remember earlier rows
     * (e.g. to refuse a repeated index).
     */
    @FunctionalInterface
    public interface RowCheck {
        void check(List<String> row);

        RowCheck NONE = row -> {};
    }

    /** The settings file that sits beside a log. */
    public static Path settingsFile(Path log) {
        return log.resolveSibling(log.getFileName() + ".json");
    }

    /** As {@link #open(Path, List, Map, boolean, Supplier)} with no checks beyond the number of fields. */
    public static TsvLog open(Path file, List<String> header, Map<String, Object> settings, boolean resume)
            throws IOException {
        return open(file, header, settings, resume, () -> RowCheck.NONE);
    }

    /**
     * Opens a log for writing, holding its lock until {@link #close}. A new log gets its settings file, then the
     * header. An existing log is refused unless {@code resume}; when resuming, its header and settings must equal the
     * given ones and every complete row must pass the check.
     *
     * @param settings the run's settings (compared on resume); provenance is stored beside them, not compared
     */
    public static TsvLog open(Path file, List<String> header, Map<String, Object> settings, boolean resume,
            Supplier<RowCheck> check) throws IOException {
        return open(file, header, settings, Map.of(), resume, check);
    }

    /**
     * As {@link #open(Path, List, Map, boolean, Supplier)}, storing {@code inputs} (e.g. the path of the model, as
     * given) beside the settings without comparing them on resume: a run may be resumed from another folder as long
     * as what it computes is the same (the settings hold the model's fingerprint).
     */
    public static TsvLog open(Path file, List<String> header, Map<String, Object> settings, Map<String, Object> inputs,
            boolean resume, Supplier<RowCheck> check) throws IOException {
        return open(file, header, settings, inputs, Set.of(), resume, check);
    }

    /**
     * As above; {@code recordedLater} names settings that logs written before a version lack (e.g. the inference path,
     * recorded since issue 46): a log without one resumes as if it held today's value, one that holds another value is
     * refused as for any setting.
     */
    public static TsvLog open(Path file, List<String> header, Map<String, Object> settings, Map<String, Object> inputs,
            Set<String> recordedLater, boolean resume, Supplier<RowCheck> check) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a folder, expected a log file (--out)");
        }
        RunLock lock = RunLock.forFile(file, "log");
        try {
            return openLocked(file, header, settings, inputs, recordedLater, resume, check, lock);
        } catch (IOException | RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    private static TsvLog openLocked(Path file, List<String> header, Map<String, Object> settings,
            Map<String, Object> inputs, Set<String> recordedLater, boolean resume, Supplier<RowCheck> check,
            RunLock lock) throws IOException {
        Path sidecar = settingsFile(file);
        if (!Files.exists(file)) {
            // a settings file without its log is what a run killed before its first line leaves: replaced
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("settings", settings);
            if (!inputs.isEmpty()) {
                doc.put("inputs", inputs);
            }
            doc.put("provenance", Provenance.collect());
            Json.writeAtomically(sidecar, doc);
            FaultPoints.reach("log.settings-written");
            OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            TsvLog log = new TsvLog(file, header, List.of(), out, lock);
            log.writeLine(header);
            return log;
        }
        if (!resume) {
            throw new IllegalArgumentException("log " + file + " already exists: pass --resume to continue it, or "
                    + "choose another --out");
        }
        Contents contents = readContents(file, header, check.get(), true);
        if (!Files.exists(sidecar)) {
            throw new IllegalArgumentException("cannot resume " + file + ": its settings file " + sidecar
                    + " is missing, so the run that wrote it is unknown");
        }
        Object stored = Json.read(sidecar).get("settings");
        Map<String, Object> expected = Json.normalize(settings);
        if (stored instanceof Map<?, ?> old) {
            expected.keySet().removeIf(k -> recordedLater.contains(k) && !old.containsKey(k));
        }
        if (!Objects.equals(stored, expected)) {
            throw new IllegalArgumentException("cannot resume " + file + ": it was written with other settings ("
                    + differences(stored, expected) + "; " + sidecar + ")");
        }
        // accepted: only now drop a partial last line (or an unfinished header) of the killed writer
        if (contents.completeBytes() < Files.size(file)) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(contents.completeBytes());
            }
        }
        TsvLog log = new TsvLog(file, header, contents.rows(), Files.newOutputStream(file, StandardOpenOption.APPEND),
                lock);
        if (contents.completeBytes() == 0) {
            log.writeLine(header);
        }
        return log;
    }

    /** The settings that differ, as {@code key: stored, now given}. */
    private static String differences(Object stored, Map<String, Object> expected) {
        if (!(stored instanceof Map<?, ?> old)) {
            return "its settings file holds no settings object";
        }
        List<String> d = new ArrayList<>();
        java.util.Set<Object> keys = new java.util.LinkedHashSet<>(old.keySet());
        keys.addAll(expected.keySet());
        for (Object k : keys) {
            if (!Objects.equals(old.get(k), expected.get(k))) {
                d.add(k + ": " + (old.containsKey(k) ? old.get(k) : "(none)") + " in the log, "
                        + (expected.containsKey(k) ? expected.get(k) : "(none)") + " now");
            }
        }
        return String.join("; ", d);
    }

    /**
     * The complete rows of a log after checking its header and rows, without changing the file; a partial last
     * line (a writer killed or still writing) is not read. For readers of finished or running logs.
     */
    public static List<List<String>> read(Path file, List<String> header, RowCheck check) throws IOException {
        return readContents(file, header, check, false).rows();
    }

    /** A log's complete rows and the length of the part of the file that holds its complete lines. */
    private record Contents(List<List<String>> rows, long completeBytes) {}

    private static Contents readContents(Path file, List<String> header, RowCheck check, boolean resuming)
            throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": log not found", e);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read log (" + e.getMessage() + ")", e);
        }
        String expected = String.join("\t", header);
        int complete = 0;
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                complete = i + 1;
                break;
            }
        }
        String text = new String(bytes, 0, complete, StandardCharsets.UTF_8);
        if (complete == 0) {
            String partial = new String(bytes, StandardCharsets.UTF_8);
            if (resuming && expected.startsWith(partial)) {
                return new Contents(List.of(), 0); // killed before its header was complete
            }
            throw new IllegalArgumentException(file + " is not a log with header '" + expected.replace("\t", "\\t")
                    + "' (no complete line)");
        }
        if (text.indexOf('\0') >= 0 || text.indexOf('\uFFFD') >= 0) {
            throw new IllegalArgumentException(file + " is not a log with header '" + expected.replace("\t", "\\t")
                    + "' (it holds binary data)");
        }
        List<String> lines = text.lines().toList();
        List<String> found = fields(lines.get(0));
        if (!found.equals(header)) {
            throw new IllegalArgumentException(file + " is not a log of this kind: header is '"
                    + abbreviate(lines.get(0)).replace("\t", "\\t") + "', expected '" + expected.replace("\t", "\\t")
                    + "'");
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> row = fields(lines.get(i));
            if (row.size() != header.size()) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + " has " + row.size()
                        + " fields, expected " + header.size() + " (" + String.join(" ", header) + ")");
            }
            try {
                check.check(row);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + ": " + e.getMessage(), e);
            }
            rows.add(row);
        }
        return new Contents(rows, complete);
    }

    /** Tab-separated fields, each trimmed (logs of the reference code may carry stray spaces or a CR). */
    private static List<String> fields(String line) {
        String[] f = line.split("\t", -1);
        List<String> out = new ArrayList<>(f.length);
        for (String s : f) {
            out.add(s.trim());
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** Rows already in the log when it was opened (for resuming). */
    public List<List<String>> existingRows() {
        return existingRows;
    }

    /** The values of column {@code name} in the existing rows, e.g. the indices already done. */
    public TreeSet<String> existingValues(String name) {
        int col = header.indexOf(name);
        TreeSet<String> values = new TreeSet<>();
        for (List<String> row : existingRows) {
            values.add(row.get(col));
        }
        return values;
    }

    /** Appends one row and flushes it to the file. */
    public void append(List<String> fields) throws IOException {
        if (fields.size() != header.size()) {
            throw new IllegalArgumentException("row has " + fields.size() + " fields, the log " + file + " has "
                    + header.size() + " columns");
        }
        writeLine(fields);
    }

    private void writeLine(List<String> fields) throws IOException {
        byte[] line = (String.join("\t", fields) + "\n").getBytes(StandardCharsets.UTF_8);
        FaultPoints.reach("log.before-line");
        if (FaultPoints.armed("log.mid-line")) { // a kill in the middle of a line: written in two halves
            out.write(line, 0, line.length / 2);
            out.flush();
            FaultPoints.reach("log.mid-line");
            out.write(line, line.length / 2, line.length - line.length / 2);
        } else {
            out.write(line);
        }
        out.flush();
        FaultPoints.reach("log.after-line");
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } finally {
            lock.close();
        }
    }
}
