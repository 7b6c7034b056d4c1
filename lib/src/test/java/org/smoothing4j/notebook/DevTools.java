package org.smoothing4j.notebook;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A headless Chromium (Debian's /usr/bin/chromium) driven over the Chrome DevTools Protocol from the JVM: the JDK's
 * HTTP client and WebSocket, JSON by Gson; no driver binary, no Selenium. Only what the browser tests need: navigate,
 * evaluate JavaScript, size the page, take a PNG screenshot. {@link #close} ends the browser (and its profile folder);
 * use it in try-with-resources so a failing test stops it too.
 */
final class DevTools implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://[^\\s]+)");
    private final Process browser;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    private DevTools(Process browser, Path profile, WebSocket socket) {
        this.browser = browser;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts the browser headless with a fresh profile and connects to its first page. */
    static DevTools start(Path chromium, int width, int height) throws Exception {
        if (!Files.isExecutable(chromium)) {
            throw new IllegalStateException(chromium + " not found: install Debian's chromium (make test does, "
                    + "environment/setup-browser)");
        }
        Path profile = Files.createTempDirectory("smoothing4j-chromium");
        Process p = new ProcessBuilder(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "about:blank").redirectErrorStream(true).start();
        String endpoint = null;
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        StringBuilder seen = new StringBuilder();
        for (String line; endpoint == null && System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                endpoint = m.group(1);
            }
        }
        if (endpoint == null) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not open its DevTools port; it printed:\n" + seen);
        }
        drain(out, "chromium-output");
        URI browserUri = URI.create(endpoint);
        HttpClient http = HttpClient.newHttpClient();
        JsonArray targets = new JsonParser().parse(http.send(HttpRequest.newBuilder(URI.create("http://"
                + browserUri.getAuthority() + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body())
                .getAsJsonArray();
        String page = null;
        for (var t : targets) {
            if (t.getAsJsonObject().get("type").getAsString().equals("page")) {
                page = t.getAsJsonObject().get("webSocketDebuggerUrl").getAsString();
                break;
            }
        }
        if (page == null) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium has no page target: " + targets);
        }
        DevTools[] self = new DevTools[1];
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new WebSocket.Listener() {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    JsonObject m = new JsonParser().parse(message.toString()).getAsJsonObject();
                    message.setLength(0);
                    if (m.has("id") && self[0] != null) {
                        CompletableFuture<JsonObject> f = self[0].pending.remove(m.get("id").getAsInt());
                        if (f != null) {
                            f.complete(m);
                        }
                    }
                }
                ws.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        self[0] = new DevTools(p, profile, socket);
        return self[0];
    }

    /** Reads a child process's remaining output on a daemon thread (so that it never blocks on a full pipe). */
    static void drain(BufferedReader out, String name) {
        Thread drain = new Thread(() -> {
            try {
                out.lines().forEach(l -> { });
            } catch (java.io.UncheckedIOException e) {
                // the process ended
            }
        }, name);
        drain.setDaemon(true);
        drain.start();
    }

    /** Sends one command and waits for its result; a protocol error is thrown. */
    JsonObject call(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(new Gson().toJson(Map.of("id", id, "method", method, "params", params)), true).join();
        try {
            JsonObject m = answer.get(120, TimeUnit.SECONDS);
            if (m.has("error")) {
                throw new IllegalStateException(method + ": " + m.get("error"));
            }
            return m.getAsJsonObject("result");
        } catch (Exception e) {
            throw new IllegalStateException(method + " failed: " + e.getMessage(), e);
        }
    }

    void navigate(String url) {
        call("Page.enable", Map.of());
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression (awaited if it is a promise), as JSON; an exception is thrown. */
    com.google.gson.JsonElement evaluate(String expression) {
        JsonObject r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("JavaScript failed: " + r.get("exceptionDetails") + " in " + expression);
        }
        JsonObject value = r.getAsJsonObject("result");
        return value.has("value") ? value.get("value") : com.google.gson.JsonNull.INSTANCE;
    }

    /** Polls a boolean expression until it holds; false after the timeout. */
    boolean waitFor(String expression, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var v = evaluate(expression);
            if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean() && v.getAsBoolean()) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    /** A PNG of the page at this width and height (CSS pixels), written to {@code file}. */
    void screenshot(Path file, int width, int height) throws IOException {
        call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                "mobile", false));
        String data = call("Page.captureScreenshot", Map.of("format", "png")).get("data").getAsString();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(data));
    }

    /** Whether the browser or any of its processes still runs. */
    boolean alive() {
        return browser.isAlive() || browser.descendants().anyMatch(ProcessHandle::isAlive);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            socket.abort();
        } finally {
            browser.descendants().forEach(ProcessHandle::destroy);
            browser.destroy();
            if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                browser.descendants().forEach(ProcessHandle::destroyForcibly);
                browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
