package org.smoothing4j.plot;

import java.awt.image.BufferedImage;
import java.lang.reflect.Method;
import org.knowm.xchart.internal.chartpart.Chart;
import org.smoothing4j.analysis.TableFormats;
import tech.tablesaw.api.Table;

/**
 * Shows tables and charts in a notebook, with one call that works under both Java kernels smoothing4j's notebooks run
 * on: rapaio-jupyter-kernel ({@code Global.display(mime, object)}) and IJava ({@code Display.display(object,
 * mimes...)}), found by reflection so the library depends on neither. Outside a kernel, tables print as text.
 * <p>
 * Why: rapaio-jupyter-kernel 3.0.1 sends a Tablesaw table's text as text/html without {@code <pre>}, so a browser
 * collapses its columns; here a table is sent as a real HTML table (and a text/plain copy where the kernel adds one).
 */
public final class Display {
    private static final String RAPAIO = "org.rapaio.jupyter.kernel.global.Global";
    private static final String IJAVA = "io.github.spencerpark.ijava.runtime.Display";

    private Display() {}

    /**
     * Shows a table as HTML in the notebook (as text outside one). Returns nothing, so a call that ends a cell is not
     * shown a second time as the cell's value.
     */
    public static void table(Table t) {
        if (!html(TableFormats.html(t))) {
            System.out.print(TableFormats.text(t));
        }
    }

    /** Shows a chart as an image in the notebook. */
    public static void chart(Chart<?, ?> chart) {
        if (!shown(Charts.image(chart))) {
            System.out.println("(chart: " + chart.getTitle() + ")");
        }
    }

    /** Shows an image in the notebook. */
    public static void image(BufferedImage image) {
        if (!shown(image)) {
            System.out.println("(image " + image.getWidth() + "x" + image.getHeight() + ")");
        }
    }

    private static boolean shown(BufferedImage image) {
        return invoke(RAPAIO, "display", new Class<?>[] {Object.class}, image)
                || invoke(IJAVA, "display", new Class<?>[] {Object.class}, image);
    }

    /** Sends an HTML fragment to the kernel; false outside a known kernel. */
    static boolean html(String html) {
        return invoke(RAPAIO, "display", new Class<?>[] {String.class, Object.class}, "text/html", html)
                || invoke(IJAVA, "display", new Class<?>[] {Object.class, String[].class}, html,
                        new String[] {"text/html"});
    }

    private static boolean invoke(String className, String method, Class<?>[] types, Object... args) {
        Class<?> c;
        try {
            c = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            try {
                c = Class.forName(className);
            } catch (ClassNotFoundException | LinkageError e2) {
                return false;
            }
        }
        try {
            Method m = c.getMethod(method, types);
            m.invoke(null, args);
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
