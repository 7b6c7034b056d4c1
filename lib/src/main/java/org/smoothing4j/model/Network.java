package org.smoothing4j.model;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A DL4J layer stack seen as a base classifier with a fixed input shape and softmax output: forward pass, gradient
 * of the summed loss with respect to the input, one training step, saving.
 */
public final class Network implements Classifier {
    private final MultiLayerNetwork model;
    private final long[] inputShape;
    private final int classes;

    public Network(MultiLayerNetwork model, long[] inputShape, int classes) {
        this.model = model;
        this.inputShape = inputShape.clone();
        this.classes = classes;
    }

    /**
     * Softmax probabilities F(x) of a batch [b, c, h, w] (inference mode). The batch is left unchanged: DL4J runs
     * the first layer in place on the caller's array in inference, so this passes a copy.
     */
    @Override
    public INDArray scores(INDArray batch) {
        return model.output(batch.dup(), false);
    }

    /** As {@link #scores}, without the copy: the batch is overwritten. */
    @Override
    public INDArray scoresOfScratch(INDArray batch) {
        return model.output(batch, false);
    }

    @Override
    public int numClasses() {
        return classes;
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    /**
     * d(sum over the batch of the cross-entropy losses)/d(input), shape of {@code features}. DL4J's
     * {@code calculateGradients} returns the gradient of the summed (not averaged) per-example losses.
     */
    public INDArray inputGradient(INDArray features, INDArray oneHotLabels) {
        return model.calculateGradients(features.dup(), oneHotLabels, null, null).getSecond();
    }

    /** One optimiser step on a batch; returns the batch's mean loss. */
    public double fit(DataSet batch) {
        model.fit(batch);
        return model.score();
    }

    public MultiLayerNetwork model() {
        return model;
    }

    public long parameterCount() {
        return model.numParams();
    }

    /** Saves weights and updater state (for resuming) in DL4J's zip format. */
    public void save(Path file) throws IOException {
        ModelSerializer.writeModel(model, file.toFile(), true);
    }

    /** Loads what {@link #save} wrote. */
    static Network load(Path file, long[] inputShape, int classes) throws IOException {
        OneDnn.enableUnlessDisabled();
        return new Network(ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true), inputShape, classes);
    }
}
