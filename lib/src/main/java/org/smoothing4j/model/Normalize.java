package org.smoothing4j.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The model's first layer: per-channel (x - mean) / std on [b, c, h, w] images in [0,1] pixel space. Keeping the
 * normalisation inside the model means noise and attacks work in pixel space (SPEC 1), with sigma in pixel units.
 */
public class Normalize extends SameDiffLambdaLayer {
    private double[] mean;
    private double[] std;

    /** For DL4J's JSON deserialisation. */
    public Normalize() {}

    public Normalize(double[] mean, double[] std) {
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
    public SDVariable defineLayer(SameDiff sd, SDVariable x) {
        int c = mean.length;
        SDVariable m = sd.constant(Nd4j.create(mean, new long[] {1, c, 1, 1}, DataType.FLOAT));
        SDVariable s = sd.constant(Nd4j.create(std, new long[] {1, c, 1, 1}, DataType.FLOAT));
        return x.sub(m).div(s);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
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
}
