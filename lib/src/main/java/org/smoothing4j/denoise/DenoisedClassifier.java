package org.smoothing4j.denoise;

import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smoothing4j.io.NativeMemory;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.model.Differentiable;
import org.smoothing4j.model.ScoredGradient;

/**
 * The composition f(D(y)) of a frozen base classifier f and a denoiser D (Salman et al. 2020): the noise is added
 * before the denoiser, so smoothing it certifies the pipeline as any base classifier. With a DL4J network as f the
 * gradient flows through both ({@link #inputGradient}); an ONNX classifier or a diffusion denoiser is a black box to
 * it.
 */
public final class DenoisedClassifier implements Differentiable {
    private final Classifier classifier;
    private final Denoiser denoiser;
    private final boolean owns;

    /** The pipeline; it owns both (closing it closes the classifier and the denoiser). */
    public DenoisedClassifier(Classifier classifier, Denoiser denoiser) {
        this(classifier, denoiser, true);
    }

    private DenoisedClassifier(Classifier classifier, Denoiser denoiser, boolean owns) {
        classifier.checkInputShape(denoiser.inputShape(), "the denoiser");
        this.owns = owns;
        this.classifier = classifier;
        this.denoiser = denoiser;
    }

    @Override
    public INDArray scores(INDArray batch) {
        return classifier.scores(denoiser.denoise(batch));
    }

    /** A pipeline for another thread: the classifier's concurrent copy behind this denoiser, if it runs on ONNX. */
    @Override
    public Optional<Classifier> concurrentCopy() {
        if (!denoiser.concurrent()) {
            return Optional.empty();
        }
        return classifier.concurrentCopy().map(c -> new DenoisedClassifier(c, denoiser, false));
    }

    @Override
    public int numClasses() {
        return classifier.numClasses();
    }

    @Override
    public long[] inputShape() {
        return classifier.inputShape();
    }

    /** Closes the classifier and the denoiser (a concurrent copy: only the classifier's copy). */
    @Override
    public void close() {
        if (owns) {
            try (denoiser) {
                classifier.close();
            } finally {
                NativeMemory.release(); // the pipeline owns both: what they freed goes back to the system
            }
        } else {
            classifier.close();
        }
    }

    @Override
    public String inference() {
        return "denoiser on " + denoiser.inference() + ", then " + classifier.inference();
    }

    public Classifier classifier() {
        return classifier;
    }

    public Denoiser denoiser() {
        return denoiser;
    }

    /**
     * f(D(y)) and d(sum of the cross-entropy losses of f(D(y)))/dy: the classifier's input gradient at D(y), then back
     * through the denoiser. Needs a DL4J network as the classifier.
     */
    @Override
    public ScoredGradient scoresAndInputGradient(INDArray y, INDArray oneHotLabels) {
        if (!denoiser.differentiable()) {
            throw new IllegalArgumentException("backprop gradients need a differentiable denoiser; " + denoiser.inference()
                    + " is a black box: use --grad stein");
        }
        if (!(classifier instanceof Differentiable net)) {
            throw new IllegalArgumentException("backprop gradients through the denoiser need a smoothing4j checkpoint "
                    + "as the classifier, not an ONNX model; use --grad stein");
        }
        ScoredGradient s = net.scoresAndInputGradient(denoiser.denoise(y), oneHotLabels);
        return new ScoredGradient(s.probabilities(), denoiser.backward(y, s.inputGradient()));
    }

    /** The input gradient of {@link #scoresAndInputGradient}. */
    public INDArray inputGradient(INDArray y, INDArray oneHotLabels) {
        return scoresAndInputGradient(y, oneHotLabels).inputGradient();
    }
}
