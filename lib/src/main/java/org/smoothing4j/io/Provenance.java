package org.smoothing4j.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Where an artifact came from: library version and commit, backend, Java, OS, CPU and time. */
public final class Provenance {
    private Provenance() {}

    public static Map<String, Object> collect() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("smoothing4j", Version.get());
        p.put("commit", gitCommit());
        p.put("backend", Backend.current().toString());
        p.put("java", System.getProperty("java.version") + " " + System.getProperty("java.vm.name"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        p.put("cpu", cpuModel());
        p.put("created", Instant.now().toString());
        return p;
    }

    /** The commit of the checkout the library runs from (SMOOTHING4J_HOME or the working directory), if any. */
    static String gitCommit() {
        String home = System.getenv().getOrDefault("SMOOTHING4J_HOME", ".");
        try {
            Process p = new ProcessBuilder("git", "-C", home, "rev-parse", "--short=12", "HEAD")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]+")) {
                Process dirty = new ProcessBuilder("git", "-C", home, "status", "--porcelain", "--untracked-files=no")
                        .redirectErrorStream(true).start();
                String changes = new String(dirty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                dirty.waitFor(5, TimeUnit.SECONDS);
                return changes.isEmpty() ? out : out + "-dirty";
            }
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }

    static String cpuModel() {
        Path cpuinfo = Paths.get("/proc/cpuinfo");
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim() + " x" + Runtime.getRuntime().availableProcessors();
                }
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch") + " x" + Runtime.getRuntime().availableProcessors();
    }
}
