package org.smoothing4j.model.layerstack;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reused c-order buffers of one {@link LayerStack} stage, one per shape: a stage called with alternating
 * batch sizes (CERTIFY's 100 and 400, a final partial batch) keeps a buffer for each of the last few shapes instead
 * of reallocating (fresh native memory costs page faults on every call). Contents are not cleared between uses.
 */
final class Buffers {
    /** A stage has at most four named buffers; four shapes of each are kept. */
    private static final int KEPT = 16;

    private final Map<String, INDArray> byKey = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, INDArray> eldest) {
            return size() > KEPT;
        }
    };

    private final DataType type;

    Buffers(DataType type) {
        this.type = type;
    }

    /** The buffer called {@code name} of this shape (uninitialised when new). */
    INDArray get(String name, long... shape) {
        String key = name + Arrays.toString(shape);
        INDArray b = byKey.get(key);
        if (b == null) {
            b = Nd4j.createUninitialized(type, shape, 'c');
            byKey.put(key, b);
        }
        return b;
    }
}
