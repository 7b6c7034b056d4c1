package org.smoothing4j.analysis;

import java.util.ArrayList;
import java.util.List;
import org.smoothing4j.plot.Curve;

/** Certified-accuracy curves of loaded logs, on the reference's 0.01 radius grid, ready to plot. */
public final class Curves {
    private Curves() {}

    /** One curve per log, from radius 0 to just past the largest radius of any log. */
    public static List<Curve> of(List<CertifyLogs.Log> logs) {
        double max = 0;
        for (CertifyLogs.Log log : logs) {
            max = Math.max(max, log.table().doubleColumn("radius").max());
        }
        double[] radii = CertifiedAccuracy.grid(Math.max(0.5, max + 0.05), 0.01);
        List<Curve> curves = new ArrayList<>();
        for (CertifyLogs.Log log : logs) {
            String label = Double.isNaN(log.sigma()) ? log.label()
                    : log.label() + " (σ = " + TableFormats.number(log.sigma()) + ")";
            curves.add(new Curve(label, radii, CertifiedAccuracy.curve(log.table(), radii),
                    Curve.Style.forMethod(log.method()), log.sigma()));
        }
        return curves;
    }
}
