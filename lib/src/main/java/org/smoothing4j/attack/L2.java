package org.smoothing4j.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.smoothing4j.noise.NoiseSource;

/** Per-example L2 operations on [B, d] matrices, shared by the attacks. */
final class L2 {
    private L2() {}

    static INDArray norms(INDArray rows) {
        return rows.norm2(1).reshape(rows.size(0), 1);
    }

    /** Rows scaled to unit norm, in place; a zero row is replaced by a random unit direction. */
    static INDArray normalizeOrRandom(INDArray rows, NoiseSource random) {
        INDArray norms = norms(rows);
        for (int b = 0; b < rows.size(0); b++) {
            if (norms.getDouble(b, 0) == 0) {
                INDArray row = rows.getRow(b);
                random.fill(row, 1.0);
                norms.putScalar(b, 0, row.norm2Number().doubleValue());
            }
        }
        return rows.diviColumnVector(norms);
    }

    /** Rows with norm above maxNorm scaled down to maxNorm, in place (torch's renorm). */
    static INDArray clipNorms(INDArray rows, double maxNorm) {
        INDArray norms = norms(rows);
        INDArray scale = norms.rdiv(maxNorm);
        BooleanIndexing.replaceWhere(scale, 1.0, Conditions.greaterThan(1.0));
        BooleanIndexing.replaceWhere(scale, 1.0, Conditions.isNan());
        return rows.muliColumnVector(scale);
    }

    /** delta such that x + delta is clamped to [0,1], in place. */
    static INDArray clampToImage(INDArray delta, INDArray x) {
        INDArray adv = x.add(delta);
        BooleanIndexing.replaceWhere(adv, 0.0, Conditions.lessThan(0.0));
        BooleanIndexing.replaceWhere(adv, 1.0, Conditions.greaterThan(1.0));
        return delta.assign(adv.subi(x));
    }

    static INDArray zerosLike(INDArray x) {
        return Nd4j.zeros(x.dataType(), x.shape());
    }
}
