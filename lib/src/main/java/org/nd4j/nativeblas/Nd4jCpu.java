package org.nd4j.nativeblas;

/**
 * Compatibility shim for DL4J 1.0.0-M2.1: its oneDNN layer helpers check {@code Nd4jCpu$Environment} under this
 * (pre-M2) package name, which the M2.1 CPU backend no longer has, so the check fails and every convolution
 * falls back to the built-in path (about 10x slower). This class answers that check from the real backend's
 * environment ({@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment}). It is used only through
 * reflection by DL4J; see {@link org.smoothing4j.model.dl4j.OneDnn}.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {}

    /** The two methods DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {}

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }

        public boolean helpersAllowed() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().helpersAllowed();
        }

        public void allowHelpers(boolean allow) {
            org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().allowHelpers(allow);
        }
    }
}
