package org.smoothing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library compiles against any ND4J backend (the {@code cuda} profile: {@code mvn -B -Pcuda -DskipTests
 * compile}, which downloads about 1 GB and so is not part of the tests): no main source names a class of the CPU
 * backend ({@code org.nd4j.linalg.cpu...}) in code, only by reflection from a string. Comments and string literals
 * are removed before the check; the oneDNN shim, which reaches the CPU backend by reflection, is among the sources
 * checked.
 */
class BackendIndependenceTest {
    private static final Pattern COMMENTS_AND_STRINGS =
            Pattern.compile("/\\*.*?\\*/|//[^\\n]*|\"(\\\\.|[^\"\\\\])*\"", Pattern.DOTALL);
    private static final Pattern CPU_BACKEND = Pattern.compile("org\\.nd4j\\.linalg\\.cpu\\.");

    @Test
    void noMainSourceNamesTheCpuBackendInCode() throws IOException {
        Path main = Path.of("src/main/java");
        assertTrue(Files.isDirectory(main), "run from the lib module: " + main.toAbsolutePath());
        List<Path> sources;
        try (Stream<Path> s = Files.walk(main)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() > 50, "found only " + sources.size() + " sources");
        assertTrue(sources.contains(main.resolve("org/nd4j/nativeblas/Nd4jCpu.java")));
        List<Path> naming = sources.stream().filter(p -> {
            try {
                return CPU_BACKEND.matcher(COMMENTS_AND_STRINGS.matcher(Files.readString(p)).replaceAll(" ")).find();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        assertEquals(List.of(), naming, "sources that would not compile against the cuda backend");
    }

    @Test
    void theCheckSeesCodeButNotCommentsOrStrings() {
        String code = "x = org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance();";
        String quoted = "/** {@code org.nd4j.linalg.cpu.X} */ Class.forName(\"org.nd4j.linalg.cpu.X\");"
                + " // org.nd4j.linalg.cpu";
        assertTrue(CPU_BACKEND.matcher(COMMENTS_AND_STRINGS.matcher(code).replaceAll(" ")).find());
        assertTrue(!CPU_BACKEND.matcher(COMMENTS_AND_STRINGS.matcher(quoted).replaceAll(" ")).find());
    }
}
