package org.smoothing4j.cli;

import static org.smoothing4j.cli.Section.Kind.INPUT;
import static org.smoothing4j.cli.Section.Kind.METHOD;
import static org.smoothing4j.cli.Section.Kind.OUTPUT;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.smoothing4j.analysis.AttackLogs;
import org.smoothing4j.analysis.CertifiedAccuracy;
import org.smoothing4j.analysis.CertifyLogs;
import org.smoothing4j.analysis.Curve;
import org.smoothing4j.analysis.Curves;
import org.smoothing4j.analysis.TableFormats;
import org.smoothing4j.plot.Charts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.Table;

/** {@code smoothing4j analyze}: summary table (and optionally the accuracy-vs-radius curve) of certify logs. */
@Command(name = "analyze", footer = {"%nExample:",
            "  smoothing4j analyze gauss.tsv --bands --plot curves"},
        mixinStandardHelpOptions = true,
        description = "Summarise certify logs (ours or the reference code's): smoothed accuracy at r = 0, abstention "
                + "fraction, ACR and "
                + "approximate certified accuracy at chosen radii; optionally plot the curves.")
final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "LOG", description = "certify logs")
    List<Path> logs = new ArrayList<>();

    @Section(INPUT)
    @Option(names = "--empirical", arity = "1..*", paramLabel = "ATTACK_LOG",
            description = "attack logs (smoothing4j attack): print their empirical robust accuracy and, with --plot, "
                    + "draw it dashed against eps beside the certified curves (solid)")
    List<Path> empirical = new ArrayList<>();

    @Section(METHOD)
    @Option(names = "--radii", split = ",", description = "radii for the table (default: ${DEFAULT-VALUE})")
    double[] radii = {0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5};

    @Section(OUTPUT)
    @Option(names = "--format", description = "text, md, tex or csv (default: ${DEFAULT-VALUE})")
    String format = "text";

    @Section(METHOD)
    @Option(names = "--envelope", description = "also print the envelope over the logs (best per radius)")
    boolean envelope;

    @Section(METHOD)
    @Option(names = "--rho", description = "also print accuracies that hold with probability 1 - rho")
    Double rho;

    @Section(METHOD)
    @Option(names = "--alpha", description = "the logs' certification alpha, for --rho (default: ${DEFAULT-VALUE})")
    double alpha = 0.001;

    @Section(OUTPUT)
    @Option(names = "--plot", description = "save the curves as PATH.png and PATH.svg")
    Path plot;

    @Section(METHOD)
    @Option(names = "--bands", description = "print each certified accuracy with its 95%% Clopper-Pearson interval over "
            + "the test images, and draw the intervals as bands with --plot")
    boolean bands;

    @Override
    public Integer call() throws Exception {
        TableFormats.Format f = TableFormats.Format.parse(format);
        if (rho != null && !(rho > 0 && rho < 1)) {
            throw new IllegalArgumentException("--rho must be in (0, 1), got " + rho);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("--alpha must be in (0, 1), got " + alpha);
        }
        for (double r : radii) {
            if (!(r >= 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("--radii must be finite numbers >= 0, got " + r);
            }
        }
        if (logs.isEmpty() && empirical.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "give certify logs (LOG...) and/or attack logs (--empirical ATTACK_LOG...)");
        }
        List<CertifyLogs.Log> loaded = new ArrayList<>();
        for (Path p : logs) {
            loaded.add(CertifyLogs.load(p));
        }
        List<Table> tables = loaded.stream().map(CertifyLogs.Log::table).toList();
        PrintWriter out = spec.commandLine().getOut();
        List<AttackLogs.Log> attacks = new ArrayList<>();
        for (Path p : empirical) {
            attacks.add(AttackLogs.load(p));
        }
        if (!attacks.isEmpty()) {
            out.print(TableFormats.format(AttackLogs.summary(attacks), f));
            if (tables.isEmpty()) {
                out.flush();
                return 0;
            }
            out.println();
        }
        out.print(TableFormats.format(CertifiedAccuracy.summary(tables, radii), f));
        if (f == TableFormats.Format.TEXT || f == TableFormats.Format.MD) { // from the settings files
            out.println();
            out.println("certified in: " + String.join(", ", loaded.stream()
                    .map(l -> l.label() + ": " + l.mode() + " mode" + (l.noise().equals("gaussian") && l.norm()
                            .equals("l2") ? "" : ", " + l.noise() + " noise, " + l.normLabel() + " radius")).toList()));
        }
        if (envelope) {
            out.println();
            out.print(TableFormats.format(CertifiedAccuracy.envelope(tables, radii), f));
        }
        if (bands) {
            out.println();
            out.print(TableFormats.format(CertifiedAccuracy.bandSummary(tables, radii, Curves.BAND), f));
        }
        if (rho != null) {
            out.println();
            out.print(TableFormats.format(CertifiedAccuracy.highProbabilitySummary(tables, radii, alpha, rho), f));
        }
        if (plot != null) {
            List<Curve> curves = new ArrayList<>(bands ? Curves.withBands(loaded) : Curves.of(loaded));
            if (!attacks.isEmpty()) { // certified solid, empirical dashed
                curves.replaceAll(c -> new Curve(c.label() + " certified", c.radii(), c.accuracy(), Curve.Style.SOLID,
                        c.sigma(), c.lower(), c.upper()));
                double clean = tables.isEmpty() ? Double.NaN : CertifiedAccuracy.at(tables.get(0), 0);
                curves.add(AttackLogs.empiricalCurve("empirical (attacked)", attacks, clean));
            }
            String title = attacks.isEmpty() ? "Certified accuracy" : "Certified (solid) and empirical (dashed) accuracy";
            java.util.TreeSet<String> norms = new java.util.TreeSet<>(loaded.stream().map(CertifyLogs.Log::normLabel)
                    .toList());
            if (norms.size() > 1) {
                throw new IllegalArgumentException("--plot: the logs' radii are in different norms (" + String.join(
                        ", ", loaded.stream().map(l -> l.label() + ": " + l.normLabel()).toList())
                        + "): plot each norm on its own");
            }
            String norm = norms.isEmpty() ? "L2" : norms.first();
            Path png = Charts.save(Charts.accuracyVsRadius(title, curves, 900, 560, norm), plot);
            out.println("plot: " + png + " (and .svg)");
        }
        out.flush();
        return 0;
    }
}
