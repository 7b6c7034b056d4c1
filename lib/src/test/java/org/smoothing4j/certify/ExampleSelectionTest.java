package org.smoothing4j.certify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ExampleSelectionTest {
    @Test
    void skipMaxAndShardsFollowTheReferenceFlags() {
        assertArrayEquals(new int[] {0, 20, 40}, ExampleSelection.everyKth(20).indices(60).toArray());
        // --max is an index cutoff: indices below 45, not 45 examples
        assertArrayEquals(new int[] {0, 20, 40}, new ExampleSelection(20, 45, 0, -1).indices(1000).toArray());
        assertArrayEquals(new int[] {20, 40}, new ExampleSelection(20, -1, 10, 41).indices(1000).toArray());
        assertArrayEquals(new int[] {}, new ExampleSelection(1, -1, 50, -1).indices(10).toArray());
    }

    @Test
    void badFlagsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ExampleSelection(0, -1, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new ExampleSelection(1, -1, 5, 3));
        assertThrows(IllegalArgumentException.class, () -> new ExampleSelection(1, -2, 0, -1));
    }
}
