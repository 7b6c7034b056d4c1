package org.smoothing4j.certify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.GridNoise;
import org.smoothing4j.noise.IndexedNoiseSource;
import org.smoothing4j.noise.NoiseSource;

/**
 * Monte Carlo sampling of a base classifier under noise: the counts of f's predictions on noisy copies x + delta of
 * one image, drawn in batches of {@code batchSize} (the last batch is the remainder) from a noise stream restarted at
 * a seed, on one thread or several ({@link ParallelSampling}), into batch buffers kept between calls. In the sound
 * mode ({@link GridNoise}) the noisy inputs are the grid noise's lattice points. The algorithms that use the counts
 * are {@link SmoothedClassifier}'s. Not thread-safe.
 */
final class Sampler implements AutoCloseable {
    /** Cohen et al.'s batch size. */
    static final int DEFAULT_BATCH = 400;

    private final Classifier base;
    private final NoiseSource noise;
    private final double sigma;
    private final int batchSize;
    private final int workers;
    private final long[] shape;
    private final long d;
    private INDArray buffer;
    /** For sampling on several threads: the base classifier and its copies, and a batch buffer for each. */
    private List<Classifier> copies;
    private INDArray[] buffers;

    Sampler(Classifier base, NoiseSource noise, double sigma, int batchSize, int workers) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.base = base;
        this.noise = noise;
        this.sigma = sigma;
        this.batchSize = batchSize;
        this.workers = workers;
        this.shape = base.inputShape();
        this.d = shape[0] * shape[1] * shape[2];
    }

    /**
     * Closes the concurrent copies of the base classifier this sampler made for its threads (not the base classifier,
     * which its caller owns); they are made again if sampling goes on.
     */
    @Override
    public void close() {
        if (copies != null) {
            copies.subList(1, copies.size()).forEach(Classifier::close);
            copies = null;
            buffers = null;
        }
    }

    /** Restarts the noise stream at a seed, with buffers for batches of up to {@code samples} samples. */
    void restart(long seed, long samples) {
        reserve(samples);
        noise.reseed(seed);
    }

    /** Counts of the base classifier's predictions on {@code num} noisy copies of x from the current stream. */
    long[] counts(INDArray x, long num) {
        long[] counts = new long[base.numClasses()];
        sample(x, num, counts, StopRule.NEVER);
        return counts;
    }

    /**
     * Adds the predictions of up to {@code num} noisy copies of x to {@code counts}, asking {@code stop} after each
     * batch but the last; returns how many were drawn.
     */
    long sample(INDArray x, long num, long[] counts, StopRule stop) {
        if (x.length() != d) {
            throw new IllegalArgumentException("input has " + x.length() + " values but the base classifier expects "
                    + Arrays.toString(shape));
        }
        INDArray xRow = x.reshape(1, d).castTo(DataType.FLOAT);
        reserve(num);
        Inputs inputs = inputs(xRow);
        if (num > batchSize && parallel() && noise instanceof IndexedNoiseSource indexed) {
            int classes = counts.length;
            return ParallelSampling.sample(copies.size(), indexed, num, batchSize, counts, stop,
                    (worker, rows, fill) -> batchCounts(copies.get(worker), buffers[worker], rows, classes,
                            batch -> inputs.fillAt(batch, fill)));
        }
        long drawn = 0;
        while (drawn < num) {
            int b = (int) Math.min(batchSize, num - drawn);
            long[] c = batchCounts(base, buffer, b, counts.length, inputs == null ? batch -> {
                noise.fill(batch, sigma);
                batch.addiRowVector(xRow);
            } : batch -> {
                IndexedNoiseSource indexed = (IndexedNoiseSource) noise;
                inputs.fillAt(batch, indexed.position());
                indexed.skip(1);
            });
            for (int i = 0; i < c.length; i++) {
                counts[i] += c[i];
            }
            drawn += b;
            if (drawn < num && stop.stop(counts, drawn)) {
                break;
            }
        }
        return drawn;
    }

    /** Writes a batch's noisy inputs from fill number {@code fill} of an indexed noise stream. */
    @FunctionalInterface
    private interface Inputs {
        void fillAt(INDArray batch, long fill);
    }

    /** The noisy inputs of x by fill number, or null for a stream that is not indexed. */
    private Inputs inputs(INDArray xRow) {
        if (noise instanceof GridNoise grid) {
            int[] m = grid.gridOf(xRow);
            return (batch, fill) -> grid.fillInputsAt(batch, m, fill);
        }
        return noise instanceof IndexedNoiseSource indexed ? (batch, fill) -> {
            indexed.fillAt(batch, sigma, fill);
            batch.addiRowVector(xRow);
        } : null;
    }

    /**
     * The base classifier's prediction counts on one batch: the first b rows of {@code buffer} [batchSize, d] get their
     * noisy inputs from {@code fillInputs}.
     */
    private long[] batchCounts(Classifier f, INDArray buffer, int b, int classes, Consumer<INDArray> fillInputs) {
        INDArray batch = b == buffer.size(0) ? buffer : buffer.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
        fillInputs.accept(batch);
        INDArray scores = f.scoresOfScratch(batch.reshape(b, shape[0], shape[1], shape[2]));
        long[] counts = new long[classes];
        for (long c : scores.argMax(1).toLongVector()) {
            counts[(int) c]++;
        }
        return counts;
    }

    /**
     * Whether sampling runs on several threads: more than one worker, indexed noise and concurrent copies of the base
     * classifier; prepares the copies and their batch buffers (the first is the calling thread's) on first use.
     */
    private boolean parallel() {
        if (workers < 2 || !(noise instanceof IndexedNoiseSource)) {
            return false;
        }
        if (copies == null) {
            List<Classifier> made = new ArrayList<>(List.of(base));
            for (int k = 1; k < workers; k++) {
                Optional<Classifier> copy = base.concurrentCopy();
                if (copy.isEmpty()) {
                    break;
                }
                made.add(copy.get());
            }
            copies = made;
        }
        if (copies.size() < 2) {
            return false;
        }
        if (buffers == null || buffers[0] != buffer) {
            buffers = new INDArray[copies.size()];
            buffers[0] = buffer;
            for (int k = 1; k < buffers.length; k++) {
                buffers[k] = Nd4j.create(DataType.FLOAT, buffer.size(0), d);
            }
        }
        return true;
    }

    /**
     * Makes the calling thread's batch buffer [rows, d] (reused across calls) large enough for batches of up to
     * {@code samples} samples: min(batch size, samples) rows, so a large batch size with few samples costs no more
     * than the samples. Refuses a buffer that could not fit in the native memory allowed (JavaCPP's limit,
     * {@code SMOOTHING4J_OFFHEAP} in bin/jvm-options) instead of letting the allocation fail in native code.
     */
    private void reserve(long samples) {
        long rows = Math.min(batchSize, samples);
        if (buffer != null && buffer.size(0) >= rows) {
            return;
        }
        long bytes = rows * d * Float.BYTES * Math.max(1, workers);
        long allowed = Pointer.maxBytes() / 4;
        if (rows * d > Integer.MAX_VALUE || allowed > 0 && bytes > allowed) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "batch size %d: %d noisy copies of %d "
                    + "values on %d thread(s) need %.1f GB for the noise alone, more than a quarter of the %.1f GB of "
                    + "native memory allowed; use a smaller --batch (the reference uses %d)", batchSize, rows, d,
                    Math.max(1, workers), bytes / 1e9, Pointer.maxBytes() / 1e9, DEFAULT_BATCH));
        }
        buffer = Nd4j.create(DataType.FLOAT, rows, d);
    }
}
