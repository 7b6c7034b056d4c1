package org.smoothing4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Sgd;

class CheckpointTest {
    @TempDir
    Path dir;

    private Path saved() throws IOException {
        Network net = Architectures.build("mlp", new long[] {1, 28, 28}, 10,
                Architectures.Normalization.FASHION_MNIST, new Sgd(0.1), 0, 1);
        Path zip = dir.resolve("model.zip");
        Checkpoint.save(net, "mlp", Map.of("epoch", 3), zip);
        return zip;
    }

    @Test
    void roundTripsWeightsAndMetadata() throws IOException {
        Path zip = saved();
        Checkpoint.Loaded loaded = Checkpoint.load(zip);
        assertEquals("mlp", loaded.arch());
        assertEquals(3, ((Number) loaded.metadata().get("epoch")).intValue());
        assertTrue(Arrays.equals(new long[] {1, 28, 28}, loaded.network().inputShape()));
        assertEquals(535_818, loaded.network().parameterCount());
        // no temporary files are left behind by the atomic writes
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void truncatedCheckpointIsDetectedNotHalfLoaded() throws IOException {
        Path zip = saved();
        byte[] b = Files.readAllBytes(zip);
        Files.write(zip, Arrays.copyOf(b, b.length / 2));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(zip));
        assertTrue(e.getMessage().contains("truncated or replaced"), e.getMessage());
    }

    @Test
    void corruptCheckpointIsDetected() throws IOException {
        Path zip = saved();
        byte[] b = Files.readAllBytes(zip);
        b[b.length / 2] ^= 0x5a;
        Files.write(zip, b);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(zip));
        assertTrue(e.getMessage().contains("SHA-256 differs"), e.getMessage());
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        assertTrue(assertThrows(IOException.class, () -> Checkpoint.load(dir.resolve("none.zip"))).getMessage()
                .contains("model file not found"));
        Path zip = saved();
        Files.delete(Checkpoint.metadataFile(zip));
        assertTrue(assertThrows(IOException.class, () -> Checkpoint.load(zip)).getMessage()
                .contains("its metadata"));
    }
}
