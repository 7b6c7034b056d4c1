package org.smoothing4j.model;

/**
 * The former name of {@link org.smoothing4j.model.dl4j.NormalizeActivation}, kept because a DL4J checkpoint stores
 * the class name of its layers' activations: networks saved before the model backends moved to their own packages
 * name this one, and load through it (CheckpointTest).
 */
public final class NormalizeActivation extends org.smoothing4j.model.dl4j.NormalizeActivation {
    public NormalizeActivation() {}

    public NormalizeActivation(double[] mean, double[] std) {
        super(mean, std);
    }
}
