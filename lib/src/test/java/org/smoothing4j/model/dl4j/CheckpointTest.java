package org.smoothing4j.model.dl4j;

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
import org.smoothing4j.io.FileHash;
import org.smoothing4j.model.Normalization;

class CheckpointTest {
    @TempDir
    Path dir;

    private Path saved() throws IOException {
        Network net = Architectures.build("mlp", new long[] {1, 28, 28}, 10,
                Normalization.FASHION_MNIST, new Sgd(0.1), 0, 1);
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
    void theSameContentGivesTheSameBytesAndFingerprint() throws IOException {
        Path a = saved();
        String sha = FileHash.sha256(a);
        String fingerprint = Checkpoint.load(a).fingerprint();
        Path b = dir.resolve("again.zip");
        Network net = Architectures.build("mlp", new long[] {1, 28, 28}, 10,
                Normalization.FASHION_MNIST, new Sgd(0.1), 0, 1);
        Checkpoint.save(net, "mlp", Map.of("epoch", 3), b);
        assertEquals(sha, FileHash.sha256(b)); // fixed entry times: no timestamp in the bytes
        assertEquals(fingerprint, Checkpoint.load(b).fingerprint());
        Network other = Architectures.build("mlp", new long[] {1, 28, 28}, 10,
                Normalization.FASHION_MNIST, new Sgd(0.1), 0, 2);
        assertTrue(!fingerprint.equals(Checkpoint.fingerprint(other.model())), "another seed, the same fingerprint");
    }

    @Test
    void aStaleMetadataFileFromAnInterruptedSaveIsIgnoredAndRepaired() throws IOException {
        Path zip = saved();
        String first = Files.readString(Checkpoint.metadataFile(zip));
        Network net = Architectures.build("mlp", new long[] {1, 28, 28}, 10,
                Normalization.FASHION_MNIST, new Sgd(0.1), 0, 5);
        Checkpoint.save(net, "mlp", Map.of("epoch", 4), zip);
        Files.writeString(Checkpoint.metadataFile(zip), first); // as a kill between the zip's rename and the json's
        Checkpoint.Loaded loaded = Checkpoint.load(zip);
        assertEquals(4, ((Number) loaded.metadata().get("epoch")).intValue());
        assertEquals(Checkpoint.fingerprint(net.model()), loaded.fingerprint());
        assertTrue(Checkpoint.repairMetadataFile(zip, loaded));
        assertTrue(Files.readString(Checkpoint.metadataFile(zip)).contains("\"epoch\" : 4"));
        assertTrue(!Checkpoint.repairMetadataFile(zip, Checkpoint.load(zip)), "repaired twice");
    }

    /**
     * A checkpoint written by smoothing4j as it was before this version (commit ed62c06: no metadata entry in the zip,
     * the activation stored under its former class name org.smoothing4j.model.NormalizeActivation): it still loads
     * and computes what it computed then (the probabilities that version printed for this input).
     */
    @Test
    void aCheckpointOfTheEarlierVersionStillLoadsAndComputesTheSame() throws IOException {
        Path zip = Path.of("src", "test", "resources", "checkpoints", "before-0.2", "model.zip");
        Checkpoint.Loaded loaded = Checkpoint.load(zip);
        float[] p = loaded.network().scores(org.nd4j.linalg.factory.Nd4j.linspace(0, 1, 16).reshape(1, 1, 4, 4)
                .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)).toFloatVector();
        float[] then = {0.10049785f, 0.099863596f, 0.10022614f, 0.10004224f, 0.09954931f, 0.100035734f, 0.10020872f,
            0.09908687f, 0.10008667f, 0.100402884f};
        org.junit.jupiter.api.Assertions.assertArrayEquals(then, p, 1e-7f);
        assertEquals(64, loaded.fingerprint().length());
    }

    /**
     * Networks saved while the normalisation layer's activation lived in model.dl4j name it there: such a
     * configuration still reads, as the same layer (the shim is the model package's class under its former name).
     */
    @Test
    void aConfigurationNamingTheFormerActivationClassStillReads() {
        Network net = Architectures.build("mlp", new long[] {1, 28, 28}, 10, Normalization.FASHION_MNIST,
                new Sgd(0.1), 0, 1);
        String json = ((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) net.model()).getLayerWiseConfigurations()
                .toJson();
        assertTrue(json.contains("\"org.smoothing4j.model.NormalizeActivation\""), "new networks use the model name");
        String former = json.replace("\"org.smoothing4j.model.NormalizeActivation\"",
                "\"org.smoothing4j.model.dl4j.NormalizeActivation\"");
        var conf = org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(former);
        var layer = (org.deeplearning4j.nn.conf.layers.ActivationLayer) conf.getConf(0).getLayer();
        assertTrue(layer.getActivationFn() instanceof NormalizeActivation, layer.getActivationFn().toString());
        assertEquals(new org.smoothing4j.model.NormalizeActivation(Normalization.FASHION_MNIST.mean(),
                Normalization.FASHION_MNIST.std()), layer.getActivationFn());
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
        // a checkpoint of the earlier format (no metadata entry in the zip) needs the file beside it
        Network net = Architectures.build("mlp", new long[] {1, 28, 28}, 10,
                Normalization.FASHION_MNIST, new Sgd(0.1), 0, 1);
        Path legacy = dir.resolve("legacy.zip");
        net.save(legacy);
        assertTrue(assertThrows(IOException.class, () -> Checkpoint.load(legacy)).getMessage()
                .contains("its metadata"));
    }
}
