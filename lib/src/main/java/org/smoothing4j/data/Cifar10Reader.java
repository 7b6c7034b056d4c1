package org.smoothing4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the CIFAR-10 binary format: records of 1 label byte then 3072 pixel bytes (1024 red, 1024 green,
 * 1024 blue, each 32x32 row-major), which is already the NCHW layout. Files {@code data_batch_1.bin ..
 * data_batch_5.bin} form the training set, {@code test_batch.bin} the test set.
 */
public final class Cifar10Reader {
    public static final int CLASSES = 10;
    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    static final int RECORD = 1 + CHANNELS * SIDE * SIDE;

    public static final List<String> TRAIN_FILES = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final List<String> TEST_FILES = List.of("test_batch.bin");

    private Cifar10Reader() {}

    /** Reads and concatenates the given batch files in order. */
    public static LabeledImages read(String name, List<Path> files) throws IOException {
        byte[][] contents = new byte[files.size()][];
        int total = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            try {
                contents[f] = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new DataFormatException(file, "file not found (expected a CIFAR-10 binary batch)");
            }
            if (contents[f].length == 0 || contents[f].length % RECORD != 0) {
                throw new DataFormatException(file, "size " + contents[f].length + " bytes is not a positive multiple"
                        + " of the " + RECORD + "-byte CIFAR-10 record (truncated or not a CIFAR-10 binary batch)");
            }
            total += contents[f].length / RECORD;
        }
        byte[] pixels = new byte[total * (RECORD - 1)];
        int[] labels = new int[total];
        int i = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] c = contents[f];
            for (int off = 0; off < c.length; off += RECORD, i++) {
                labels[i] = c[off] & 0xff;
                if (labels[i] >= CLASSES) {
                    throw new DataFormatException(files.get(f), "label " + labels[i] + " of record "
                            + (off / RECORD) + " is outside [0, 10): not a CIFAR-10 binary batch");
                }
                System.arraycopy(c, off + 1, pixels, i * (RECORD - 1), RECORD - 1);
            }
        }
        return LabeledImages.fromBytes(name, pixels, labels, CLASSES, CHANNELS, SIDE, SIDE);
    }
}
