package org.smoothing4j.cli;

import static org.smoothing4j.cli.Section.Kind.METHOD;

import org.smoothing4j.attack.AttackSpec;
import org.smoothing4j.certify.CertifyConfig;
import org.smoothing4j.run.RunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code smoothing4j attack}: attack each test image, then PREDICT on the attacked image (empirical robustness). */
@Command(name = "attack", footer = {"%nExample:",
            "  smoothing4j attack --dataset fashion-mnist --model runs/gauss/model.zip \\",
            "      --sigma 0.5 --eps 0.5 --out attack.tsv --skip 20"},
        mixinStandardHelpOptions = true,
        description = "Empirical robustness of the smoothed classifier (Salman et al.): attack, then PREDICT; log: "
                + "idx label predict basePredict correct norm time.")
final class AttackCommand extends RunCommand {
    @Section(METHOD)
    @Option(names = "--eps", required = true, description = "L2 budget, [0,1] pixel units")
    double eps;

    @Section(METHOD)
    @Option(names = "--steps", description = "attack steps T (default: ${DEFAULT-VALUE})")
    int steps = 20;

    @Section(METHOD)
    @Option(names = "--m-test", description = "noise samples of the attack (default: ${DEFAULT-VALUE})")
    int mTest = 16;

    @Section(METHOD)
    @Option(names = "--attack", description = "pgd or ddn (default: ${DEFAULT-VALUE})")
    String attack = "pgd";

    @Section(METHOD)
    @Option(names = "--objective", description = "smooth (objective S), naive, or base (default: ${DEFAULT-VALUE})")
    String objective = "smooth";

    @Section(METHOD)
    @Option(names = "--grad", description = "backprop, stein, stein-baseline or stein-antithetic (default: ${DEFAULT-VALUE})")
    String grad = "backprop";

    @Section(METHOD)
    @Option(names = "--n", description = "PREDICT samples on the attacked image (default: ${DEFAULT-VALUE})")
    int n = 10_000;

    @Override
    public Integer call() throws Exception {
        AttackSpec a = new AttackSpec(attack, eps, steps, mTest, objective, grad);
        if (org.smoothing4j.model.Models.isOnnx(smoothing.model) && a.grad().equals("backprop")) {
            throw new IllegalArgumentException("--grad backprop needs a smoothing4j checkpoint: " + smoothing.model
                    + " is an ONNX model (inference only); use --grad stein, stein-baseline or stein-antithetic");
        }
        CertifyConfig config = new CertifyConfig(1, n, smoothing.alpha, smoothing.batch, smoothing.seed,
                selection.selection());
        return execute(new RunSpec.Attack(smoothing.smoothing(parsed()), config, a), "attack");
    }
}
