package org.smoothing4j.io;

import java.util.Map;
import java.util.Properties;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What ND4J runs on in this JVM: backend, native build (generic x86-64 or AVX-512 with oneDNN), BLAS and threads.
 * The build is chosen before ND4J loads, by the JavaCPP platform extension that {@code bin/jvm-options} sets.
 */
public record Backend(String backend, String nativeBuild, String blas, int ompThreads, int cores) {

    /** Initialises ND4J if needed and describes it. */
    public static Backend current() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        return new Backend(
                Nd4j.getBackend().getClass().getSimpleName(),
                loadedNativeBuild(),
                String.valueOf(env.getOrDefault("blas.vendor", "unknown")),
                Integer.parseInt(String.valueOf(env.getOrDefault("omp.threads", "0"))),
                Integer.parseInt(String.valueOf(env.getOrDefault("cores", "0"))));
    }

    /** The platform folder of the loaded libnd4jcpu, e.g. {@code linux-x86_64-onednn-avx512}. */
    private static String loadedNativeBuild() {
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            String path = e.getValue();
            if (path != null && path.contains("nd4jcpu")) {
                String dir = path.substring(0, path.lastIndexOf('/'));
                return dir.substring(dir.lastIndexOf('/') + 1);
            }
        }
        return "unknown";
    }

    /** One line for logs and {@code --version}. */
    @Override
    public String toString() {
        return "ND4J " + backend + " (" + nativeBuild + ", BLAS " + blas + ", " + ompThreads + " threads of "
                + cores + " cores)";
    }
}
