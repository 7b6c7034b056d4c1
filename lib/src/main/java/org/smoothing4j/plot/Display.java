package org.smoothing4j.plot;

import java.awt.image.BufferedImage;
import java.lang.reflect.Method;
import org.knowm.xchart.internal.chartpart.Chart;
import org.smoothing4j.analysis.TableFormats;
import tech.tablesaw.api.Table;

/**
 * Shows tables and charts in a notebook, with one call that works under both Java kernels smoothing4j's notebooks run
 * on: rapaio-jupyter-kernel ({@code Global.display(mime, object)}) and IJava (images through {@code
 * Display.display(object)}, HTML as a {@code DisplayData} through the kernel's {@code display}), found by reflection so
 * the library depends on neither. Outside a kernel, tables print as text.
 * <p>
 * Why: rapaio-jupyter-kernel 3.0.1 sends a Tablesaw table's text as text/html without {@code <pre>}, so a browser
 * collapses its columns; here a table is sent as a real HTML table (and a text/plain copy where the kernel adds one).
 */
public final class Display {
    private static final String RAPAIO = "org.rapaio.jupyter.kernel.global.Global";
    private static final String IJAVA = "io.github.spencerpark.ijava.runtime.Display";
    static final String IJAVA_KERNEL = "io.github.spencerpark.ijava.IJava";
    static final String IJAVA_DISPLAY_DATA = "io.github.spencerpark.jupyter.kernel.display.DisplayData";

    private Display() {}

    /**
     * Shows a table as HTML in the notebook (as text outside one). Returns nothing, so a call that ends a cell is not
     * shown a second time as the cell's value.
     */
    public static void table(Table t) {
        String text = TableFormats.text(t);
        if (!html(TableFormats.html(t), text)) {
            System.out.print(text);
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

    /** Sends an HTML fragment (with its text for text/plain where the kernel takes one); false outside a kernel. */
    static boolean html(String html, String text) {
        return invoke(RAPAIO, "display", new Class<?>[] {String.class, Object.class}, "text/html", html)
                || ijavaHtml(html, text);
    }

    /**
     * IJava: a DisplayData with the HTML (and a text/plain line) handed to the kernel's display(DisplayData). Not
     * {@code Display.display(html, "text/html")}: that asks the kernel's renderer for a String as text/html, which it
     * has no render function for (the jupyter-jvm-basekernel renderer's renderAs then does not return).
     */
    static boolean ijavaHtml(String html, String text) {
        Class<?> data = load(IJAVA_DISPLAY_DATA), kernel = load(IJAVA_KERNEL);
        if (data == null || kernel == null) {
            return false;
        }
        try {
            Object bundle = data.getConstructor(String.class).newInstance(text);
            data.getMethod("putHTML", String.class).invoke(bundle, html);
            Object instance = kernel.getMethod("getKernelInstance").invoke(null);
            if (instance == null) {
                return false;
            }
            instance.getClass().getMethod("display", data).invoke(instance, bundle);
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            try {
                return Class.forName(className);
            } catch (ClassNotFoundException | LinkageError e2) {
                return null;
            }
        }
    }

    private static boolean invoke(String className, String method, Class<?>[] types, Object... args) {
        Class<?> c = load(className);
        if (c == null) {
            return false;
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
