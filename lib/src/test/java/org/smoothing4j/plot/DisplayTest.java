package org.smoothing4j.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.rapaio.jupyter.kernel.global.Global;
import org.smoothing4j.analysis.Curve;
import org.smoothing4j.analysis.TableFormats;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class DisplayTest {
    private static Table table() {
        return Table.create("acc <r>", StringColumn.create("log", "a&b"), DoubleColumn.create("r=0.5", 0.25));
    }

    @Test
    void tablesAreSentAsHtmlTablesNotAsText() {
        Global.SENT.clear();
        Display.table(table());
        String html = TableFormats.html(table());
        assertEquals(1, Global.SENT.size());
        assertEquals("text/html", Global.SENT.get(0)[0]);
        assertEquals(html, Global.SENT.get(0)[1]);
        assertTrue(html.startsWith("<table"), html);
        assertTrue(html.contains("<caption style=\"text-align:left\">acc &lt;r&gt;</caption>"), html);
        assertTrue(html.contains("<th style=\"border-bottom:1px solid #888;padding:2px 8px\">r=0.5</th>"), html);
        assertTrue(html.contains(">a&amp;b</td>"), html); // escaped
        assertTrue(html.contains("text-align:right\">0.250</td>"), html); // numbers as the text table prints them
    }

    /** Under IJava: one DisplayData with the HTML table and its text, sent to the kernel's display. */
    @Test
    void underIJavaTablesGoToTheKernelAsADisplayDataBundle() {
        String html = TableFormats.html(table()), text = TableFormats.text(table());
        io.github.spencerpark.ijava.IJava.kernel = null;
        assertFalse(Display.ijavaHtml(html, text)); // no kernel running: the caller prints the text instead
        io.github.spencerpark.ijava.IJava.kernel = new io.github.spencerpark.ijava.IJava.Kernel();
        try {
            assertTrue(Display.ijavaHtml(html, text));
            var sent = io.github.spencerpark.ijava.IJava.kernel.sent;
            assertEquals(1, sent.size());
            assertEquals(html, sent.get(0).data.get("text/html"));
            assertEquals(text, sent.get(0).data.get("text/plain"));
        } finally {
            io.github.spencerpark.ijava.IJava.kernel = null;
        }
    }

    @Test
    void chartsAreSentAsImages() {
        Global.SENT.clear();
        XYChart chart = Charts.accuracyVsRadius("t", List.of(new Curve("a", new double[] {0, 1},
                new double[] {0.8, 0.4}, Curve.Style.SOLID, 0.5)), 300, 200);
        Display.chart(chart);
        assertEquals(1, Global.SENT.size());
        assertInstanceOf(BufferedImage.class, Global.SENT.get(0)[1]);
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        Display.image(image);
        assertEquals(2, Global.SENT.size());
        assertEquals(image, Global.SENT.get(1)[1]);
    }

    @Test
    void bandsAreDrawnOutsideTheLegendAndTheAxisSaysWhatTheyAre() {
        Curve smoothAdv = new Curve("smoothadv", new double[] {0, 1}, new double[] {0.8, 0.4}, Curve.Style.SOLID, 0.5)
                .withBand(new double[] {0.75, 0.35}, new double[] {0.85, 0.45});
        Curve gaussian = new Curve("gaussian", new double[] {0, 1}, new double[] {0.7, 0.3}, Curve.Style.DASHED, 0.5);
        XYChart chart = Charts.accuracyVsRadius("t", List.of(smoothAdv, gaussian), 300, 200);
        assertEquals(4, chart.getSeriesMap().size()); // two curves, two band edges
        assertEquals(2, chart.getSeriesMap().values().stream().filter(s -> s.isShowInLegend()).count());
        String axis = chart.getXAxisTitle();
        assertTrue(axis.contains("dashed: Gaussian"), axis);
        assertTrue(axis.contains("95% Clopper-Pearson band"), axis);
        assertFalse(Charts.legendNote("solid vs dashed", List.of(smoothAdv, gaussian)).contains("dashed: Gaussian"));
        assertEquals("", Charts.legendNote("t", List.of(gaussian)));
        // two curves at the same sigma get two colours; curves at different sigmas the colours of their sigmas
        java.awt.Color[] same = Charts.colours(List.of(smoothAdv, gaussian));
        assertFalse(same[0].equals(same[1]));
        Curve other = new Curve("g1", new double[] {0, 1}, new double[] {0.7, 0.3}, Curve.Style.DASHED, 1.0);
        java.awt.Color[] distinct = Charts.colours(List.of(gaussian, other));
        assertEquals(Charts.colourOf(0.5, 0), distinct[0]);
        assertEquals(Charts.colourOf(1.0, 1), distinct[1]);
    }
}
