package org.smoothing4j.cli;

import static org.smoothing4j.cli.Section.Kind.METHOD;

import org.smoothing4j.certify.CertifyConfig;
import org.smoothing4j.run.RunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code smoothing4j predict}: PREDICT over a test set into a log in the reference format. */
@Command(name = "predict", footer = {"%nExample:",
            "  smoothing4j predict --dataset fashion-mnist --model runs/gauss/model.zip \\",
            "      --sigma 0.5 --out pred.tsv --skip 20"},
        mixinStandardHelpOptions = true,
        description = "Predict test examples with the smoothed classifier (Cohen et al. PREDICT); log: idx label predict correct time.")
final class PredictCommand extends RunCommand {
    @Section(METHOD)
    @Option(names = "--n", description = "noise samples; with --sequential the most per example "
            + "(default: ${DEFAULT-VALUE})")
    int n = 100_000;

    @Section(METHOD)
    @Option(names = "--sequential", description = "stop once the test decides, looking at the counts of the default "
            + "schedule (level alpha / K per look; log gains a samples column)")
    boolean sequential;

    @Override
    public Integer call() throws Exception {
        for (String flag : new String[] {"--norm", "--box"}) {
            if (parsed().hasMatchedOption(flag)) {
                throw new IllegalArgumentException(flag + " is the norm of certified radii: predict certifies none "
                        + "(give --noise alone, or use certify)");
            }
        }
        CertifyConfig config = new CertifyConfig(1, n, smoothing.alpha, smoothing.batch, smoothing.seed,
                selection.selection());
        org.smoothing4j.certify.Smoothing s = smoothing.smoothing(parsed());
        return execute(sequential ? new RunSpec.PredictSequential(s, config) : new RunSpec.Predict(s, config),
                "predict");
    }
}
