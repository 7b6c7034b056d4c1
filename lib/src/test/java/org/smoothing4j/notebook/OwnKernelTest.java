package org.smoothing4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * smoothing4j in anyone's Java notebook (docs/notebooks.md): a fresh Java kernel whose kernelspec holds the kernel's
 * own jars and nothing of this project (no class path, no JVM options) loads the library from the local Maven
 * repository, where `make install` put it, by the guide's lines of dependency magic, and certifies the ONNX LeNet on
 * Fashion-MNIST test images. The first cell shows the library absent before the magic. The kernels: always
 * rapaio-jupyter-kernel (its jar as environment/setup-notebooks fetched it; three lines of {@code %dependency}); and
 * JJava, IJava's maintained successor, when the environment variable {@value #JJAVA} names an unpacked JJava
 * kernelspec (the folder of its distribution's kernelspec zip: kernel.json, jjava.jar, jjava-launcher.jar; one line
 * of {@code %maven}). No registry here serves JJava's kernel, so CI runs the rapaio kernel only; `make
 * own-kernel-test JJAVA_KERNELSPEC=DIR` runs both. Tagged "kernel": run by `make own-kernel-test` (part of `make
 * test`, after `make install`), not by a plain `mvn verify`.
 */
@Tag("kernel")
class OwnKernelTest {
    private static final Path TOP = Path.of(System.getProperty("user.dir")).getFileName().toString().equals("lib")
            ? Path.of(System.getProperty("user.dir")).getParent() : Path.of(System.getProperty("user.dir"));
    /** Environment variable: an unpacked JJava kernelspec, to test the JJava line too. */
    static final String JJAVA = "JJAVA_KERNELSPEC";

    /**
     * A Java kernel under test: how its kernelspec starts it, the cell of dependency magic that loads smoothing4j
     * from {@code repository}, and what that cell's output must contain (empty: anything).
     */
    private record Kernel(String name, List<String> argv, String magic, String magicOutput) {}

    /** The kernel's jar, as environment/setup-notebooks fetched it for this checkout's kernelspec. */
    private static String rapaioJar() throws Exception {
        JsonObject spec = new JsonParser().parse(Files.readString(TOP.resolve(
                "environment/jupyter/kernels/smoothing4j/kernel.json"))).getAsJsonObject();
        List<String> argv = new ArrayList<>();
        spec.getAsJsonArray("argv").forEach(a -> argv.add(a.getAsString()));
        String cp = argv.get(argv.indexOf("-cp") + 1);
        for (String entry : cp.split(":")) {
            if (entry.matches(".*/rapaio-jupyter-kernel-[0-9.]+\\.jar")) {
                return entry;
            }
        }
        throw new IllegalStateException("no rapaio-jupyter-kernel jar in " + cp);
    }

    private static List<Kernel> kernels(Path repository) throws Exception {
        String coordinates = "org.smoothing4j:smoothing4j:0.1.0-SNAPSHOT";
        List<Kernel> kernels = new ArrayList<>(List.of(new Kernel("rapaio-jupyter-kernel",
                List.of("java", "-cp", rapaioJar(), "org.rapaio.jupyter.kernel.MainApp", "{connection_file}"),
                "%dependency /add-repo m2 " + repository.toUri() + "\n%dependency /add " + coordinates
                        + "\n%dependency /resolve", "smoothing4j-0.1.0-SNAPSHOT.jar")));
        String jjava = System.getenv(JJAVA);
        if (jjava != null && !jjava.isBlank()) {
            Path spec = Path.of(jjava).toAbsolutePath();
            if (!Files.isRegularFile(spec.resolve("jjava.jar")) || !Files.isRegularFile(spec.resolve("jjava-launcher.jar"))) {
                throw new IllegalArgumentException(JJAVA + "=" + jjava + ": expected an unpacked JJava kernelspec "
                        + "(a folder with jjava.jar and jjava-launcher.jar)");
            }
            kernels.add(new Kernel("JJava", List.of("java", "-jar", spec.resolve("jjava-launcher.jar").toString(),
                    spec.resolve("jjava.jar").toString(), "{connection_file}"), "%maven " + coordinates, ""));
        }
        return kernels;
    }

    @TestFactory
    Stream<DynamicTest> aFreshKernelLoadsTheLibraryByItsDependencyMagicAndCertifies(@TempDir Path dir)
            throws Exception {
        Path repository = Path.of(System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        assertTrue(Files.isRegularFile(repository.resolve("org/smoothing4j/smoothing4j/0.1.0-SNAPSHOT/"
                + "smoothing4j-0.1.0-SNAPSHOT.jar")), "make install first: no smoothing4j in " + repository);
        return kernels(repository).stream().map(k -> DynamicTest.dynamicTest(k.name(),
                () -> loadsAndCertifies(k, Files.createDirectories(dir.resolve(k.name())))));
    }

    private static void loadsAndCertifies(Kernel kernel, Path dir) throws Exception {
        String name = "smoothing4j-own-kernel-test";
        Path kernelDir = TOP.resolve("environment/jupyter/kernels").resolve(name);
        Files.createDirectories(kernelDir);
        Map<String, Object> spec = Map.of(
                "argv", kernel.argv(),
                "display_name", kernel.name() + ", nothing of smoothing4j", "language", "java",
                "interrupt_mode", "message",
                // where the data sets are, and a scratch folder for rapaio's own Maven cache
                "env", Map.of("SMOOTHING4J_DATA", System.getenv().getOrDefault("SMOOTHING4J_DATA",
                        TOP.resolve("data/sets").toString()),
                        "RJK_MIMA_CACHE", dir.resolve("mima").toString()));
        Files.writeString(kernelDir.resolve("kernel.json"), new Gson().toJson(spec));
        Path onnx = TOP.resolve("lib/src/test/resources/onnx/lenet-fmnist.onnx");
        List<String> cells = List.of(
                "try { Class.forName(\"org.smoothing4j.run.RunSpec\"); System.out.println(\"present\"); }\n"
                        + "catch (ClassNotFoundException e) { System.out.println(\"absent before the magic\"); }",
                kernel.magic(),
                "import org.smoothing4j.certify.*;\nimport org.smoothing4j.data.*;\nimport org.smoothing4j.model.*;\n"
                        + "import java.nio.file.Path;\nimport java.util.Optional;\n"
                        + "LabeledImages test = Datasets.load(\"fashion-mnist\", Split.TEST);\n"
                        + "try (LoadedModel m = Models.load(Path.of(\"" + onnx + "\"), Optional.empty());\n"
                        + "     SmoothedClassifier g = SmoothedClassifier.of(m.classifier(), 0.25)) {\n"
                        + "    for (int i = 0; i < 3; i++) {\n"
                        + "        Certificate c = g.certify(test.image(i), 100, 2000, 0.001, i);\n"
                        + "        System.out.println(\"image \" + i + \" label \" + test.labels()[i] + \": \" + c);\n"
                        + "    }\n}");
        List<Map<String, Object>> nbCells = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            Map<String, Object> cell = new java.util.LinkedHashMap<>(Map.of("cell_type", "code", "id", "c" + i,
                    "metadata", Map.of(), "outputs", List.of(), "source", cells.get(i)));
            cell.put("execution_count", null);
            nbCells.add(cell);
        }
        Path notebook = dir.resolve("own.ipynb");
        Files.writeString(notebook, new com.google.gson.GsonBuilder().serializeNulls().create().toJson(Map.of("cells",
                nbCells, "nbformat", 4, "nbformat_minor", 5,
                "metadata", Map.of("kernelspec", Map.of("name", name, "display_name", name, "language", "java")))));
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", TOP.resolve("environment/run-notebooks").toString(),
                    "--kernel", name, "--copy-to", dir.resolve("out").toString(), notebook.toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(15, TimeUnit.MINUTES), "the notebook did not finish");
            assertEquals(0, p.exitValue(), log);
            JsonObject done = new JsonParser().parse(Files.readString(dir.resolve("out/own.ipynb"))).getAsJsonObject();
            List<String> outputs = new ArrayList<>();
            done.getAsJsonArray("cells").forEach(c -> {
                StringBuilder text = new StringBuilder();
                c.getAsJsonObject().getAsJsonArray("outputs").forEach(o -> {
                    if (o.getAsJsonObject().has("text")) {
                        o.getAsJsonObject().getAsJsonArray("text").forEach(t -> text.append(t.getAsString()));
                    }
                });
                outputs.add(text.toString());
            });
            assertTrue(outputs.get(0).contains("absent before the magic"), outputs.get(0));
            assertTrue(outputs.get(1).contains(kernel.magicOutput()), outputs.get(1));
            assertTrue(outputs.get(2).contains("image 0 label 9: Certificate[prediction=9"), outputs.get(2));
            assertEquals(3, outputs.get(2).lines().filter(l -> l.contains("Certificate[")).count(), outputs.get(2));
        } finally {
            Files.deleteIfExists(kernelDir.resolve("kernel.json"));
            Files.deleteIfExists(kernelDir);
        }
    }
}
