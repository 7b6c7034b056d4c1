package org.smoothing4j.model.dl4j;

/**
 * A name of {@link org.smoothing4j.model.NormalizeActivation} kept because a DL4J checkpoint stores the class name of
 * its layers' activations: networks saved while the class lived in this package name this one, and load through it
 * (CheckpointTest). Networks are built with the other name.
 */
public final class NormalizeActivation extends org.smoothing4j.model.NormalizeActivation {
    public NormalizeActivation() {}

    public NormalizeActivation(double[] mean, double[] std) {
        super(mean, std);
    }
}
