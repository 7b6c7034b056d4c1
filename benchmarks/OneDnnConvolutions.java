import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.LongPointer;
import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * Issue 31's second prototype: the convolutions of one ResNet-20 training step (batch 128, CIFAR-10 shapes, the same
 * list as ResNetOps.java) through oneDNN's training primitives called directly (org.bytedeco:dnnl 2.5.2-1.5.7, the
 * JavaCPP version of DL4J 1.0.0-M2.1): forward (training), backward data and backward weights of each, in the
 * layouts oneDNN chooses (format_tag any: blocked), as a training step that keeps its activations in those layouts
 * would run them. Compare with PyTorch's convolution time per step (results/bench-runs.md, 2026-12-04: 173 ms) and
 * ONNX Runtime's (190 ms for forward and input gradients, 280 ms more for weight gradients). Loaded in the same JVM
 * as ND4J (its oneDNN build), so a clash of the two native libraries would show here.
 *   benchmarks/onednn-convolutions [repetitions]      (fetches the oneDNN preset; threads: OMP_NUM_THREADS)
 */
public class OneDnnConvolutions {
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 4, batch = 128;
        org.nd4j.linalg.factory.Nd4j.create(1); // ND4J's native library first, as in smoothing4j
        List<int[]> convs = new ArrayList<>(); // {in, out, kernel, stride, input size}
        convs.add(new int[] {3, 16, 3, 1, 32});
        for (int i = 0; i < 6; i++) {
            convs.add(new int[] {16, 16, 3, 1, 32});
        }
        convs.add(new int[] {16, 32, 3, 2, 32});
        convs.add(new int[] {16, 32, 1, 2, 32});
        for (int i = 0; i < 5; i++) {
            convs.add(new int[] {32, 32, 3, 1, 16});
        }
        convs.add(new int[] {32, 64, 3, 2, 16});
        convs.add(new int[] {32, 64, 1, 2, 16});
        for (int i = 0; i < 5; i++) {
            convs.add(new int[] {64, 64, 3, 1, 8});
        }
        engine eng = new engine(engine.kind.cpu, 0);
        stream s = new stream(eng);
        List<Conv> all = new ArrayList<>();
        for (int[] c : convs) {
            all.add(new Conv(eng, batch, c));
        }
        for (int r = 0; r < reps + 1; r++) {
            double[] ms = new double[3];
            for (Conv c : all) {
                c.run(s, ms);
            }
            System.out.printf(Locale.ROOT, "%s oneDNN convolutions of a ResNet-20 step: forward %.1f ms, backward data "
                    + "%.1f ms, backward weights %.1f ms, total %.1f ms%n", r == 0 ? "warm-up" : "rep " + r, ms[0], ms[1],
                    ms[2], ms[0] + ms[1] + ms[2]);
        }
    }

    /** One convolution's three primitives and their memories. */
    static final class Conv {
        final primitive fwd, bwdData, bwdWeights;
        final IntMemoryMap fwdArgs = new IntMemoryMap(), dataArgs = new IntMemoryMap(), weightArgs = new IntMemoryMap();
        final boolean first;

        Conv(engine eng, int batch, int[] c) {
            int in = c[0], out = c[1], k = c[2], st = c[3], h = c[4], oh = (h + 2 * (k / 2) - k) / st + 1;
            long[] strides = {st, st}, pad = {k / 2, k / 2};
            memory.desc src = md(batch, in, h, h), wts = md(out, in, k, k), dst = md(batch, out, oh, oh);
            convolution_forward.primitive_desc f = new convolution_forward.primitive_desc(new convolution_forward.desc(
                    prop_kind.forward_training, algorithm.convolution_direct, src, wts, dst, strides, pad, pad), eng);
            convolution_backward_data.primitive_desc d = new convolution_backward_data.primitive_desc(
                    new convolution_backward_data.desc(algorithm.convolution_direct, src, wts, dst, strides, pad, pad),
                    eng, f);
            convolution_backward_weights.primitive_desc w = new convolution_backward_weights.primitive_desc(
                    new convolution_backward_weights.desc(algorithm.convolution_direct, src, wts, dst, strides, pad,
                            pad), eng, f);
            memory x = new memory(f.src_desc(), eng), wm = new memory(f.weights_desc(), eng),
                    y = new memory(f.dst_desc(), eng), dy = new memory(d.diff_dst_desc(), eng),
                    dx = new memory(d.diff_src_desc(), eng), dw = new memory(w.diff_weights_desc(), eng);
            fwd = new convolution_forward(f);
            bwdData = new convolution_backward_data(d);
            bwdWeights = new convolution_backward_weights(w);
            fwdArgs.put(DNNL_ARG_SRC, x).put(DNNL_ARG_WEIGHTS, wm).put(DNNL_ARG_DST, y);
            dataArgs.put(DNNL_ARG_DIFF_DST, dy).put(DNNL_ARG_WEIGHTS, wm).put(DNNL_ARG_DIFF_SRC, dx);
            weightArgs.put(DNNL_ARG_SRC, x).put(DNNL_ARG_DIFF_DST, dy).put(DNNL_ARG_DIFF_WEIGHTS, dw);
            first = in == 3; // the stem's input gradient is not needed
        }

        static memory.desc md(long a, long b, long c, long d) {
            return new memory.desc(new LongPointer(a, b, c, d), memory.data_type.f32, memory.format_tag.any);
        }

        void run(stream s, double[] ms) {
            long t0 = System.nanoTime();
            fwd.execute(s, fwdArgs);
            s._wait();
            long t1 = System.nanoTime();
            if (!first) {
                bwdData.execute(s, dataArgs);
                s._wait();
            }
            long t2 = System.nanoTime();
            bwdWeights.execute(s, weightArgs);
            s._wait();
            long t3 = System.nanoTime();
            ms[0] += (t1 - t0) / 1e6;
            ms[1] += (t2 - t1) / 1e6;
            ms[2] += (t3 - t2) / 1e6;
        }
    }
}
