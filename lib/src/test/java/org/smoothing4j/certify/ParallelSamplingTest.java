package org.smoothing4j.certify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.smoothing4j.attack.NoisyCopies;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.model.Normalization;
import org.smoothing4j.model.dl4j.Architectures;
import org.smoothing4j.model.dl4j.Network;
import org.smoothing4j.noise.IndexedNoiseSource;
import org.smoothing4j.noise.Seeds;

/**
 * Sampling on several threads gives exactly the sequential loop's counts, certificates and predictions (the same
 * noise for the same batch, the same stop after the same batch), and leaves the noise stream where the sequential
 * loop leaves it.
 */
class ParallelSamplingTest {
    private static LabeledImages data;

    @BeforeAll
    static void load() throws IOException {
        data = Datasets.load("fashion-mnist", Split.TEST).head(256);
    }

    /** A network after 8 steps on real images, so that noisy copies of an image fall into several classes. */
    private static Network trained(String arch) {
        Network net = Architectures.build(arch, new long[] {1, 28, 28}, 10,
                Normalization.FASHION_MNIST, new Nesterovs(0.05, 0.9), 1e-4, 5, DataType.FLOAT);
        for (int k = 0; k < 8; k++) {
            INDArray x = data.images().get(NDArrayIndex.interval(32 * k, 32 * (k + 1))).castTo(DataType.FLOAT);
            int[] labels = Arrays.copyOfRange(data.labels(), 32 * k, 32 * (k + 1));
            net.fit(x, NoisyCopies.oneHot(labels, 1, 10, DataType.FLOAT));
        }
        return net;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet", "mlp"})
    void realNetworkGivesTheSequentialCountsAndCertificates(String arch) {
        Network net = trained(arch);
        assertTrue(net.concurrentCopy().isPresent(), "layer stacks have concurrent copies");
        // batch 100: 1,050 samples are 11 batches, the last one partial; 3 threads: uneven shares of batches
        SmoothedClassifier sequential = SmoothedClassifier.of(net, 0.5).withBatchSize(100).withWorkers(1);
        SmoothedClassifier parallel = SmoothedClassifier.of(net, 0.5).withBatchSize(100).withWorkers(3);
        int split = 0;
        for (int i = 0; i < 6; i++) {
            INDArray x = data.image(i);
            long seed = Seeds.forExample(11, i);
            sequential.noise().reseed(seed);
            parallel.noise().reseed(seed);
            long[] expected = sequential.sampleCounts(x, 1_050);
            long[] actual = parallel.sampleCounts(x, 1_050);
            assertArrayEquals(expected, actual, "counts of image " + i);
            assertEquals(position(sequential), position(parallel));
            split += Arrays.stream(expected).filter(c -> c > 0).count() > 1 ? 1 : 0;
            assertEquals(sequential.certify(x, 100, 1_050, 0.001, seed), parallel.certify(x, 100, 1_050, 0.001, seed));
            assertEquals(sequential.predict(x, 1_050, 0.001, seed), parallel.predict(x, 1_050, 0.001, seed));
        }
        assertTrue(split >= 2, "at least two images have noisy copies in several classes (else the test is weak)");
    }

    @Test
    void soundModeGivesTheSequentialCountsOnThreadsToo() {
        Network net = trained("lenet");
        Smoothing sound = Smoothing.gaussian(0.5).withSoundGrid(255);
        SmoothedClassifier sequential = SmoothedClassifier.of(net, sound).withBatchSize(100).withWorkers(1);
        SmoothedClassifier parallel = SmoothedClassifier.of(net, sound).withBatchSize(100).withWorkers(2);
        for (int i = 0; i < 3; i++) {
            long seed = Seeds.forExample(12, i);
            assertEquals(sequential.certify(data.image(i), 100, 1_050, 0.001, seed),
                    parallel.certify(data.image(i), 100, 1_050, 0.001, seed));
            assertEquals(position(sequential), position(parallel));
        }
    }

    /** Where the classifier's (ziggurat) noise stream is. */
    private static long position(SmoothedClassifier g) {
        return ((IndexedNoiseSource) g.noise()).position();
    }

    /** f(z) = 1 if the first pixel >= 0.5, stateless: copies may share it. Counts calls and libnd4j's thresholds. */
    private static final class HalfSpace implements Classifier {
        final AtomicInteger calls = new AtomicInteger();
        final Set<Integer> thresholdsSeen = ConcurrentHashMap.newKeySet();
        final int failOnCall;

        HalfSpace(int failOnCall) {
            this.failOnCall = failOnCall;
        }

        @Override
        public INDArray scores(INDArray b) {
            thresholdsSeen.add(Nd4j.getEnvironment().elementwiseThreshold());
            thresholdsSeen.add(Nd4j.getEnvironment().tadThreshold());
            if (calls.incrementAndGet() == failOnCall) {
                throw new IllegalStateException("batch " + failOnCall + " failed");
            }
            INDArray first = b.reshape(b.size(0), 4).getColumn(0).reshape(b.size(0), 1);
            INDArray one = first.gte(0.5).castTo(DataType.FLOAT);
            return Nd4j.hstack(one.rsub(1.0), one);
        }

        @Override
        public int numClasses() {
            return 2;
        }

        @Override
        public long[] inputShape() {
            return new long[] {1, 2, 2};
        }

        @Override
        public Optional<Classifier> concurrentCopy() {
            return Optional.of(this);
        }
    }

    @Test
    void earlyAbstentionStopsAfterTheSameBatchAndTheStreamContinuesAlike() {
        // pA = 1/2 at the boundary: CERTIFY abstains, and with early abstention stops its second stage early
        INDArray x = Nd4j.create(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new long[] {1, 1, 2, 2});
        SmoothedClassifier sequential = SmoothedClassifier.of(new HalfSpace(-1), 0.25).withBatchSize(50)
                .withWorkers(1);
        SmoothedClassifier parallel = SmoothedClassifier.of(new HalfSpace(-1), 0.25).withBatchSize(50).withWorkers(2);
        for (long seed = 0; seed < 5; seed++) {
            Certificate a = sequential.certify(x, 100, 10_000, 0.001, seed);
            Certificate b = parallel.certify(x, 100, 10_000, 0.001, seed);
            assertEquals(a, b);
            assertTrue(a.drawn() < 10_000, "stopped early: " + a);
            assertEquals(position(sequential), position(parallel));
            INDArray next = Nd4j.create(DataType.FLOAT, 3, 4);
            INDArray alsoNext = next.like();
            sequential.noise().fill(next, 1.0);
            parallel.noise().fill(alsoNext, 1.0);
            assertEquals(next, alsoNext, "the stream continues from the same place");
        }
    }

    @Test
    void aFailingBatchFailsTheCallAndTheThreadsStayUsable() {
        INDArray x = Nd4j.create(new float[] {0.3f, 0.5f, 0.5f, 0.5f}, new long[] {1, 1, 2, 2});
        SmoothedClassifier failing = SmoothedClassifier.of(new HalfSpace(3), 0.25).withBatchSize(50).withWorkers(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> failing.predict(x, 1_000, 0.001, 1));
        assertEquals("batch 3 failed", e.getMessage());
        SmoothedClassifier fine = SmoothedClassifier.of(new HalfSpace(-1), 0.25).withBatchSize(50).withWorkers(2);
        Prediction p = fine.predict(x, 1_000, 0.001, 1);
        assertEquals(1_000, p.nA() + p.nB(), "two classes: all 1,000 samples counted");
    }

    @Test
    void libnd4jThresholdsAreRaisedWhileSamplingAndRestoredAfter() {
        Environment env = Nd4j.getEnvironment();
        int elementwise = env.elementwiseThreshold(), tad = env.tadThreshold();
        assertNotEquals(100_000_000, elementwise, "libnd4j's default, not the sampling setting");
        INDArray x = Nd4j.create(new float[] {0.3f, 0.5f, 0.5f, 0.5f}, new long[] {1, 1, 2, 2});
        HalfSpace f = new HalfSpace(-1);
        SmoothedClassifier.of(f, 0.25).withBatchSize(50).withWorkers(2).predict(x, 1_000, 0.001, 1);
        assertEquals(Set.of(100_000_000), f.thresholdsSeen, "every batch ran with the raised thresholds");
        assertEquals(elementwise, env.elementwiseThreshold());
        assertEquals(tad, env.tadThreshold());
        SmoothedClassifier failing = SmoothedClassifier.of(new HalfSpace(3), 0.25).withBatchSize(50).withWorkers(2);
        assertThrows(IllegalStateException.class, () -> failing.predict(x, 1_000, 0.001, 1));
        assertEquals(elementwise, env.elementwiseThreshold(), "restored after a failure too");
        assertEquals(tad, env.tadThreshold());
    }

    @Test
    void workersMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> SmoothedClassifier.of(new HalfSpace(-1), 0.25)
                .withWorkers(0));
    }
}
