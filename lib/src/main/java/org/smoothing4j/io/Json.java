package org.smoothing4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        try {
            return MAPPER.readValue(Files.readString(file), new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": file not found", e);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }
}
