package org.smoothing4j.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * {@link NativeMemory#release()} gives scattered free native memory back: 200,000 chunks of 1 KB (about 200 MB, each
 * below glibc's mmap threshold, so from its arenas) are allocated and written, then all but every 64th freed. The
 * kept chunks pin the arena, so glibc keeps the freed 63 KB gaps mapped (the fragmentation a long session builds);
 * malloc_trim(0) returns their whole pages, about 63/64 of 200 MB. Bound: at least 100 MB back (half of that, for
 * page rounding and the test's own allocations); a release() that did nothing would give back about 0 and fail.
 */
class NativeMemoryTest {

    @Test
    void releaseReturnsFreedArenaMemoryToTheSystem() throws Exception {
        int n = 200_000;
        Pointer[] chunks = new Pointer[n];
        for (int i = 0; i < n; i++) {
            chunks[i] = Pointer.malloc(1024);
            Pointer.memset(chunks[i], 1, 1024);
        }
        for (int i = 0; i < n; i++) {
            if (i % 64 != 0) {
                Pointer.free(chunks[i]);
            }
        }
        double freed = ResidentMemory.mb();
        assertTrue(NativeMemory.release(), "glibc's malloc_trim was not found (this project runs on Linux with glibc)");
        double released = ResidentMemory.mb();
        for (int i = 0; i < n; i += 64) {
            Pointer.free(chunks[i]);
        }
        assertTrue(freed - released >= 100, String.format("resident memory %.1f MB after freeing 63/64 of 200 MB, "
                + "%.1f MB after release(): expected at least 100 MB back", freed, released));
    }
}
