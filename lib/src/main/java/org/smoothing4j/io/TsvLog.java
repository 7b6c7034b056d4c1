package org.smoothing4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * An append-only tab-separated log with a fixed header, one flushed line per row, resumable. The settings of
 * the run that writes it sit beside it in {@code <log>.json}; resuming with other settings is refused, so a log
 * never mixes rows of two different runs. A killed run may leave a partial last line: resuming drops it.
 */
public final class TsvLog implements AutoCloseable {
    private final Path file;
    private final List<String> header;
    private final List<List<String>> existingRows;
    private final OutputStream out;

    private TsvLog(Path file, List<String> header, List<List<String>> existingRows, OutputStream out) {
        this.file = file;
        this.header = header;
        this.existingRows = existingRows;
        this.out = out;
    }

    /** The settings file that sits beside a log. */
    public static Path settingsFile(Path log) {
        return log.resolveSibling(log.getFileName() + ".json");
    }

    /**
     * Opens a log for writing. A new log gets the header and its settings file. An existing log is refused unless
     * {@code resume}; when resuming, its header and settings must equal the given ones.
     *
     * @param settings the run's settings (compared on resume) ; provenance is stored beside them, not compared
     */
    public static TsvLog open(Path file, List<String> header, Map<String, Object> settings, boolean resume)
            throws IOException {
        Path sidecar = settingsFile(file);
        if (!Files.exists(file)) {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Map<String, Object> doc = new java.util.LinkedHashMap<>();
            doc.put("settings", settings);
            doc.put("provenance", Provenance.collect());
            Json.writeAtomically(sidecar, doc);
            OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            TsvLog log = new TsvLog(file, header, List.of(), out);
            log.writeLine(header);
            return log;
        }
        if (!resume) {
            throw new IllegalArgumentException("log " + file + " already exists: pass --resume to continue it, or "
                    + "choose another --out");
        }
        List<List<String>> rows = readValidated(file, header);
        if (Files.exists(sidecar)) {
            Object stored = Json.read(sidecar).get("settings");
            Map<String, Object> expected = Json.normalize(settings);
            if (!Objects.equals(stored, expected)) {
                throw new IllegalArgumentException("cannot resume " + file + ": it was written with settings " + stored
                        + " (" + sidecar + "), not " + expected);
            }
        } else {
            throw new IllegalArgumentException("cannot resume " + file + ": its settings file " + sidecar
                    + " is missing, so the run that wrote it is unknown");
        }
        return new TsvLog(file, header, rows, Files.newOutputStream(file, StandardOpenOption.APPEND));
    }

    /**
     * Reads a log's rows after checking its header; a partial last line (no newline: a killed writer) is cut off
     * the file.
     */
    static List<List<String>> readValidated(Path file, List<String> header) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read log (" + e.getMessage() + ")", e);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        int lastNewline = text.lastIndexOf('\n');
        if (lastNewline < 0) {
            throw new IllegalArgumentException(file + " is not a log with header '" + String.join("\t", header)
                    + "' (no complete line)");
        }
        if (lastNewline != text.length() - 1) {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(text.substring(0, lastNewline + 1).getBytes(StandardCharsets.UTF_8).length);
            }
            text = text.substring(0, lastNewline + 1);
        }
        List<String> lines = text.lines().toList();
        List<String> found = List.of(lines.get(0).split("\t", -1));
        if (!found.equals(header)) {
            throw new IllegalArgumentException(file + " is not a log of this kind: header is '" + lines.get(0)
                    + "', expected '" + String.join("\t", header) + "'");
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            List<String> fields = List.of(lines.get(i).split("\t", -1));
            if (fields.size() != header.size()) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + " has " + fields.size()
                        + " fields, expected " + header.size());
            }
            rows.add(fields);
        }
        return rows;
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
        out.write((String.join("\t", fields) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
