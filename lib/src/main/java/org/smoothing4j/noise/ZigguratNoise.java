package org.smoothing4j.noise;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gaussian noise from the ziggurat method (Marsaglia and Tsang, J. Stat. Softw. 5(8), 2000; 128 layers) on
 * SplitMix64 ({@link SplittableRandom}), generated in Java and written straight into the array's native buffer
 * ({@link ChunkedStream}).
 * Following Doornik (2005), the layer index and the sample's value come from different bits of one 64-bit draw
 * (the original reuses the low bits of the value, which correlates them).
 */
public final class ZigguratNoise extends ChunkedStream {
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

    @Override
    public String name() {
        return "ziggurat";
    }

    @Override
    public void fillAt(INDArray target, double sigma, long fill) {
        write(target, fill, (from, len, random, values, at) -> {
            for (int i = 0; i < len; i++) {
                values[at + i] = (float) (sigma * next(random));
            }
        });
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
