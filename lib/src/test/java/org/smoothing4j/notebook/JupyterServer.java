package org.smoothing4j.notebook;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * environment/jupyter-server started for a test: a free port, a random token, a folder of its own, the test profile;
 * {@link #close} stops it and every kernel it started (its descendant processes), also when the test failed.
 */
final class JupyterServer implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/)\\?token=(\\w+)");
    private final Process process;
    private final String base;
    private final String token;

    private JupyterServer(Process process, String base, String token) {
        this.process = process;
        this.base = base;
        this.token = token;
    }

    static JupyterServer start(Path top, Path root, Path results) throws IOException, InterruptedException {
        String token = UUID.randomUUID().toString().replace("-", "");
        ProcessBuilder pb = new ProcessBuilder(top.resolve("environment/jupyter-server").toString(), "--port", "0",
                "--token", token, "--root", root.toString()).redirectErrorStream(true);
        pb.environment().put("SMOOTHING4J_PROFILE", "test");
        pb.environment().put("SMOOTHING4J_RESULTS", results.toString());
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String base = null;
        StringBuilder seen = new StringBuilder();
        for (String line; base == null && (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = URL.matcher(line);
            if (m.find()) {
                base = m.group(1);
            }
        }
        DevTools.drain(out, "jupyter-server-output");
        JupyterServer server = new JupyterServer(p, base, token);
        if (base == null) {
            server.close();
            throw new IllegalStateException("environment/jupyter-server printed no URL:\n" + seen);
        }
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create(base + "api/status?token=" + token)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return server;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !p.isAlive()) {
                server.close();
                throw new IllegalStateException("the Jupyter server at " + base + " did not answer within 90 s");
            }
            Thread.sleep(300);
        }
    }

    /** Whether the server or any process it started (a kernel) still runs. */
    boolean alive() {
        return process.isAlive() || process.descendants().anyMatch(ProcessHandle::isAlive);
    }

    /** The URL of a page of the server (e.g. "notebooks/x.ipynb"), logged in by its token. */
    String url(String page) {
        return base + page + "?token=" + token;
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy); // the kernels, then the server
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }
}
