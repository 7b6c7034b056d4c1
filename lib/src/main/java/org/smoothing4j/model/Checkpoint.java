package org.smoothing4j.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.smoothing4j.io.AtomicFiles;
import org.smoothing4j.io.Json;

/**
 * A saved network: {@code NAME.zip} (DL4J's format, weights and updater state) with {@code NAME.json} beside it
 * (architecture, input shape, classes, training settings, provenance, and the zip's size and SHA-256). Both are
 * written atomically, the zip first, so a reader sees either the old pair or the new one; a zip that does not
 * match its recorded size and hash (truncated, corrupt, or from another save) is refused before loading.
 */
public final class Checkpoint {
    private Checkpoint() {}

    /** A loaded checkpoint: the network and its metadata. */
    public record Loaded(Network network, Map<String, Object> metadata) {
        public String arch() {
            return String.valueOf(metadata.get("arch"));
        }
    }

    public static Path metadataFile(Path zip) {
        String name = zip.getFileName().toString();
        String base = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
        return zip.resolveSibling(base + ".json");
    }

    /** Writes the network and its metadata (arch is required; inputShape, classes and integrity are added). */
    public static void save(Network network, String arch, Map<String, Object> metadata, Path zip) throws IOException {
        AtomicFiles.write(zip, network::save);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("arch", arch);
        doc.put("inputShape", network.inputShape());
        doc.put("classes", network.numClasses());
        doc.putAll(metadata);
        doc.put("bytes", Files.size(zip));
        doc.put("sha256", sha256(zip));
        Json.writeAtomically(metadataFile(zip), doc);
    }

    /** Loads a checkpoint after checking it against its metadata. */
    public static Loaded load(Path zip) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new NoSuchFileException(zip + ": model file not found (expected a smoothing4j checkpoint .zip)");
        }
        Path metaFile = metadataFile(zip);
        if (!Files.isRegularFile(metaFile)) {
            throw new IOException(zip + ": its metadata " + metaFile + " is missing (a smoothing4j checkpoint is a "
                    + ".zip with a .json beside it)");
        }
        Map<String, Object> meta = Json.read(metaFile);
        for (String key : List.of("arch", "inputShape", "classes", "bytes", "sha256")) {
            if (!meta.containsKey(key)) {
                throw new IOException(metaFile + ": not smoothing4j checkpoint metadata (no '" + key + "')");
            }
        }
        long bytes = ((Number) meta.get("bytes")).longValue();
        if (Files.size(zip) != bytes) {
            throw new IOException(zip + ": " + Files.size(zip) + " bytes but its metadata records " + bytes
                    + " (truncated or replaced); refusing to load");
        }
        if (!sha256(zip).equals(meta.get("sha256"))) {
            throw new IOException(zip + ": SHA-256 differs from its metadata (corrupt); refusing to load");
        }
        @SuppressWarnings("unchecked")
        List<Number> shape = (List<Number>) meta.get("inputShape");
        long[] inputShape = shape.stream().mapToLong(Number::longValue).toArray();
        String arch = String.valueOf(meta.get("arch"));
        return new Loaded(Network.load(zip, Architectures.isGraph(arch), inputShape,
                ((Number) meta.get("classes")).intValue()), meta);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
