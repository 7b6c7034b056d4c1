package org.smoothing4j.noise;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The stream layout shared by the Java-side generators: fill k after a reseed to s is split into chunks of
 * {@value #CHUNK} values, each drawn from its own SplitMix64 stream of (s, k, chunk) ({@link SplittableRandom}) and
 * filled in parallel, written straight into the array's native buffer; the result depends only on the seed and the
 * fill number, never on the number of threads or their timing.
 */
abstract class ChunkedStream implements IndexedNoiseSource {
    static final int CHUNK = 1 << 16;
    private long seed;
    private long fills;

    /** Fills values[at .. at + len) with the elements from .. from + len of a fill, drawing from {@code random}. */
    interface Chunk {
        void fill(long from, int len, SplittableRandom random, float[] values, int at);
    }

    @Override
    public void reseed(long seed) {
        this.seed = seed;
        this.fills = 0;
    }

    @Override
    public long position() {
        return fills;
    }

    @Override
    public void skip(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("cannot skip " + count + " fills");
        }
        fills += count;
    }

    @Override
    public void fill(INDArray target, double sigma) {
        fillAt(target, sigma, fills++);
    }

    /** Writes fill number {@code fill} of the current stream into {@code target}, chunk by chunk. */
    void write(INDArray target, long fill, Chunk chunk) {
        long n = target.length();
        long seed = this.seed;
        int chunks = (int) ((n + CHUNK - 1) / CHUNK);
        boolean direct = target.dataType() == DataType.FLOAT && target.ordering() == 'c'
                && target.elementWiseStride() == 1 && !target.isEmpty();
        float[] staging = direct ? null : new float[Math.toIntExact(n)];
        FloatBuffer out = direct ? target.data().asNioFloat() : null;
        long offset = direct ? target.offset() : 0;
        Runnable work = () -> IntStream.range(0, chunks).parallel().forEach(c -> {
            int from = c * CHUNK, len = (int) Math.min(CHUNK, n - from);
            float[] values = staging != null ? staging : new float[len];
            int at = staging != null ? from : 0;
            SplittableRandom random = new SplittableRandom(Seeds.forExample(Seeds.forExample(seed, fill), c));
            chunk.fill(from, len, random, values, at);
            if (out != null) {
                FloatBuffer slice = out.duplicate();
                slice.position(Math.toIntExact(offset + from));
                slice.put(values, 0, len);
            }
        });
        if (chunks == 1) {
            work.run();
        } else {
            ForkJoinPool.commonPool().submit(work).join();
        }
        if (staging != null) {
            target.assign(Nd4j.createFromArray(staging).reshape(target.shape()).castTo(target.dataType()));
        }
        java.lang.ref.Reference.reachabilityFence(target); // the buffer wrote memory target owns
    }
}
