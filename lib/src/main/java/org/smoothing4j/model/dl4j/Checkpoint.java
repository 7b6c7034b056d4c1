package org.smoothing4j.model.dl4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smoothing4j.io.AtomicFiles;
import org.smoothing4j.io.FaultPoints;
import org.smoothing4j.io.FileHash;
import org.smoothing4j.io.Json;

/**
 * A saved network: {@code NAME.zip}, DL4J's format (weights and updater state) with the checkpoint's metadata as one
 * more entry ({@value #METADATA_ENTRY}: architecture, input shape, classes, the {@linkplain #fingerprint
 * fingerprint} of weights and updater state, training settings, provenance), and {@code NAME.json} beside it, the
 * same metadata with the zip's size and SHA-256 for people and tools.
 * <p>
 * One rename publishes a checkpoint: the zip alone is complete, so a kill at any instant leaves either the previous
 * checkpoint or the new one, never a mix; a {@code NAME.json} left from the previous save is recognised as stale (its
 * fingerprint is not the zip's) and ignored. The zip's entries carry a fixed time, so the same content gives the same
 * bytes. Loading refuses, with the file and what is wrong, anything that is not a complete checkpoint: not a zip,
 * truncated, corrupt (entry checksums, the recorded fingerprint, or the SHA-256 of its own metadata file), not a DL4J
 * model, metadata of the wrong types, or a network whose output does not match its recorded shape and classes.
 * Checkpoints written before the metadata entry existed load through {@code NAME.json} and its SHA-256, as before.
 */
public final class Checkpoint {
    static final String METADATA_ENTRY = "smoothing4j.json";
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

    private Checkpoint() {}

    /**
     * A loaded checkpoint: the network, its metadata and the {@linkplain #fingerprint fingerprint} of its
     * weights and updater state (recomputed on load; checked against the recorded one where there is one).
     */
    public record Loaded(Network network, Map<String, Object> metadata, String fingerprint) {
        public String arch() {
            return String.valueOf(metadata.get("arch"));
        }

        /** The data set the network was trained on, where its metadata records it. */
        public java.util.Optional<String> dataset() {
            return metadata.get("training") instanceof Map<?, ?> t && t.get("dataset") instanceof String d
                    ? java.util.Optional.of(d) : java.util.Optional.empty();
        }
    }

    public static Path metadataFile(Path zip) {
        String name = zip.getFileName().toString();
        String base = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
        return zip.resolveSibling(base + ".json");
    }

    /**
     * Writes the network and its metadata (arch is required; inputShape, classes, fingerprint and, in the file
     * beside it, bytes and sha256 are added).
     */
    public static void save(Network network, String arch, Map<String, Object> metadata, Path zip) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("arch", arch);
        doc.put("inputShape", network.inputShape());
        doc.put("classes", network.numClasses());
        doc.put("fingerprint", fingerprint(network.model()));
        doc.putAll(metadata);
        byte[] embedded = Json.write(doc).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(zip, tmp -> {
            Path raw = tmp.resolveSibling(tmp.getFileName() + ".dl4j");
            try {
                network.save(raw);
                withMetadataEntry(raw, tmp, embedded);
            } finally {
                Files.deleteIfExists(raw);
            }
        });
        FaultPoints.reach("checkpoint.zip-published");
        writeMetadataFile(zip, doc);
        FaultPoints.reach("checkpoint.json-written");
    }

    /** (Re)writes {@code NAME.json} beside a published zip: its metadata with the zip's size and SHA-256. */
    public static void writeMetadataFile(Path zip, Map<String, Object> metadata) throws IOException {
        Map<String, Object> beside = new LinkedHashMap<>(metadata);
        beside.put("bytes", Files.size(zip));
        beside.put("sha256", FileHash.sha256(zip));
        Json.writeAtomically(metadataFile(zip), beside);
    }

    /** DL4J's zip copied with every entry at a fixed time, plus the metadata entry. */
    private static void withMetadataEntry(Path dl4j, Path target, byte[] metadata) throws IOException {
        try (ZipFile in = new ZipFile(dl4j.toFile());
                OutputStream file = Files.newOutputStream(target);
                ZipOutputStream out = new ZipOutputStream(file)) {
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTimeLocal(ENTRY_TIME);
                out.putNextEntry(copy);
                try (InputStream data = in.getInputStream(e)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
            ZipEntry meta = new ZipEntry(METADATA_ENTRY);
            meta.setTimeLocal(ENTRY_TIME);
            out.putNextEntry(meta);
            out.write(metadata);
            out.closeEntry();
        }
    }

    /** The metadata of a checkpoint without loading its weights (the zip's own entry, else the file beside it). */
    public static Map<String, Object> metadata(Path zip) throws IOException {
        requireFile(zip);
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            Map<String, Object> embedded = embeddedMetadata(zf, zip);
            if (embedded != null) {
                return embedded;
            }
        } catch (ZipException e) {
            throw notAZip(zip, e);
        }
        return legacyMetadata(zip);
    }

    /** Loads a checkpoint after checking it completely (see the class comment). */
    public static Loaded load(Path zip) throws IOException {
        requireFile(zip);
        Map<String, Object> meta;
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            meta = embeddedMetadata(zf, zip);
        } catch (ZipException e) {
            throw notAZip(zip, e);
        }
        if (meta == null) {
            meta = legacyMetadata(zip);
            checkSizeAndHash(zip, meta, metadataFile(zip));
        } else {
            Path beside = metadataFile(zip);
            if (Files.isRegularFile(beside)) {
                Map<String, Object> b = Json.read(beside);
                if (meta.get("fingerprint").equals(b.get("fingerprint")) && b.containsKey("sha256")) {
                    checkSizeAndHash(zip, b, beside); // this checkpoint's own file: the zip must be what it recorded
                }
            }
        }
        long[] inputShape = Json.integers(meta, "inputShape", zip);
        int classes = (int) Json.integer(meta, "classes", zip);
        String arch = Json.string(meta, "arch", zip);
        Network net;
        try {
            net = Network.load(zip, Architectures.isGraph(arch), inputShape, classes);
        } catch (IOException | RuntimeException e) {
            throw new IOException(zip + ": not a loadable DL4J " + (Architectures.isGraph(arch) ? "computation graph"
                    : "network") + " (" + firstLine(e) + ")", e);
        }
        String fingerprint = fingerprint(net.model());
        if (meta.containsKey("fingerprint") && !fingerprint.equals(meta.get("fingerprint"))) {
            throw new IOException(zip + ": its weights do not match the fingerprint recorded with them (corrupt); "
                    + "refusing to load");
        }
        checkOutput(net, zip, inputShape, classes);
        return new Loaded(net, meta, fingerprint);
    }

    /** The network maps one image of the recorded shape to the recorded number of class scores. */
    private static void checkOutput(Network net, Path zip, long[] inputShape, int classes) throws IOException {
        long[] batch = new long[] {1, inputShape[0], inputShape[1], inputShape[2]};
        INDArray out;
        try {
            out = net.scores(Nd4j.zeros(net.params().dataType(), batch));
        } catch (RuntimeException e) {
            throw new IOException(zip + ": the network does not take inputs of its recorded shape "
                    + Arrays.toString(inputShape) + " (" + firstLine(e) + ")", e);
        }
        if (out.rank() != 2 || out.size(1) != classes) {
            throw new IOException(zip + ": the network gives outputs of shape " + Arrays.toString(out.shape())
                    + ", its metadata records " + classes + " classes");
        }
    }

    private static void requireFile(Path zip) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IOException(zip + ": model file not found (expected a smoothing4j checkpoint .zip"
                    + " or an ONNX model .onnx)");
        }
    }

    private static IOException notAZip(Path zip, ZipException e) throws IOException {
        Path beside = metadataFile(zip);
        if (Files.isRegularFile(beside)) {
            Map<String, Object> b = Json.read(beside);
            if (b.get("bytes") instanceof Number n && n.longValue() != Files.size(zip)) {
                return new IOException(zip + ": " + Files.size(zip) + " bytes but its metadata " + beside
                        + " records " + n.longValue() + " (truncated or replaced); refusing to load", e);
            }
        }
        return new IOException(zip + ": not a smoothing4j checkpoint (not a readable zip file: " + e.getMessage()
                + "; truncated or corrupt?)", e);
    }

    /** The metadata entry, checked for its required fields and their types; null for a checkpoint without one. */
    private static Map<String, Object> embeddedMetadata(ZipFile zf, Path zip) throws IOException {
        ZipEntry e = zf.getEntry(METADATA_ENTRY);
        if (e == null) {
            return null;
        }
        String text;
        try (InputStream in = zf.getInputStream(e)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (ZipException ex) {
            throw new IOException(zip + ": corrupt checkpoint (its metadata entry fails its checksum: "
                    + ex.getMessage() + "); refusing to load", ex);
        }
        Map<String, Object> meta = Json.parse(text, zip + "!" + METADATA_ENTRY);
        Path where = Path.of(zip + "!" + METADATA_ENTRY);
        checkFields(meta, where);
        Json.string(meta, "fingerprint", where);
        return meta;
    }

    private static Map<String, Object> legacyMetadata(Path zip) throws IOException {
        Path metaFile = metadataFile(zip);
        if (!Files.isRegularFile(metaFile)) {
            throw new IOException(zip + ": its metadata " + metaFile + " is missing (a smoothing4j checkpoint is a "
                    + ".zip with a .json beside it)");
        }
        Map<String, Object> meta = Json.read(metaFile);
        checkFields(meta, metaFile);
        return meta;
    }

    /** The fields every checkpoint has, with their types and ranges. */
    private static void checkFields(Map<String, Object> meta, Path file) throws IOException {
        String arch = Json.string(meta, "arch", file);
        if (!Architectures.isKnown(arch)) {
            throw new IOException(file + ": field 'arch' must be one of " + Architectures.NAMES
                    + " (or resnet<6n+2>), got \"" + arch + "\"");
        }
        long[] shape = Json.integers(meta, "inputShape", file);
        if (shape.length != 3 || Arrays.stream(shape).anyMatch(v -> v < 1 || v > 100_000)) {
            throw new IOException(file + ": field 'inputShape' must be [channels, height, width] of positive sizes, got "
                    + Arrays.toString(shape));
        }
        long classes = Json.integer(meta, "classes", file);
        if (classes < 2 || classes > 1_000_000) {
            throw new IOException(file + ": field 'classes' must be at least 2, got " + classes);
        }
        if (meta.containsKey("epoch") && Json.integer(meta, "epoch", file) < 0) {
            throw new IOException(file + ": field 'epoch' must be >= 0, got " + meta.get("epoch"));
        }
        if (meta.containsKey("training")) {
            Json.object(meta, "training", file);
        }
    }

    private static void checkSizeAndHash(Path zip, Map<String, Object> recorded, Path from) throws IOException {
        long bytes = Json.integer(recorded, "bytes", from);
        if (Files.size(zip) != bytes) {
            throw new IOException(zip + ": " + Files.size(zip) + " bytes but its metadata " + from + " records " + bytes
                    + " (truncated or replaced); refusing to load");
        }
        if (!FileHash.sha256(zip).equals(Json.string(recorded, "sha256", from))) {
            throw new IOException(zip + ": SHA-256 differs from its metadata " + from + " (corrupt); refusing to load");
        }
    }

    /**
     * After a crash between publishing a zip and rewriting the file beside it, that file still describes the previous
     * checkpoint: rewrites it from the zip's own metadata. Returns whether it had to.
     */
    public static boolean repairMetadataFile(Path zip, Loaded loaded) throws IOException {
        Path beside = metadataFile(zip);
        if (Files.isRegularFile(beside)) {
            Map<String, Object> b;
            try {
                b = Json.read(beside);
            } catch (IOException e) {
                b = Map.of();
            }
            if (loaded.fingerprint().equals(b.get("fingerprint")) && FileHash.sha256(zip).equals(b.get("sha256"))) {
                return false;
            }
        }
        if (!loaded.metadata().containsKey("fingerprint")) {
            return false; // a checkpoint of the earlier format: its file beside it is its only metadata
        }
        writeMetadataFile(zip, loaded.metadata());
        return true;
    }

    private static String firstLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        m = m.lines().findFirst().orElse(m);
        return m.length() > 160 ? m.substring(0, 157) + "..." : m;
    }

    /**
     * SHA-256 (hex) of the parameters and the updater state (data type, shape and values in c order, little-endian)
     * with the iteration and epoch counters: equal for two networks exactly when resuming either continues the same
     * way. Unlike the checkpoint file's hash it does not depend on when or where the file was written.
     */
    public static String fingerprint(Model model) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            digest(md, model.params());
            INDArray state = model instanceof MultiLayerNetwork mln
                    ? (mln.getUpdater(false) == null ? null : mln.getUpdater(false).getStateViewArray())
                    : (((ComputationGraph) model).getUpdater(false) == null ? null
                            : ((ComputationGraph) model).getUpdater(false).getStateViewArray());
            digest(md, state);
            int iterations = model instanceof MultiLayerNetwork mln ? mln.getIterationCount()
                    : ((ComputationGraph) model).getIterationCount();
            int epochs = model instanceof MultiLayerNetwork mln ? mln.getEpochCount()
                    : ((ComputationGraph) model).getEpochCount();
            md.update(java.nio.ByteBuffer.allocate(8).putInt(iterations).putInt(epochs).array());
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void digest(java.security.MessageDigest md, INDArray a) {
        if (a == null || a.isEmpty()) {
            md.update((byte) 0);
            return;
        }
        INDArray c = a.dup('c');
        md.update((c.dataType().name() + java.util.Arrays.toString(c.shape())).getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        java.nio.ByteBuffer bytes = c.data().asNio().order(java.nio.ByteOrder.nativeOrder());
        byte[] raw = new byte[Math.toIntExact(c.length() * c.dataType().width())];
        bytes.position(0);
        bytes.get(raw);
        if (java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("fingerprints are defined on little-endian machines only");
        }
        md.update(raw);
        // c must stay reachable until its native memory has been read: once the JIT sees c unused, the garbage
        // collector may collect it while bytes.get(raw) runs, and JavaCPP's deallocator frees the memory under it;
        // a garbage fingerprint (make test-repeat: "weights do not match the fingerprint", RecipesTest, 1 of 8 runs)
        java.lang.ref.Reference.reachabilityFence(c);
    }
}
