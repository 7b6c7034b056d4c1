package org.smoothing4j.model.dl4j;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A per-channel affine map y = scale * x + shift on [b, c, h, w] (as the "activation" of an ActivationLayer):
 * what batch norm computes in inference, used in place of batch norm in a ResNet's inference twin (see
 * {@link ResNets#inferenceTwin}); its backward pass multiplies by scale. The coefficients are set, not learned.
 */
public class ChannelAffineActivation extends BaseActivationFunction {
    private double[] scale;
    private double[] shift;

    /** For DL4J's JSON deserialisation. */
    public ChannelAffineActivation() {}

    public ChannelAffineActivation(int channels) {
        this.scale = new double[channels];
        this.shift = new double[channels];
        Arrays.fill(scale, 1.0);
    }

    /** Sets the coefficients (the inference map of a batch norm). */
    void set(double[] scale, double[] shift) {
        this.scale = scale.clone();
        this.shift = shift.clone();
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        INDArray out = in.dup('c');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(out, Nd4j.create(scale).castTo(in.dataType()), out, 1));
        Nd4j.getExecutioner().exec(new BroadcastAddOp(out, Nd4j.create(shift).castTo(in.dataType()), out, 1));
        in.assign(out); // in place, as DL4J expects of activations
        return in;
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        INDArray dLdz = epsilon.dup('c'); // out of place into c order (see NormalizeActivation)
        Nd4j.getExecutioner().exec(new BroadcastMulOp(dLdz, Nd4j.create(scale).castTo(dLdz.dataType()), dLdz, 1));
        return new Pair<>(dLdz, null);
    }

    public double[] getScale() {
        return scale;
    }

    public void setScale(double[] scale) {
        this.scale = scale;
    }

    public double[] getShift() {
        return shift;
    }

    public void setShift(double[] shift) {
        this.shift = shift;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelAffineActivation a && Arrays.equals(scale, a.scale) && Arrays.equals(shift, a.shift);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(scale) + Arrays.hashCode(shift);
    }

    @Override
    public String toString() {
        return "channelAffine(" + scale.length + ")";
    }
}
