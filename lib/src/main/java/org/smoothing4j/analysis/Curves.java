package org.smoothing4j.analysis;

import java.util.ArrayList;
import java.util.List;
import org.smoothing4j.analysis.Curve;

/** Certified-accuracy curves of loaded logs, on the reference's 0.01 radius grid (finer for L-infinity), ready to plot. */
public final class Curves {
    private Curves() {}

    /** The confidence of the bands the notebooks and {@code analyze --bands} draw. */
    public static final double BAND = 0.95;

    /** As {@link #of}, each curve with its 95% Clopper-Pearson band over the test images. */
    public static List<Curve> withBands(List<CertifyLogs.Log> logs) {
        List<Curve> curves = of(logs);
        List<Curve> out = new ArrayList<>();
        for (int i = 0; i < curves.size(); i++) {
            Curve c = curves.get(i);
            double[][] b = CertifiedAccuracy.band(logs.get(i).table(), c.radii(), BAND);
            out.add(c.withBand(b[0], b[1]));
        }
        return out;
    }

    /**
     * One curve per log, from radius 0 to just past the largest radius of any log; for sequential certification's
     * logs at their target radii only, where their certified accuracy is exact (drawn with markers).
     */
    public static List<Curve> of(List<CertifyLogs.Log> logs) {
        double max = 0;
        for (CertifyLogs.Log log : logs) {
            max = Math.max(max, log.table().doubleColumn("radius").max());
        }
        boolean linf = !logs.isEmpty() && logs.stream().allMatch(l -> l.norm().equals("linf"));
        // L-infinity radii are about sqrt d smaller (0.04 for a Gaussian at sigma 0.5 on 784 pixels): 200 steps to the
        // largest, not the 0.01 grid
        double[] grid = linf && max > 0 ? CertifiedAccuracy.grid(max * 1.05, max / 200)
                : CertifiedAccuracy.grid(Math.max(0.5, max + 0.05), 0.01);
        List<Curve> curves = new ArrayList<>();
        for (CertifyLogs.Log log : logs) {
            String label = Double.isNaN(log.sigma()) || log.label().contains("σ") ? log.label()
                    : log.label() + " (σ = " + TableFormats.number(log.sigma()) + ")";
            double[] radii = log.sequential() ? log.exactRadii() : grid;
            curves.add(new Curve(label, radii, CertifiedAccuracy.curve(log.table(), radii),
                    Curve.Style.forMethod(log.method()), log.sigma()));
        }
        return curves;
    }

    /**
     * The envelope of each method's logs over sigma (at each radius the best model, ties by accuracy at r = 0), as
     * Figure 1 of Salman et al.: on the 0.01 grid for CERTIFY's logs, on the union of the target radii when any log is
     * sequential (a log is exact at its own targets and certifies nothing beyond its largest certifiable radius).
     */
    public static List<Curve> envelopes(List<CertifyLogs.Log> logs, java.util.Map<String, String> labelOfMethod) {
        java.util.TreeSet<Double> targets = new java.util.TreeSet<>();
        double max = 0;
        for (CertifyLogs.Log log : logs) {
            for (double r : log.exactRadii()) {
                targets.add(r);
            }
            max = Math.max(max, log.table().doubleColumn("radius").max());
        }
        double[] radii = targets.isEmpty() ? CertifiedAccuracy.grid(Math.max(0.5, max + 0.05), 0.01)
                : targets.stream().mapToDouble(Double::doubleValue).toArray();
        List<Curve> curves = new ArrayList<>();
        for (var e : labelOfMethod.entrySet()) {
            List<tech.tablesaw.api.Table> tables = logs.stream().filter(l -> l.method().equals(e.getKey()))
                    .map(CertifyLogs.Log::table).toList();
            if (!tables.isEmpty()) {
                curves.add(new Curve(e.getValue(), radii, CertifiedAccuracy.envelope(tables, radii)
                        .doubleColumn("accuracy").asDoubleArray(), Curve.Style.forMethod(e.getKey()), Double.NaN));
            }
        }
        return curves;
    }
}
