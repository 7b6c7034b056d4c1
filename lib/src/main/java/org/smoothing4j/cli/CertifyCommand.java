package org.smoothing4j.cli;

import java.util.concurrent.Callable;
import org.smoothing4j.certify.CertifyConfig;
import org.smoothing4j.certify.CertifyRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code smoothing4j certify}: CERTIFY over a test set into a log in the reference format. */
@Command(name = "certify", mixinStandardHelpOptions = true,
        description = "Certify test examples (Cohen et al. CERTIFY); log: idx label predict radius correct time.")
final class CertifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SmoothingOptions smoothing = new SmoothingOptions();

    @Mixin
    SelectionOptions selection = new SelectionOptions();

    @Option(names = "--n0", description = "samples to guess the top class (default: ${DEFAULT-VALUE})")
    int n0 = 100;

    @Option(names = "--n", description = "samples to bound its probability (default: ${DEFAULT-VALUE})")
    int n = 100_000;

    @Override
    public Integer call() throws Exception {
        Runs.Setup s = Runs.load(smoothing);
        CertifyConfig config = new CertifyConfig(n0, n, smoothing.alpha, smoothing.batch, smoothing.seed,
                selection.selection());
        CertifyRun.certify(s.smoothed(), s.data(), config, smoothing.out, smoothing.resume, s.describe(),
                Runs.bar("certify", "img"));
        spec.commandLine().getOut().println("certify log: " + smoothing.out);
        return 0;
    }
}
