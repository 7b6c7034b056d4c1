package org.smoothing4j.cli;

import java.util.concurrent.Callable;
import org.smoothing4j.RunSpec;
import org.smoothing4j.certify.CertifyConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code smoothing4j predict}: PREDICT over a test set into a log in the reference format. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict test examples with the smoothed classifier (Cohen et al. PREDICT); log: idx label predict correct time.")
final class PredictCommand implements Callable<Integer>, Runs.OnEngine {
    @Spec
    CommandSpec spec;

    Engine engine = Engine.LOCAL;

    @Override
    public void use(Engine e) {
        engine = e;
    }

    @Mixin
    SmoothingOptions smoothing = new SmoothingOptions();

    @Mixin
    SelectionOptions selection = new SelectionOptions();

    @Option(names = "--n", description = "noise samples; with --sequential the most per example "
            + "(default: ${DEFAULT-VALUE})")
    int n = 100_000;

    @Option(names = "--sequential", description = "stop once the test decides, looking at the counts of the default "
            + "schedule (level alpha / K per look; log gains a samples column)")
    boolean sequential;

    @Override
    public Integer call() throws Exception {
        for (String flag : new String[] {"--norm", "--box"}) {
            if (spec.commandLine().getParseResult().hasMatchedOption(flag)) {
                throw new IllegalArgumentException(flag + " is the norm of certified radii: predict certifies none "
                        + "(give --noise alone, or use certify)");
            }
        }
        CertifyConfig config = new CertifyConfig(1, n, smoothing.alpha, smoothing.batch, smoothing.seed,
                selection.selection());
        Runs.execute(engine, new RunSpec(sequential ? "predict-sequential" : "predict", smoothing.sigma, config, null,
                null, smoothing.soundGrid(spec.commandLine().getParseResult()), smoothing.smoothing()), smoothing,
                spec.commandLine().getErr(), "predict");
        spec.commandLine().getOut().println("predict log: " + smoothing.out);
        return 0;
    }
}
