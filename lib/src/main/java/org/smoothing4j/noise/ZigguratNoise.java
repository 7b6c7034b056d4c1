package org.smoothing4j.noise;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gaussian noise from the ziggurat method (Marsaglia and Tsang, J. Stat. Softw. 5(8), 2000; 128 layers) on
 * SplitMix64 ({@link SplittableRandom}), generated in Java and written straight into the array's native buffer.
 * Following Doornik (2005), the layer index and the sample's value come from different bits of one 64-bit draw
 * (the original reuses the low bits of the value, which correlates them). Large fills are split into fixed chunks
 * of {@value #CHUNK} values, each with its own stream derived from (seed, fill number, chunk), and filled in
 * parallel: the result depends only on the seed, never on the number of threads or their timing.
 */
final class ZigguratNoise implements IndexedNoiseSource {
    static final int CHUNK = 1 << 16;
    private static final int LAYERS = 128;
    private static final double R = 3.442619855899;
    private static final double AREA = 9.91256303526217e-3;
    private static final long[] K = new long[LAYERS];
    private static final double[] W = new double[LAYERS];
    private static final double[] F = new double[LAYERS];

    static {
        // the layer boundaries x_i, their densities f(x_i) = exp(-x_i^2 / 2), and the acceptance thresholds
        double m1 = 2147483648.0; // 2^31: values are signed 32-bit integers scaled by W
        double dn = R, tn = R;
        double q = AREA / Math.exp(-0.5 * dn * dn);
        K[0] = (long) ((dn / q) * m1);
        K[1] = 0;
        W[0] = q / m1;
        W[LAYERS - 1] = dn / m1;
        F[0] = 1.0;
        F[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
        for (int i = LAYERS - 2; i >= 1; i--) {
            dn = Math.sqrt(-2 * Math.log(AREA / dn + Math.exp(-0.5 * dn * dn)));
            K[i + 1] = (long) ((dn / tn) * m1);
            tn = dn;
            F[i] = Math.exp(-0.5 * dn * dn);
            W[i] = dn / m1;
        }
    }

    private long seed;
    private long fills;

    @Override
    public String name() {
        return "ziggurat";
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

    @Override
    public void fillAt(INDArray target, double sigma, long fill) {
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
            for (int i = 0; i < len; i++) {
                values[at + i] = (float) (sigma * next(random));
            }
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
    }

    /** One standard normal draw. */
    static double next(SplittableRandom random) {
        while (true) {
            long bits = random.nextLong();
            int layer = (int) (bits & (LAYERS - 1));
            long value = bits >> 32; // signed 32-bit, independent of the layer bits
            double x = value * W[layer];
            if (Math.abs(value) < K[layer]) {
                return x; // inside the layer's rectangle: ~98.8% of draws
            }
            if (layer == 0) { // the tail beyond R, by Marsaglia's exponential method
                double t, y;
                do {
                    t = -Math.log(1.0 - random.nextDouble()) / R;
                    y = -Math.log(1.0 - random.nextDouble());
                } while (y + y < t * t);
                return value > 0 ? R + t : -R - t;
            }
            if (F[layer] + random.nextDouble() * (F[layer - 1] - F[layer]) < Math.exp(-0.5 * x * x)) {
                return x; // under the density in the wedge
            }
        }
    }
}
