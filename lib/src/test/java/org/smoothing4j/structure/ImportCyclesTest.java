package org.smoothing4j.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * No file of the library or the Spark module uses, through other files, a file that uses it, and no package does so
 * with another package: the data flow (data, model, noise, certify/attack/train/denoise, run, analysis, plot, cli,
 * spark) has no way back up. Read from the sources with {@link SourceGraph}; the test of the reader itself shows
 * that a cycle is found where there is one.
 */
class ImportCyclesTest {
    private static final Path LIB = Path.of("src/main/java");
    private static final Path SPARK = Path.of("../spark/src/main/java");

    private static SourceGraph graph() {
        return Files.isDirectory(SPARK) ? SourceGraph.read("org.smoothing4j", LIB, SPARK)
                : SourceGraph.read("org.smoothing4j", LIB);
    }

    @Test
    void noFileReachesItselfThroughItsImports() {
        List<Set<String>> cycles = SourceGraph.cycles(graph().files());
        assertTrue(cycles.isEmpty(), "files in import cycles:\n" + describe(cycles, graph().files()));
    }

    @Test
    void noPackageReachesItselfThroughItsImports() {
        Map<String, Set<String>> packages = graph().packages();
        List<Set<String>> cycles = SourceGraph.cycles(packages);
        assertTrue(cycles.isEmpty(), "packages in import cycles:\n" + describe(cycles, packages));
    }

    @Test
    void readerFindsAKnownCycleAndIgnoresCommentsAndStrings(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path a = dir.resolve("org/smoothing4j/x/A.java"), b = dir.resolve("org/smoothing4j/y/B.java");
        Path c = dir.resolve("org/smoothing4j/y/C.java");
        Files.createDirectories(a.getParent());
        Files.createDirectories(b.getParent());
        Files.writeString(a, "package org.smoothing4j.x;\nimport org.smoothing4j.y.B;\nclass A { B b; }\n");
        Files.writeString(b, "package org.smoothing4j.y;\nclass B { C c; /* org.smoothing4j.x.A */ String s = \"A\"; }\n");
        Files.writeString(c, "package org.smoothing4j.y;\nclass C { org.smoothing4j.x.A.Inner a; }\n");
        SourceGraph g = SourceGraph.read("org.smoothing4j", dir);
        assertEquals(Map.of("org.smoothing4j.x.A", Set.of("org.smoothing4j.y.B"), "org.smoothing4j.y.B",
                Set.of("org.smoothing4j.y.C"), "org.smoothing4j.y.C", Set.of("org.smoothing4j.x.A")), g.files());
        assertEquals(List.of(Set.of("org.smoothing4j.x.A", "org.smoothing4j.y.B", "org.smoothing4j.y.C")),
                SourceGraph.cycles(g.files()));
        assertEquals(1, SourceGraph.cycles(g.packages()).size());
        Files.writeString(c, "package org.smoothing4j.y;\nclass C { /* A */ }\n");
        assertTrue(SourceGraph.cycles(SourceGraph.read("org.smoothing4j", dir).files()).isEmpty());
        // a type declared inside a file shadows its package's file of that name
        Files.writeString(c, "package org.smoothing4j.y;\nclass C { record B(int x) {} B b; }\n");
        assertEquals(Set.of(), SourceGraph.read("org.smoothing4j", dir).files().get("org.smoothing4j.y.C"));
    }

    /** Each cycle with the edges inside it. */
    private static String describe(List<Set<String>> cycles, Map<String, Set<String>> graph) {
        return cycles.stream().map(cycle -> cycle.stream().map(v -> "  " + v + " -> " + graph.get(v).stream()
                .filter(cycle::contains).collect(Collectors.joining(", "))).collect(Collectors.joining("\n")))
                .collect(Collectors.joining("\n\n"));
    }
}
