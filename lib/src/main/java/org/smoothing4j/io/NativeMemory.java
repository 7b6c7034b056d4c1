package org.smoothing4j.io;

import com.sun.jna.Function;

/**
 * Gives the native memory that closed models freed back to the operating system.
 *
 * <p>Native libraries here (ONNX Runtime, oneDNN, ND4J) allocate through the C library's malloc. glibc keeps what they
 * free in its arenas for reuse, so a long session that loads and closes many models grows in resident memory though
 * nothing leaks: freed chunks scattered over the arenas stay mapped. glibc's {@code malloc_trim(0)} returns every
 * whole free page of every arena to the system (glibc manual, "Memory Allocation Tunables" and malloc_trim(3): since
 * glibc 2.8 it releases memory in all arenas, not only at the top of the main heap). Owners of native resources call
 * {@link #release()} after closing them: a loaded model, a denoised pipeline.
 *
 * <p>Measured with benchmarks/soak's round (a) (load, certify 20 images, close, alternating a LeNet checkpoint, the ONNX
 * ResNet-20 and a denoised pipeline; 2026-12-06, 2 cores, MALLOC_ARENA_MAX=2): without trimming the 30-round window
 * means of resident memory grew +43.8 MB from rounds 21-50 to 171-200 and were still rising; trimming after each
 * round gave 265, 260, 260, 262 MB in 15-round windows over 60 rounds (the trim itself took 25-50 MB off each round's
 * reading).
 *
 * <p>Where the C library has no {@code malloc_trim} (not glibc, e.g. macOS or musl) this does nothing.
 */
public final class NativeMemory {
    private static final Function TRIM = find();

    private NativeMemory() {
    }

    private static Function find() {
        try {
            return Function.getFunction("c", "malloc_trim");
        } catch (UnsatisfiedLinkError | RuntimeException e) { // no such function or no JNA native support here
            return null;
        }
    }

    /** Returns free native memory to the system; true when the C library could do it (glibc), false otherwise. */
    public static boolean release() {
        if (TRIM == null) {
            return false;
        }
        TRIM.invokeInt(new Object[] {0L});
        return true;
    }
}
