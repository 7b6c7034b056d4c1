package org.smoothing4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebooks as a person uses them: environment/jupyter-server (Debian's classic Jupyter Notebook with this
 * checkout's kernelspec) and a headless Chromium ({@link DevTools}). Notebook 00-quickstart is opened in the browser,
 * all its cells are run with the test profile (the page's own "run all"), and the page must then show real HTML
 * tables with the expected headers, an inline PNG chart and no error output; a screenshot of the page goes to
 * target/surefire-reports. Tagged "browser": run by `make browser-test` (part of `make test`, which installs
 * chromium and jupyter-notebook first), not by a plain `mvn verify`.
 */
@Tag("browser")
class BrowserNotebookTest {
    private static final Path TOP = Path.of(System.getProperty("user.dir")).getFileName().toString().equals("lib")
            ? Path.of(System.getProperty("user.dir")).getParent() : Path.of(System.getProperty("user.dir"));
    private static final Path CHROMIUM = Path.of(System.getProperty("smoothing4j.chromium", "/usr/bin/chromium"));
    private static final Path REPORTS = TOP.resolve("lib/target/surefire-reports");
    private static final int WIDTH = 1280;

    /** What the page shows: the header cells of each table in an output, the inline PNGs, the error outputs. */
    private static final String PAGE = """
            JSON.stringify({
              tables: Array.from(document.querySelectorAll('.output_area table')).map(t =>
                Array.from(t.querySelectorAll('thead th')).map(th => th.textContent.trim())),
              pngs: document.querySelectorAll('.output_area img[src^="data:image/png"]').length,
              errors: Array.from(document.querySelectorAll('.output_area .output_error')).map(e => e.textContent),
              cells: Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').length,
              height: document.querySelector('#notebook-container').scrollHeight + 150
            })""";

    private static JsonObject page(DevTools browser) {
        return new JsonParser().parse(browser.evaluate(PAGE).getAsString()).getAsJsonObject();
    }

    private static void open(DevTools browser, JupyterServer server, String notebook) throws InterruptedException {
        browser.navigate(server.url("notebooks/" + notebook));
        assertTrue(browser.waitFor("typeof Jupyter !== 'undefined' && Jupyter.notebook !== undefined "
                + "&& Jupyter.notebook._fully_loaded === true && Jupyter.notebook.kernel !== null "
                + "&& Jupyter.notebook.kernel.is_connected()", Duration.ofSeconds(180)),
                notebook + ": the page did not load or its kernel did not connect within 180 s");
    }

    @Test
    void quickstartRunsInTheBrowserAndShowsTablesAndAChart(@TempDir Path root) throws Exception {
        Files.copy(TOP.resolve("notebooks/00-quickstart.ipynb"), root.resolve("00-quickstart.ipynb"));
        JupyterServer started;
        DevTools opened;
        try (JupyterServer server = JupyterServer.start(TOP, root, TOP.resolve("lib/target/browser-results"));
                DevTools browser = DevTools.start(CHROMIUM, WIDTH, 1000)) {
            started = server;
            opened = browser;
            open(browser, server, "00-quickstart.ipynb");
            browser.evaluate("Jupyter.notebook.clear_all_output(); Jupyter.notebook.execute_all_cells(); true");
            // done when every code cell has its execution number (a queued or running cell shows '*')
            boolean done = browser.waitFor("Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code')"
                    + ".every(c => typeof c.input_prompt_number === 'number') "
                    + "|| document.querySelectorAll('.output_area .output_error').length > 0", Duration.ofMinutes(15));
            JsonObject shown = page(browser);
            browser.screenshot(REPORTS.resolve("browser-00-quickstart.png"), WIDTH, shown.get("height").getAsInt());
            assertTrue(done, "the cells did not finish within 15 minutes");
            assertEquals(0, shown.getAsJsonArray("errors").size(), "error output in the page: " + shown.get("errors"));
            List<List<String>> tables = new ArrayList<>();
            shown.getAsJsonArray("tables").forEach(t -> {
                List<String> header = new ArrayList<>();
                t.getAsJsonArray().forEach(h -> header.add(h.getAsString()));
                tables.add(header);
            });
            assertTrue(tables.contains(List.of("idx", "label", "predict", "radius", "correct", "time")),
                    "no HTML table with the certify log's header: " + tables);
            assertTrue(tables.stream().anyMatch(h -> h.contains("smoothed acc (r=0)") && h.contains("ACR")),
                    "no HTML summary table: " + tables);
            assertTrue(shown.get("pngs").getAsInt() >= 1, "no inline PNG chart in the page");
        }
        assertTrue(!started.alive() && !opened.alive(), "the server, a kernel or the browser still runs");
    }

    /** A notebook of three cells: imports, a training step of Experiments, a certification step of it. */
    private static String progressNotebook() {
        String setup = "import org.smoothing4j.*;\nimport org.smoothing4j.certify.*;\nimport java.nio.file.*;\n"
                + "Experiments ex = Experiments.here();";
        String train = "Path model = ex.train(Profile.TEST.gaussian(\"fashion-mnist\", 0.5).withTrainSize(8192));";
        String certify = "ex.certify(model, \"fashion-mnist\", 0.5, CertifyConfig.defaults().withN(4000).withN0(50)"
                + ".withBatch(200).withSelection(ExampleSelection.everyKth(250)));";
        StringBuilder cells = new StringBuilder();
        for (String source : List.of(setup, train, certify)) {
            cells.append(cells.length() == 0 ? "" : ",").append("{\"cell_type\": \"code\", \"metadata\": {}, "
                    + "\"execution_count\": null, \"outputs\": [], \"source\": ")
                    .append(new Gson().toJson(source)).append("}");
        }
        return "{\"cells\": [" + cells + "], \"metadata\": {\"kernelspec\": {\"name\": \"smoothing4j\", "
                + "\"display_name\": \"smoothing4j\", \"language\": \"java\"}}, \"nbformat\": 4, "
                + "\"nbformat_minor\": 5}";
    }

    /**
     * A long step of {@code Experiments} shows a live progress line in its cell: while the cell runs (its prompt a
     * '*'), the page shows the line's done count change (two states at least, sampled every 100 ms), not only when the
     * cell ends.
     */
    @Test
    void progressLineUpdatesInTheCellWhileItRuns(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("progress.ipynb"), progressNotebook());
        // results of its own: Experiments' cache would otherwise answer a rerun without running (and no progress)
        try (JupyterServer server = JupyterServer.start(TOP, root, root.resolve("results"));
                DevTools browser = DevTools.start(CHROMIUM, WIDTH, 1000)) {
            open(browser, server, "progress.ipynb");
            browser.evaluate("Jupyter.notebook.execute_all_cells(); true");
            // per running cell: the distinct "done/total img" states its output showed while it ran
            Map<Integer, Set<String>> whileRunning = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            Pattern state = Pattern.compile("(\\d+)/(\\d+) img");
            boolean finished = false;
            String texts = "";
            while (System.nanoTime() < deadline && !finished) {
                JsonObject now = new JsonParser().parse(browser.evaluate("""
                        JSON.stringify({
                          running: Jupyter.notebook.get_cells().map(c => c.cell_type === 'code'
                            && c.input_prompt_number === '*'),
                          texts: Jupyter.notebook.get_cells().map(c => c.element.find('.output_text').text()),
                          done: Jupyter.notebook.get_cells().every(c => typeof c.input_prompt_number === 'number')
                        })""").getAsString()).getAsJsonObject();
                for (int i = 0; i < now.getAsJsonArray("running").size(); i++) {
                    if (now.getAsJsonArray("running").get(i).getAsBoolean()) {
                        Matcher m = state.matcher(now.getAsJsonArray("texts").get(i).getAsString());
                        String last = null;
                        while (m.find()) {
                            last = m.group(); // the line as redrawn last
                        }
                        if (last != null) {
                            whileRunning.computeIfAbsent(i, k -> new TreeSet<>()).add(last);
                        }
                    }
                }
                finished = now.get("done").getAsBoolean();
                texts = now.getAsJsonArray("texts").toString();
                Thread.sleep(100);
            }
            assertTrue(finished, "the cells did not finish within 10 minutes");
            assertTrue(whileRunning.values().stream().anyMatch(states -> states.size() >= 2),
                    "no cell's progress line changed while the cell ran: " + whileRunning + "; the cells' output: " + texts);
        }
    }

    /**
     * Notebook 01 as committed (quick profile, outputs kept), rendered without running it: the README's screenshot
     * (written to target/surefire-reports; `make readme-screenshot` copies it to results/figures).
     */
    @Test
    void committedNotebook01RendersWithItsTablesAndCharts(@TempDir Path root) throws Exception {
        Files.copy(TOP.resolve("notebooks/01-certified-accuracy.ipynb"), root.resolve("01-certified-accuracy.ipynb"));
        try (JupyterServer server = JupyterServer.start(TOP, root, TOP.resolve("lib/target/browser-results"));
                DevTools browser = DevTools.start(CHROMIUM, WIDTH, 1000)) {
            open(browser, server, "01-certified-accuracy.ipynb");
            JsonObject shown = page(browser);
            browser.screenshot(REPORTS.resolve("browser-01-certified-accuracy.png"), WIDTH,
                    Math.min(3300, shown.get("height").getAsInt()));
            assertTrue(shown.getAsJsonArray("tables").size() >= 5, "committed tables: " + shown.get("tables"));
            assertTrue(shown.get("pngs").getAsInt() >= 5, "committed charts: " + shown.get("pngs"));
            assertEquals(0, shown.getAsJsonArray("errors").size());
        }
    }
}
