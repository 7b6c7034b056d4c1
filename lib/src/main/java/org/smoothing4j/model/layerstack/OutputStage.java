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

    OutputStage(DenseStage dense, double softmaxClipEps) {
        this.dense = dense;
        this.clip = softmaxClipEps;
        this.buffers = new Buffers(dense.dataType());
    }

    /** Probabilities [b, classes] (a reused buffer). */
    INDArray forward(INDArray in) {
        p = dense.forward(in);
        Nd4j.exec(Ops.op("softmax", new int[0], new INDArray[] {p}, p));
        return p;
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
