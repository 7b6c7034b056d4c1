import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checks that ND4J's float matrix product (OpenBLAS sgemm) is correct under the current OPENBLAS_CORETYPE, and
 * measures its speed. Run by benchmarks/sgemm-check for each core type; the launcher only sets a core type that
 * passed here. Correctness: the max error of C = A B (odd sizes, to hit every kernel edge case) relative to a
 * double-precision product, against the float bound sqrt(k) * 2^-24 * 8 (k = inner dimension).
 */
public class SgemmCheck {
    public static void main(String[] args) {
        Random rnd = new Random(42);
        int[][] shapes = {{257, 263, 271}, {1000, 784, 401}, {33, 1, 17}, {400, 3136, 128}};
        double worst = 0;
        boolean ok = true;
        for (int[] s : shapes) {
            int m = s[0], k = s[1], n = s[2];
            float[] a = new float[m * k], b = new float[k * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextGaussian();
            INDArray c = Nd4j.create(a, new long[] {m, k}, 'c').mmul(Nd4j.create(b, new long[] {k, n}, 'c'));
            double maxRel = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double exact = 0, scale = 0;
                    for (int p = 0; p < k; p++) {
                        double t = (double) a[i * k + p] * b[p * n + j];
                        exact += t;
                        scale += Math.abs(t);
                    }
                    maxRel = Math.max(maxRel, Math.abs(c.getDouble(i, j) - exact) / Math.max(scale, 1e-30));
                }
            }
            double bound = 8 * Math.sqrt(k) * Math.pow(2, -24);
            ok &= maxRel <= bound;
            worst = Math.max(worst, maxRel / bound);
            System.out.printf("sgemm %dx%dx%d: max error %.2e of the |A||B| scale (bound %.2e)%n", m, k, n, maxRel, bound);
        }
        int size = 2048;
        INDArray x = Nd4j.rand(DataType.FLOAT, size, size), y = Nd4j.rand(DataType.FLOAT, size, size);
        INDArray z = Nd4j.create(DataType.FLOAT, size, size);
        for (int i = 0; i < 3; i++) x.mmuli(y, z);
        int reps = 10;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) x.mmuli(y, z);
        double sec = (System.nanoTime() - t0) / 1e9;
        System.out.printf("OPENBLAS_CORETYPE=%s: sgemm %d^3 %.0f GFLOP/s; correct: %s%n",
                System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(unset)"), size,
                2.0 * size * size * size * reps / sec / 1e9, ok ? "yes" : "NO");
        System.exit(ok ? 0 : 1);
    }
}
