package org.smoothing4j.certify;

import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.smoothing4j.noise.IndexedNoiseSource;

/**
 * Monte Carlo sampling on several threads ({@link Sampler}'s): worker k draws batches k, k + W, k + 2W, ...
 * (noise, forward pass, argmax, counts) with its own copy of the base classifier and its own batch buffer, while the
 * calling thread adds the batches' counts in order and applies the stop rule after each, exactly as the sequential
 * loop. Batch j's noise is fill number (position + j) of an {@link IndexedNoiseSource}, so the
 * counts are those of the sequential loop whatever the threads' timing (ParallelSamplingTest); the stream ends
 * where the sequential loop would leave it.
 * <p>
 * Why: on two cores the small models' forward passes barely gain from a second OpenMP thread (the MLP's did not
 * at all, LeNet's by 1.6x), and the noise is drawn between them; two independent pipelines with one OpenMP thread
 * each keep both cores busy (measured: certification 1.6-1.8x faster for LeNet, 2x for the MLP).
 */
final class ParallelSampling {
    /** System property: the number of sampling threads (default: the cores, at most OMP_NUM_THREADS); 1 = off. */
    static final String PROPERTY = "smoothing4j.workers";

    private ParallelSampling() {}

    /** Property {@value #PROPERTY}, else the available cores capped by the environment's OMP_NUM_THREADS. */
    static int configuredWorkers() {
        String set = System.getProperty(PROPERTY);
        if (set != null) {
            return positive(set).orElseThrow(() -> new IllegalArgumentException("system property " + PROPERTY
                    + " must be a positive number of threads, got '" + set + "'"));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return Math.min(cores, positive(System.getenv("OMP_NUM_THREADS")).orElse(cores));
    }

    /** A positive number of at most four digits, or empty. */
    private static OptionalInt positive(String value) {
        if (value == null || !value.trim().matches("[0-9]{1,4}") || Integer.parseInt(value.trim()) < 1) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(value.trim()));
    }

    /** One batch's prediction counts: worker k's copy of the classifier on {@code rows} inputs of noise fill f. */
    @FunctionalInterface
    interface Batch {
        long[] counts(int worker, int rows, long fill);
    }

    /**
     * Adds the predictions of up to {@code num} noisy inputs to {@code counts}, in batches of {@code batchSize}, on
     * {@code workers} threads ({@code batch} computes one batch on one worker's copy); returns how many samples the
     * sequential loop would have drawn before stopping.
     */
    static long sample(int workers, IndexedNoiseSource noise, long num, int batchSize, long[] counts, StopRule stop,
            Batch batch) {
        Thresholds.enter();
        try {
            return sampleOnWorkers(workers, noise, num, batchSize, counts, stop, batch);
        } finally {
            Thresholds.leave();
        }
    }

    private static long sampleOnWorkers(int workers, IndexedNoiseSource noise, long num, int batchSize, long[] counts,
            StopRule stop, Batch batch) {
        long first = noise.position();
        int batches = Math.toIntExact((num + batchSize - 1) / batchSize);
        @SuppressWarnings("unchecked")
        CompletableFuture<long[]>[] results = new CompletableFuture[batches];
        for (int j = 0; j < batches; j++) {
            results[j] = new CompletableFuture<>();
        }
        AtomicBoolean done = new AtomicBoolean();
        Future<?>[] tasks = new Future<?>[workers];
        for (int k = 0; k < workers; k++) {
            int worker = k;
            tasks[k] = Pool.THREADS.submit(() -> {
                for (int j = worker; j < batches && !done.get(); j += workers) {
                    try {
                        int b = (int) Math.min(batchSize, num - (long) j * batchSize);
                        long fill = first + j;
                        results[j].complete(batch.counts(worker, b, fill));
                    } catch (Throwable t) {
                        results[j].completeExceptionally(t);
                        return;
                    }
                }
            });
        }
        long drawn = 0;
        int used = 0;
        try {
            for (int j = 0; j < batches; j++) {
                long[] c = results[j].join();
                for (int i = 0; i < c.length; i++) {
                    counts[i] += c[i];
                }
                drawn += Math.min(batchSize, num - (long) j * batchSize);
                used++;
                if (drawn < num && stop.stop(counts, drawn)) {
                    break;
                }
            }
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            done.set(true);
            for (Future<?> t : tasks) { // the workers use the buffers: wait until every one has stopped
                try {
                    t.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    // a failed batch was reported through its result
                }
            }
        }
        noise.skip(used);
        return drawn;
    }

    /**
     * The sampling threads, shared by every smoothed classifier. Each runs its libnd4j operations on one OpenMP
     * thread (a per-thread setting: the caller's is unchanged).
     */
    private static final class Pool {
        static final ExecutorService THREADS = create();

        private static ExecutorService create() {
            AtomicInteger count = new AtomicInteger();
            return Executors.newFixedThreadPool(Math.max(2, configuredWorkers()), r -> {
                Thread t = new Thread(() -> {
                    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
                    r.run();
                }, "smoothing4j-sampling-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    /**
     * While any sampling runs, element-wise and along-dimension operations stay on their calling thread below 10^8
     * elements: otherwise each worker's small operations would start OpenMP teams of their own and oversubscribe the
     * cores (measured). libnd4j's thresholds are process-wide, so they are set when the first sampling starts and
     * restored when the last one ends: training in the same process keeps libnd4j's defaults (with them, ND4J's
     * Gaussian generator ran at half its rate in the MLP's SmoothAdv step).
     */
    private static final class Thresholds {
        private static final int SINGLE_THREAD_BELOW = 100_000_000;
        private static int active;
        private static int elementwise;
        private static int tad;

        private Thresholds() {}

        static synchronized void enter() {
            if (active++ == 0) {
                Environment env = Nd4j.getEnvironment();
                elementwise = env.elementwiseThreshold();
                tad = env.tadThreshold();
                env.setElementwiseThreshold(SINGLE_THREAD_BELOW);
                env.setTadThreshold(SINGLE_THREAD_BELOW);
            }
        }

        static synchronized void leave() {
            if (--active == 0) {
                Nd4j.getEnvironment().setElementwiseThreshold(elementwise);
                Nd4j.getEnvironment().setTadThreshold(tad);
            }
        }
    }
}
