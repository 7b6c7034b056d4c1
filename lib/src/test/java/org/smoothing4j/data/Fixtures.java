package org.smoothing4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Small data files written by the tests themselves: IDX (plain or gzipped) and CIFAR-10 binary batches. */
final class Fixtures {
    private Fixtures() {}

    /** IDX bytes: magic 00 00 08 rank, dims, data. */
    static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    /** Pixel byte of image i at position p: a pattern that differs per image and per pixel. */
    static byte pixel(int i, int p) {
        return (byte) ((i * 31 + p * 7) % 256);
    }

    static byte[] images(int n, int side) {
        byte[] data = new byte[n * side * side];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < side * side; p++) {
                data[i * side * side + p] = pixel(i, p);
            }
        }
        return data;
    }

    /** Writes train-images/labels in MNIST naming to dir, gzipped or plain; labels are i % 10. */
    static void writeIdxPair(Path dir, String prefix, int n, int side, boolean gzipped) throws IOException {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        byte[] img = idx(new int[] {n, side, side}, images(n, side));
        byte[] lab = idx(new int[] {n}, labels);
        String ext = gzipped ? ".gz" : "";
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + ext), gzipped ? gzip(img) : img);
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), gzipped ? gzip(lab) : lab);
    }

    /** A CIFAR-10 batch of n records; record i has label (i + offset) % 10 and pixel p = pixel(i + offset, p). */
    static byte[] cifarBatch(int n, int offset) {
        int px = Cifar10Reader.RECORD - 1;
        byte[] data = new byte[n * Cifar10Reader.RECORD];
        for (int i = 0; i < n; i++) {
            data[i * Cifar10Reader.RECORD] = (byte) ((i + offset) % 10);
            for (int p = 0; p < px; p++) {
                data[i * Cifar10Reader.RECORD + 1 + p] = pixel(i + offset, p);
            }
        }
        return data;
    }
}
