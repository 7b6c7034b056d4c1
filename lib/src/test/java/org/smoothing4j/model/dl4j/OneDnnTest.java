package org.smoothing4j.model.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smoothing4j.attack.NoisyCopies;
import org.smoothing4j.data.Datasets;
import org.smoothing4j.data.LabeledImages;
import org.smoothing4j.data.Split;
import org.smoothing4j.model.Normalization;

/**
 * LeNet's convolutions run through oneDNN, and give the built-in path's outputs and input gradients.
 * Tolerance: float32 sums of ~800 products (conv 5x5x32) reordered by a different kernel differ by ~1e-6 relative;
 * asserted 1e-4 on the max abs difference of probabilities and 1e-3 relative on the gradient's norm-scaled error.
 */
class OneDnnTest {
    private static Network lenet(boolean oneDnn) {
        return CodePaths.dl4j(oneDnn, () -> Architectures.build("lenet", new long[] {1, 28, 28}, 10,
                Normalization.FASHION_MNIST, new Sgd(0.01), 0, 11));
    }

    @Test
    void fastPathIsInUseAndMatchesTheBuiltInPath() throws IOException {
        Network fast = lenet(true), builtIn = lenet(false);
        assertTrue(OneDnn.inUse(fast.model()), "oneDNN helpers are not in use");
        assertFalse(OneDnn.inUse(builtIn.model()));
        assertEquals(fast.params(), builtIn.params());

        LabeledImages data = Datasets.load("fashion-mnist", Split.TEST).head(64);
        Nd4j.getRandom().setSeed(1);
        INDArray x = data.images().add(Nd4j.randn(data.images().dataType(), data.images().shape()).muli(0.5));
        INDArray pf = fast.scores(x), pb = builtIn.scores(x);
        assertTrue(Transforms.abs(pf.sub(pb)).maxNumber().doubleValue() < 1e-4, "outputs differ");

        INDArray y = NoisyCopies.oneHot(data.labels(), 1, 10, x.dataType());
        INDArray gf = fast.inputGradient(x, y), gb = builtIn.inputGradient(x, y);
        double relative = gf.sub(gb).norm2Number().doubleValue() / gb.norm2Number().doubleValue();
        assertTrue(relative < 1e-3, "input gradients differ by " + relative);
    }
}
