package org.smoothing4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/** Small JSON documents (settings, provenance, checkpoint metadata) as ordered maps, through ND4J's Jackson. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    public static String write(Map<String, ?> document) {
        try {
            return MAPPER.writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** The document as it reads back from JSON (numbers and lists in JSON's types), for comparisons. */
    public static Map<String, Object> normalize(Map<String, ?> document) {
        try {
            return MAPPER.readValue(MAPPER.writeValueAsString(document),
                    new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot convert to JSON: " + e.getMessage(), e);
        }
    }

    public static void writeAtomically(Path file, Map<String, ?> document) throws IOException {
        AtomicFiles.writeString(file, write(document));
    }

    public static Map<String, Object> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": file not found", e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(file + ": not valid JSON (not UTF-8 text)", e);
        }
        return parse(text, file.toString());
    }

    /** A JSON object from text; {@code where} names its source in the error. */
    public static Map<String, Object> parse(String text, String where) throws IOException {
        try {
            Map<String, Object> doc = MAPPER.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
            if (doc == null) {
                throw new IOException(where + ": not a JSON object (empty or null)");
            }
            return doc;
        } catch (JsonProcessingException e) {
            throw new IOException(where + ": not valid JSON, or not a JSON object (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** Field {@code key} of {@code doc} (read from {@code file}) as a string; a clear error when absent or not one. */
    public static String string(Map<String, ?> doc, String key, Path file) throws IOException {
        if (doc.get(key) instanceof String v) {
            return v;
        }
        throw wrongType(doc, key, file, "a string");
    }

    /** Field {@code key} as a finite number. */
    public static double number(Map<String, ?> doc, String key, Path file) throws IOException {
        if (doc.get(key) instanceof Number v && Double.isFinite(v.doubleValue())) {
            return v.doubleValue();
        }
        throw wrongType(doc, key, file, "a number");
    }

    /** Field {@code key} as a whole number. */
    public static long integer(Map<String, ?> doc, String key, Path file) throws IOException {
        if (doc.get(key) instanceof Number v && v.doubleValue() == Math.rint(v.doubleValue())
                && Math.abs(v.doubleValue()) < 9e15) {
            return v.longValue();
        }
        throw wrongType(doc, key, file, "a whole number");
    }

    /** Field {@code key} as a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Map<String, ?> doc, String key, Path file) throws IOException {
        if (doc.get(key) instanceof Map<?, ?> v) {
            return (Map<String, Object>) v;
        }
        throw wrongType(doc, key, file, "a JSON object");
    }

    /** Field {@code key} as a list of whole numbers. */
    public static long[] integers(Map<String, ?> doc, String key, Path file) throws IOException {
        if (doc.get(key) instanceof List<?> list) {
            long[] out = new long[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number v) || v.doubleValue() != Math.rint(v.doubleValue())) {
                    throw wrongType(doc, key, file, "a list of whole numbers");
                }
                out[i] = ((Number) list.get(i)).longValue();
            }
            return out;
        }
        throw wrongType(doc, key, file, "a list of whole numbers");
    }

    private static IOException wrongType(Map<String, ?> doc, String key, Path file, String expected) {
        Object v = doc.get(key);
        String found = !doc.containsKey(key) ? "it is missing" : "got " + describe(v);
        return new IOException(file + ": field '" + key + "' must be " + expected + ", " + found);
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        String text = v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
        if (text.length() > 40) {
            text = text.substring(0, 37) + "...";
        }
        String type = v instanceof String ? "a string" : v instanceof Number ? "a number" : v instanceof Boolean
                ? "a boolean" : v instanceof List ? "a list" : v instanceof Map ? "an object" : v.getClass().getSimpleName();
        return text + " (" + type + ")";
    }
}
