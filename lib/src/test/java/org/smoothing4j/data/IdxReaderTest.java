package org.smoothing4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    @TempDir
    Path dir;

    private LabeledImages readTrain() throws IOException {
        return Datasets.load(dir.toString(), Split.TRAIN);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void readsGzippedAndPlainIdxIntoUnitPixels(boolean gzipped) throws IOException {
        Fixtures.writeIdxPair(dir, "train", 12, 5, gzipped);
        LabeledImages data = readTrain();
        assertEquals(12, data.size());
        assertArrayEquals(new long[] {12, 1, 5, 5}, data.images().shape());
        for (int i = 0; i < 12; i++) {
            assertEquals(i % 10, data.labels()[i]);
            for (int p = 0; p < 25; p++) {
                float expected = (Fixtures.pixel(i, p) & 0xff) / 255f;
                assertEquals(expected, data.images().getFloat(i, 0, p / 5, p % 5), 0f, "image " + i + " pixel " + p);
            }
        }
        assertArrayEquals(new long[] {2, 2, 1, 1, 1, 1, 1, 1, 1, 1}, data.classCounts());
    }

    @Test
    void missingFileIsNamed() {
        DataFormatException e = assertThrows(DataFormatException.class, this::readTrain);
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte") && e.getMessage().contains("not found"),
                e.getMessage());
    }

    @Test
    void wrongMagicNumberIsNamedWithTheExpectedOne() throws IOException {
        Fixtures.writeIdxPair(dir, "train", 3, 4, false);
        Path images = dir.resolve("train-images-idx3-ubyte");
        byte[] b = Files.readAllBytes(images);
        b[3] = 1; // claims one dimension
        Files.write(images, b);
        DataFormatException e = assertThrows(DataFormatException.class, this::readTrain);
        assertTrue(e.getMessage().startsWith(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("wrong magic number 0x00000801, expected 0x00000803"), e.getMessage());
    }

    @Test
    void labelFileGivenAsImagesIsRejected() throws IOException {
        Fixtures.writeIdxPair(dir, "train", 3, 4, true);
        Files.copy(dir.resolve("train-labels-idx1-ubyte.gz"), dir.resolve("train-images-idx3-ubyte.gz"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        DataFormatException e = assertThrows(DataFormatException.class, this::readTrain);
        assertTrue(e.getMessage().contains("wrong magic number"), e.getMessage());
    }

    @Test
    void truncatedDataIsReportedWithExpectedAndFoundSizes() throws IOException {
        Fixtures.writeIdxPair(dir, "train", 4, 4, false);
        Path images = dir.resolve("train-images-idx3-ubyte");
        byte[] b = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(b, b.length - 5));
        DataFormatException e = assertThrows(DataFormatException.class, this::readTrain);
        assertTrue(e.getMessage().contains("truncated: expected 64 data bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("found 59"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Fixtures.writeIdxPair(dir, "train", 4, 4, false);
        Path images = dir.resolve("train-images-idx3-ubyte");
        Files.write(images, Arrays.copyOf(Files.readAllBytes(images), 2));
        DataFormatException e = assertThrows(DataFormatException.class, this::readTrain);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsReported() throws IOException {
        Fixtures.writeIdxPair(dir, "train", 20, 8, true);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] b = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(b, b.length / 2));
        DataFormatException e = assertThrows(DataFormatException.class, this::readTrain);
        assertTrue(e.getMessage().startsWith(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated or corrupt gzip"), e.getMessage());
    }

    @Test
    void mismatchedImageAndLabelCountsNameBothFiles() throws IOException {
        Fixtures.writeIdxPair(dir, "train", 6, 4, false);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), Fixtures.idx(new int[] {5}, new byte[5]));
        DataFormatException e = assertThrows(DataFormatException.class, this::readTrain);
        assertTrue(e.getMessage().contains("has 5 labels but") && e.getMessage().contains("has 6 images"),
                e.getMessage());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void labelOutsideTheClassesIsReported() throws IOException {
        Fixtures.writeIdxPair(dir, "train", 3, 4, false);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), Fixtures.idx(new int[] {3}, new byte[] {1, 12, 3}));
        DataFormatException e = assertThrows(DataFormatException.class, this::readTrain);
        assertTrue(e.getMessage().contains("label 12 at index 1 is outside [0, 10)"), e.getMessage());
    }

    @Test
    void unknownDataSetNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.load("no-such-set", Split.TEST));
        assertTrue(e.getMessage().contains("fashion-mnist"), e.getMessage());
    }
}
