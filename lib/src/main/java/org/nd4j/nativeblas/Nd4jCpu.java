package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Compatibility shim for DL4J 1.0.0-M2.1: its oneDNN layer helpers check {@code Nd4jCpu$Environment} under this
 * (pre-M2) package name, which the M2.1 CPU backend no longer has, so the check fails and every convolution
 * falls back to the built-in path (about 10x slower). This class answers that check from the real backend's
 * environment ({@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment}), found by reflection so that
 * the library also compiles against another backend (the {@code cuda} profile), where there is no CPU environment
 * and the check answers no. It is used only through reflection by DL4J; see
 * {@link org.smoothing4j.model.dl4j.OneDnn}.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {}

    /** The two methods DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();
        /** The CPU backend's environment, or null under another backend. */
        private static final Object CPU = cpuEnvironment();

        private Environment() {}

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return CPU != null && (Boolean) call("isUseONEDNN");
        }

        public boolean helpersAllowed() {
            return CPU != null && (Boolean) call("helpersAllowed");
        }

        public void allowHelpers(boolean allow) {
            if (CPU != null) {
                call("allowHelpers", allow);
            }
        }

        private static Object cpuEnvironment() {
            try {
                Class<?> c = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                return c.getMethod("getInstance").invoke(null);
            } catch (ClassNotFoundException e) {
                return null; // not the CPU backend
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the CPU backend's Nd4jCpu.Environment cannot be read: " + e, e);
            }
        }

        /** The CPU environment's methods by name, looked up once (DL4J's helpers ask often). */
        private static final java.util.Map<String, Method> METHODS = new java.util.concurrent.ConcurrentHashMap<>();

        private static Object call(String method, boolean... argument) {
            try {
                Method m = METHODS.computeIfAbsent(method, name -> {
                    try {
                        return argument.length == 0 ? CPU.getClass().getMethod(name)
                                : CPU.getClass().getMethod(name, boolean.class);
                    } catch (NoSuchMethodException e) {
                        throw new IllegalStateException("the CPU backend's Nd4jCpu.Environment has no " + name, e);
                    }
                });
                return argument.length == 0 ? m.invoke(CPU) : m.invoke(CPU, argument[0]);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the CPU backend's Nd4jCpu.Environment." + method + " failed: " + e, e);
            }
        }
    }
}
