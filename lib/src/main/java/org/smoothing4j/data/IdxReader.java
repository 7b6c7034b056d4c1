package org.smoothing4j.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST, gzipped or plain (detected from the content, not the name).
 * Magic number: two zero bytes, type 0x08 (unsigned byte), number of dimensions (3 for images, 1 for labels),
 * then each dimension as a big-endian int, then the data.
 */
public final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {}

    /** Reads an image file and its label file into [n, 1, rows, cols] pixels in [0,1]. */
    public static LabeledImages read(String name, Path imageFile, Path labelFile, int classes) throws IOException {
        Idx images = readIdx(imageFile, 3);
        Idx labels = readIdx(labelFile, 1);
        if (images.dims[0] != labels.dims[0]) {
            throw new DataFormatException(labelFile, "has " + labels.dims[0] + " labels but " + imageFile
                    + " has " + images.dims[0] + " images; expected the same count");
        }
        int[] labelValues = new int[labels.dims[0]];
        for (int i = 0; i < labelValues.length; i++) {
            labelValues[i] = labels.data[i] & 0xff;
            if (labelValues[i] >= classes) {
                throw new DataFormatException(labelFile, "label " + labelValues[i] + " at index " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        return LabeledImages.fromBytes(name, images.data, labelValues, classes, 1, images.dims[1], images.dims[2]);
    }

    /** An IDX file of unsigned bytes with its dimensions. */
    record Idx(int[] dims, byte[] data) {}

    static Idx readIdx(Path file, int expectedRank) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(readMaybeGzipped(file));
        if (buf.remaining() < 4) {
            throw new DataFormatException(file, "truncated: " + buf.remaining()
                    + " bytes, expected at least a 4-byte IDX magic number");
        }
        int b0 = buf.get() & 0xff, b1 = buf.get() & 0xff, type = buf.get() & 0xff, rank = buf.get() & 0xff;
        if (b0 != 0 || b1 != 0 || type != UNSIGNED_BYTE || rank != expectedRank) {
            throw new DataFormatException(file, String.format(
                    "wrong magic number 0x%02x%02x%02x%02x, expected 0x000008%02x (IDX, unsigned bytes, %d dimension%s)",
                    b0, b1, type, rank, expectedRank, expectedRank, expectedRank == 1 ? "" : "s"));
        }
        if (buf.remaining() < 4 * rank) {
            throw new DataFormatException(file, "truncated header: expected " + rank + " dimension sizes");
        }
        int[] dims = new int[rank];
        long expected = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = buf.getInt();
            if (dims[i] < 0) {
                throw new DataFormatException(file, "negative dimension size " + dims[i]);
            }
            expected *= dims[i];
        }
        if (buf.remaining() != expected) {
            throw new DataFormatException(file, (buf.remaining() < expected ? "truncated: " : "trailing bytes: ")
                    + "expected " + expected + " data bytes for dimensions " + java.util.Arrays.toString(dims)
                    + ", found " + buf.remaining());
        }
        byte[] data = new byte[(int) expected];
        buf.get(data);
        return new Idx(dims, data);
    }

    /** The bytes of a file, gunzipped if it starts with the gzip magic 1f 8b. */
    static byte[] readMaybeGzipped(Path file) throws IOException {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "file not found (run data/fetch to install the data sets)");
        }
        if (raw.length < 2 || (raw[0] & 0xff) != 0x1f || (raw[1] & 0xff) != 0x8b) {
            return raw;
        }
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(new java.io.ByteArrayInputStream(raw)))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
            in.transferTo(out);
            return out.toByteArray();
        } catch (EOFException | ZipException e) {
            throw new DataFormatException(file, "truncated or corrupt gzip stream (" + e.getMessage() + ")");
        }
    }
}
