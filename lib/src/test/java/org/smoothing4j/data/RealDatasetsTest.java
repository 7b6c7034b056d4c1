package org.smoothing4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The installed data sets (data/fetch) read as documented in data/README.md. */
class RealDatasetsTest {

    @Test
    void fashionMnistHasTheStandardSizesAndBalancedClasses() throws IOException {
        LabeledImages test = Datasets.load("fashion-mnist", Split.TEST);
        assertArrayEquals(new long[] {10_000, 1, 28, 28}, test.images().shape());
        long[] thousand = new long[10];
        java.util.Arrays.fill(thousand, 1000);
        assertArrayEquals(thousand, test.classCounts());
        assertUnitRange(test.images());
        assertEquals(60_000, Datasets.load("fashion-mnist", Split.TRAIN).size());
    }

    @Test
    void npmMnistDigitsAreSplitFourToOneByClass() throws IOException {
        LabeledImages train = Datasets.load("mnist", Split.TRAIN);
        LabeledImages test = Datasets.load("mnist", Split.TEST);
        assertEquals(10_000, train.size() + test.size());
        // per-class counts of the package (first 10,000 MNIST training digits): test gets floor(count / 5)
        long[] perClass = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
        for (int c = 0; c < 10; c++) {
            assertEquals(perClass[c] / 5, test.classCounts()[c], "test digits of class " + c);
            assertEquals(perClass[c], train.classCounts()[c] + test.classCounts()[c], "digits of class " + c);
        }
        // round-robin order: the first ten test images are one of each class
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, java.util.Arrays.copyOf(test.labels(), 10));
        assertUnitRange(train.images());
    }

    private static void assertUnitRange(INDArray images) {
        assertEquals(0.0, images.minNumber().doubleValue(), 0.0);
        assertEquals(1.0, images.maxNumber().doubleValue(), 0.0);
    }
}
