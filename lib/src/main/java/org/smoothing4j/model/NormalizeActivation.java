package org.smoothing4j.model;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The model's first layer (as the "activation" of an ActivationLayer): per-channel (x - mean) / std on
 * [b, c, h, w] images in [0,1] pixel space; its backward pass divides by std. Keeping the normalisation inside the
 * model means noise and attacks work in pixel space (SPEC 1), with sigma in pixel units.
 *
 * <p>(A SameDiff lambda layer was tried first: its input gradient in DL4J M2.1 came out wrong, twice the true value
 * for the MLP, found by the finite-difference test.)
 */
public class NormalizeActivation extends BaseActivationFunction {
    private double[] mean;
    private double[] std;
    /** Set on inference twins (see {@code model.dl4j.ResNets}): keep a detached copy of the last input gradient. */
    private transient boolean capture;
    private transient INDArray captured;

    /** For DL4J's JSON deserialisation. */
    public NormalizeActivation() {}

    public NormalizeActivation(double[] mean, double[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean has " + mean.length + " channels, std " + std.length);
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be > 0, got " + s);
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        checkChannels(in);
        INDArray m = Nd4j.create(mean).castTo(in.dataType());
        INDArray s = Nd4j.create(std).castTo(in.dataType());
        // in place, as DL4J expects of activations; in inference DL4J hands the caller's own input array to the
        // first layer, so Network.scores passes a copy (found by the finite-difference test)
        Nd4j.getExecutioner().exec(new BroadcastSubOp(in, m, in, 1));
        Nd4j.getExecutioner().exec(new BroadcastDivOp(in, s, in, 1));
        return in;
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        checkChannels(epsilon);
        INDArray s = Nd4j.create(std).castTo(epsilon.dataType());
        // out of place, into a c-order array: the epsilon a convolution hands back can be a permuted view, on
        // which the in-place broadcast gave wrong gradients (found by the finite-difference test)
        INDArray dLdz = epsilon.dup('c');
        Nd4j.getExecutioner().exec(new BroadcastDivOp(dLdz, s, dLdz, 1));
        if (capture) {
            try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                captured = dLdz.dup();
            }
        }
        return new Pair<>(dLdz, null);
    }

    /** Makes {@link #backprop} keep a copy of its result, the gradient with respect to the network's input. */
    public void captureInputGradients() {
        capture = true;
    }

    /** The input gradient of the last backward pass (and forgets it); requires {@link #captureInputGradients}. */
    public INDArray takeInputGradient() {
        INDArray g = captured;
        captured = null;
        if (g == null) {
            throw new IllegalStateException("no input gradient captured: no backward pass since the last take");
        }
        return g;
    }

    private void checkChannels(INDArray in) {
        if (in.rank() != 4 || in.size(1) != mean.length) {
            throw new IllegalArgumentException("normalisation expects [b, " + mean.length + ", h, w], got "
                    + Arrays.toString(in.shape()));
        }
    }

    public double[] getMean() {
        return mean;
    }

    public void setMean(double[] mean) {
        this.mean = mean;
    }

    public double[] getStd() {
        return std;
    }

    public void setStd(double[] std) {
        this.std = std;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NormalizeActivation n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
