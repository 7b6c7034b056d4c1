package org.smoothing4j.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.smoothing4j.analysis.Curve;

/** Accuracy-vs-radius charts in the papers' style, and saving any chart as PNG + SVG or as an inline image. */
public final class Charts {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private Charts() {}

    /** The colour of a noise level: sigma 0.12, 0.25, 0.5, 1.0 get fixed colours so figures agree. */
    public static Color colourOf(double sigma, int position) {
        if (Double.isNaN(sigma)) {
            return PALETTE[position % PALETTE.length];
        }
        double[] known = {0.25, 0.5, 1.0, 0.12};
        for (int i = 0; i < known.length; i++) {
            if (Math.abs(sigma - known[i]) < 1e-9) {
                return PALETTE[i];
            }
        }
        return PALETTE[4 + position % 4];
    }

    /**
     * Certified (or empirical) accuracy against L2 radius: one series per curve, colour by sigma, line style by
     * method; y in [0,1].
     */
    public static XYChart accuracyVsRadius(String title, List<Curve> curves, int width, int height) {
        return accuracyVsRadius(title, curves, width, height, "L2");
    }

    /** As above, for radii in another norm ({@code norm} as the axis names it: L2, L1, L-infinity). */
    public static XYChart accuracyVsRadius(String title, List<Curve> curves, int width, int height, String norm) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(norm + " radius ([0,1] pixel scale)" + legendNote(title, curves)).yAxisTitle("accuracy")
                .build();
        var s = chart.getStyler();
        s.setYAxisMin(0.0);
        s.setYAxisMax(1.0);
        s.setXAxisMin(0.0);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesVisible(true);
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        s.setDecimalPattern("0.##");
        s.setXAxisTickMarkSpacingHint(90);
        Color[] colours = colours(curves);
        for (int i = 0; i < curves.size(); i++) {
            Curve c = curves.get(i);
            if (c.hasBand()) { // thin, light lines of the curve's colour, drawn first, not in the legend
                Color light = new Color(colours[i].getRed(), colours[i].getGreen(), colours[i].getBlue(), 110);
                for (double[] edge : new double[][] {c.lower(), c.upper()}) {
                    XYSeries b = chart.addSeries(uniqueName(chart, c.label() + " band"), c.radii(), edge);
                    b.setMarker(SeriesMarkers.NONE).setLineColor(light);
                    b.setLineStyle(new BasicStroke(1.0f));
                    b.setShowInLegend(false);
                }
            }
            XYSeries series = chart.addSeries(uniqueName(chart, c.label()), c.radii(), c.accuracy());
            // a curve of a few measured points (empirical accuracy at some eps) shows its points
            series.setMarker(c.radii().length <= 12 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE)
                    .setLineColor(colours[i]);
            series.setMarkerColor(colours[i]);
            series.setLineStyle(stroke(c.style()));
        }
        // XChart 3.8.8 puts the ticks on data values when all x values are equally spaced (a radius grid of step
        // 0.01 gave ticks at 0.09, 0.18, ...); an axis end just past the data breaks that spacing, so the ticks
        // fall on round numbers again
        double xMax = curves.stream().flatMapToDouble(c -> java.util.Arrays.stream(c.radii())).max().orElse(1.0);
        s.setXAxisMax(xMax + 1e-6 * Math.max(1.0, Math.abs(xMax)));
        return chart;
    }

    /** Colour by sigma when every curve has its own sigma (figures agree), else one palette colour per curve. */
    static Color[] colours(List<Curve> curves) {
        long distinct = curves.stream().mapToDouble(Curve::sigma).filter(v -> !Double.isNaN(v)).distinct().count();
        long withSigma = curves.stream().filter(c -> !Double.isNaN(c.sigma())).count();
        Color[] out = new Color[curves.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = distinct == withSigma ? colourOf(curves.get(i).sigma(), i) : PALETTE[i % PALETTE.length];
        }
        return out;
    }

    /**
     * What the line styles and bands mean, for the axis title (the legend shows colours and labels only): solid and
     * dashed as {@link Curve.Style#forMethod} draws recipes, unless the title says what they mean itself.
     */
    static String legendNote(String title, List<Curve> curves) {
        List<String> notes = new java.util.ArrayList<>();
        boolean solid = curves.stream().anyMatch(c -> c.style() == Curve.Style.SOLID);
        boolean dashed = curves.stream().anyMatch(c -> c.style() == Curve.Style.DASHED);
        if (solid && dashed && !title.contains("solid") && !title.contains("dashed")) {
            notes.add("dashed: Gaussian, solid: other recipes");
        }
        if (curves.stream().anyMatch(Curve::hasBand)) {
            notes.add("thin lines: 95% Clopper-Pearson band");
        }
        return notes.isEmpty() ? "" : "   (" + String.join("; ", notes) + ")";
    }

    /**
     * The Lipschitz view of a certificate: Phi^-1(G_y) along a direction with its simultaneous confidence band
     * (dotted), and the cone of slope +-1/sigma around the first position that the theory confines it to.
     */
    public static XYChart lipschitz(String title, org.smoothing4j.certify.LipschitzProfile p, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle("t: L2 distance along the direction (pixel units)").yAxisTitle("Phi^-1(G_y)").build();
        var s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesVisible(true);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        s.setDecimalPattern("0.##");
        double cap = 4.5; // Phi^-1 of a count of 0 or n is infinite: drawn at +-4.5
        double[] t = p.t();
        double[] z = clip(p.z(), cap), lo = clip(p.zLower(), cap), hi = clip(p.zUpper(), cap);
        double[] up = new double[t.length], down = new double[t.length];
        for (int k = 0; k < t.length; k++) {
            up[k] = Math.min(cap, z[0] + (t[k] - t[0]) / p.sigma());
            down[k] = Math.max(-cap, z[0] - (t[k] - t[0]) / p.sigma());
        }
        Color c = colourOf(p.sigma(), 0);
        XYSeries est = chart.addSeries("estimate (n = " + p.n() + ")", t, z);
        est.setLineColor(c);
        est.setMarkerColor(c);
        est.setMarker(SeriesMarkers.CIRCLE);
        est.setLineStyle(stroke(Curve.Style.SOLID));
        for (String name : new String[] {"band (" + (1 - p.alpha()) + ", simultaneous)", "band upper"}) {
            XYSeries b = chart.addSeries(name, t, name.startsWith("band (") ? lo : hi);
            b.setLineColor(c);
            b.setMarker(SeriesMarkers.NONE);
            b.setLineStyle(stroke(Curve.Style.DOTTED));
            b.setShowInLegend(name.startsWith("band ("));
        }
        for (String name : new String[] {"slope +-1/sigma", "slope -1/sigma"}) {
            XYSeries cone = chart.addSeries(name, t, name.startsWith("slope +") ? up : down);
            cone.setLineColor(Color.GRAY);
            cone.setMarker(SeriesMarkers.NONE);
            cone.setLineStyle(stroke(Curve.Style.DASHED));
            cone.setShowInLegend(name.startsWith("slope +"));
        }
        return chart;
    }

    private static double[] clip(double[] v, double cap) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.max(-cap, Math.min(cap, v[i]));
        }
        return out;
    }

    private static String uniqueName(XYChart chart, String label) {
        String name = label;
        for (int k = 2; chart.getSeriesMap().containsKey(name); k++) {
            name = label + " (" + k + ")";
        }
        return name;
    }

    static BasicStroke stroke(Curve.Style style) {
        return switch (style) {
            case SOLID -> new BasicStroke(2.0f);
            case DASHED -> new BasicStroke(2.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0f);
            case DOTTED -> new BasicStroke(2.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {1f, 5f}, 0f);
        };
    }

    /** Saves {@code base}.png and {@code base}.svg (base without extension); returns the PNG path. */
    public static Path save(Chart<?, ?> chart, Path base) throws IOException {
        String name = base.getFileName().toString().replaceAll("\\.(png|svg)$", "");
        Path dir = base.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path png = dir.resolve(name + ".png");
        BitmapEncoder.saveBitmapWithDPI(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG, 144);
        VectorGraphicsEncoder.saveVectorGraphic(chart, dir.resolve(name).toString(),
                VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return png;
    }

    /** The chart as an image, for {@code display(...)} in a notebook. */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }
}
