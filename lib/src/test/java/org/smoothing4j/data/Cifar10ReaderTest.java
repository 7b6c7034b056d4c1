package org.smoothing4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {
    @TempDir
    Path dir;

    @Test
    void concatenatesBatchesInOrderAsNchwUnitPixels() throws IOException {
        Path a = Files.write(dir.resolve("data_batch_1.bin"), Fixtures.cifarBatch(3, 0));
        Path b = Files.write(dir.resolve("data_batch_2.bin"), Fixtures.cifarBatch(2, 3));
        LabeledImages data = Cifar10Reader.read("cifar10/train", List.of(a, b));
        assertArrayEquals(new long[] {5, 3, 32, 32}, data.images().shape());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, data.labels());
        // channel c, row y, column x is byte 1 + c*1024 + y*32 + x of the record
        for (int i = 0; i < 5; i++) {
            for (int p : new int[] {0, 31, 32, 1023, 1024, 2047, 2048, 3071}) {
                float expected = (Fixtures.pixel(i, p) & 0xff) / 255f;
                assertEquals(expected, data.images().getFloat(i, p / 1024, (p % 1024) / 32, p % 32), 0f);
            }
        }
    }

    @Test
    void readsTheStandardLayoutThroughDatasets() throws IOException {
        Path root = dir.resolve("root");
        Path batches = Files.createDirectories(root.resolve("cifar10").resolve("cifar-10-batches-bin"));
        Files.write(batches.resolve("test_batch.bin"), Fixtures.cifarBatch(4, 0));
        System.setProperty("smoothing4j.data", root.toString());
        try {
            assertEquals(4, Datasets.load("cifar10", Split.TEST).size());
            DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.load("cifar10", Split.TRAIN));
            assertTrue(e.getMessage().contains("data_batch_1.bin") && e.getMessage().contains("not found"),
                    e.getMessage());
        } finally {
            System.clearProperty("smoothing4j.data");
        }
    }

    @Test
    void truncatedBatchIsReportedWithTheRecordSize() throws IOException {
        byte[] full = Fixtures.cifarBatch(2, 0);
        Path f = Files.write(dir.resolve("test_batch.bin"), Arrays.copyOf(full, full.length - 100));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10Reader.read("c", List.of(f)));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("3073-byte CIFAR-10 record"), e.getMessage());
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path f = Files.write(dir.resolve("test_batch.bin"), new byte[0]);
        assertThrows(DataFormatException.class, () -> Cifar10Reader.read("c", List.of(f)));
    }

    @Test
    void foreignFileWithImpossibleLabelIsRejected() throws IOException {
        byte[] batch = Fixtures.cifarBatch(2, 0);
        batch[Cifar10Reader.RECORD] = (byte) 200;
        Path f = Files.write(dir.resolve("test_batch.bin"), batch);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10Reader.read("c", List.of(f)));
        assertTrue(e.getMessage().contains("label 200 of record 1"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path f = dir.resolve("data_batch_9.bin");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10Reader.read("c", List.of(f)));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("not found"), e.getMessage());
    }
}
