package org.smoothing4j.train;

/** Training produced a non-finite loss: the run stops before saving anything of the epoch. */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
