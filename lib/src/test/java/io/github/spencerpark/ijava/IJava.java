package io.github.spencerpark.ijava;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for IJava's entry class: {@code getKernelInstance()} and the kernel's {@code display(DisplayData)}
 * (inherited from jupyter-jvm-basekernel's BaseKernel), recording the bundles sent.
 */
public final class IJava {
    private IJava() {}

    /** The kernel; null until a test sets it, as outside a running kernel. */
    public static Kernel kernel;

    public static Kernel getKernelInstance() {
        return kernel;
    }

    public static class Kernel {
        public final List<DisplayData> sent = new ArrayList<>();

        public void display(DisplayData data) {
            sent.add(data);
        }
    }
}
