package org.smoothing4j.denoise;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The pixel range a diffusion model was trained on. Most public ones (DDPM, improved-diffusion, the CIFAR-10 and
 * ImageNet checkpoints of Carlini et al. 2023) take [-1, 1]: an image x in [0, 1] is 2x - 1 there, so noise of
 * standard deviation sigma in [0, 1] pixels is 2 sigma in the model's scale (the factor in their
 * {@code cifar10/certify.py}, and the subject of an issue on ethz-spylab/diffusion_denoised_smoothing).
 */
public enum InputRange {
    ZERO_ONE("0,1", 0, 1),
    MINUS_ONE_ONE("-1,1", -1, 1);

    private final String flag;
    private final double low;
    private final double high;

    InputRange(String flag, double low, double high) {
        this.flag = flag;
        this.low = low;
        this.high = high;
    }

    /** "-1,1" or "0,1" (spaces ignored); {@code where} names the flag or file in the message. */
    public static InputRange parse(String text, String where) {
        String t = text.replace(" ", "");
        for (InputRange r : values()) {
            if (r.flag.equals(t)) {
                return r;
            }
        }
        throw new IllegalArgumentException(where + ": input range '" + text + "', expected -1,1 or 0,1");
    }

    /** How much longer a length in [0, 1] pixels is in the model's scale (2 for [-1, 1]). */
    public double scale() {
        return high - low;
    }

    /** An image batch in [0, 1] pixels in the model's scale (a new array). */
    public INDArray toModel(INDArray unit) {
        return unit.mul(scale()).addi(low);
    }

    /** A batch in the model's scale clipped to its range, in place. */
    public INDArray clip(INDArray model) {
        return org.nd4j.linalg.ops.transforms.Transforms.max(
                org.nd4j.linalg.ops.transforms.Transforms.min(model, high, false), low, false);
    }

    /** A batch in the model's scale back in [0, 1] pixels, in place. */
    public INDArray toUnit(INDArray model) {
        return model.subi(low).divi(scale());
    }

    @Override
    public String toString() {
        return flag;
    }
}
