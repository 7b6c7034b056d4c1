package org.smoothing4j.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Axis;
import org.knowm.xchart.internal.chartpart.Chart;
import org.smoothing4j.analysis.CertifiedAccuracy;
import org.smoothing4j.analysis.Curve;

class ChartsTest {

    /** A certified-accuracy curve on the notebooks' radius grid (0 to 2 by 0.01). */
    private static Curve gridCurve(String label, double sigma) {
        double[] grid = CertifiedAccuracy.grid(2.0, 0.01);
        double[] acc = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            acc[i] = Math.max(0, 0.8 - 0.4 * grid[i]);
        }
        return new Curve(label, grid, acc, Curve.Style.SOLID, sigma);
    }

    private static List<String> xTickLabels(XYChart chart) throws Exception {
        Charts.image(chart); // paints the chart, which computes the ticks
        Method getXAxis = Chart.class.getDeclaredMethod("getXAxis");
        getXAxis.setAccessible(true);
        return ((Axis<?, ?>) getXAxis.invoke(chart)).getAxisTickCalculator().getTickLabels();
    }

    @Test
    void radiusTicksFallOnRoundNumbersForAnEquallySpacedGrid() throws Exception {
        XYChart chart = Charts.accuracyVsRadius("t", List.of(gridCurve("a", 0.5), gridCurve("b", 0.25)), 900, 480);
        List<String> labels = xTickLabels(chart);
        assertTrue(labels.size() >= 4, "ticks: " + labels);
        assertTrue(labels.contains("1"), "ticks: " + labels);
        for (String label : labels) {
            double v = Double.parseDouble(label);
            // every tick a multiple of 0.1 (XChart's own data-value ticks were 0.09, 0.18, ...)
            assertEquals(Math.round(v * 10) / 10.0, v, 1e-9, "ticks: " + labels);
        }
    }

    @Test
    void sameSigmaSameColourAcrossFigures() {
        assertEquals(Charts.colourOf(0.5, 0), Charts.colourOf(0.5, 3));
        assertFalse(Charts.colourOf(0.25, 0).equals(Charts.colourOf(0.5, 0)));
    }

    @Test
    void savesPngAndSvg(@TempDir Path dir) throws Exception {
        XYChart chart = Charts.accuracyVsRadius("t", List.of(gridCurve("a", 0.5)), 600, 400);
        Path png = Charts.save(chart, dir.resolve("fig"));
        assertEquals(dir.resolve("fig.png"), png);
        byte[] head = Files.readAllBytes(png);
        assertEquals((byte) 0x89, head[0]);
        assertEquals('P', head[1]);
        String svg = Files.readString(dir.resolve("fig.svg"));
        assertTrue(svg.contains("<svg"), "not an SVG");
    }
}
