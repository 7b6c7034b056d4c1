package org.smoothing4j.model.layerstack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's softmax output layer with cross-entropy (MCXENT) in a {@link LayerStack}: a dense layer, softmax in
 * place, and the loss's gradient p - y per example (of the summed loss, as DL4J's before its updater divides by
 * the batch size).
 */
final class OutputStage {
    private final DenseStage dense;
    private final double clip;
    private final Buffers buffers;
    private INDArray p;
    private INDArray logits;

    OutputStage(DenseStage dense, double softmaxClipEps) {
        this.dense = dense;
        this.clip = softmaxClipEps;
        this.buffers = new Buffers(dense.dataType());
    }

    /** Probabilities [b, classes] (a reused buffer); with {@code keepLogits}, the logits are kept for {@link #logits}. */
    INDArray forward(INDArray in, boolean keepLogits) {
        p = dense.forward(in);
        if (keepLogits) {
            logits = buffers.get("logits", p.shape()).assign(p);
        }
        Nd4j.exec(Ops.op("softmax", new int[0], new INDArray[] {p}, p));
        return p;
    }

    /** The logits of the last forward pass that kept them. */
    INDArray logits() {
        return logits;
    }

    /** Writes the parameter gradients for dL/d(logits) = {@code dLogits}; returns dL/d(input) if asked. */
    INDArray backwardFromLogits(INDArray dLogits, boolean inputGradient, boolean parameterGradients) {
        INDArray dz = buffers.get("dz", p.shape());
        dz.assign(dLogits);
        return dense.backward(dz, inputGradient, parameterGradients);
    }

    /** Mean cross-entropy of the last forward pass, probabilities clipped to [eps, 1 - eps] as DL4J's score. */
    double meanLoss(INDArray oneHot) {
        double[] probs = p.data().asDouble();
        double[] y = oneHot.dup('c').data().asDouble();
        double sum = 0;
        for (int i = 0; i < probs.length; i++) {
            if (y[i] != 0) {
                sum -= y[i] * Math.log(Math.min(Math.max(probs[i], clip), 1 - clip));
            }
        }
        return sum / p.size(0);
    }

    /** Writes the layer's parameter gradients if asked; returns dL/d(input) if asked (else null). */
    INDArray backward(INDArray oneHot, boolean inputGradient, boolean parameterGradients) {
        INDArray dz = buffers.get("dz", p.shape());
        dz.assign(p).subi(oneHot);
        return dense.backward(dz, inputGradient, parameterGradients);
    }
}
