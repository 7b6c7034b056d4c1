package io.github.spencerpark.jupyter.kernel.display;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stand-in for jupyter-jvm-basekernel's {@code DisplayData} (IJava 1.3's display bundle) with the members
 * {@link org.smoothing4j.plot.Display} uses: the text/plain constructor and putHTML.
 */
public class DisplayData {
    public final Map<String, Object> data = new LinkedHashMap<>();

    public DisplayData(String textData) {
        data.put("text/plain", textData);
    }

    public void putHTML(String html) {
        data.put("text/html", html);
    }
}
