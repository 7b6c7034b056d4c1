package org.smoothing4j.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.smoothing4j.attack.Attack;
import org.smoothing4j.attack.AttackRun;
import org.smoothing4j.attack.DdnL2;
import org.smoothing4j.attack.GradientSource;
import org.smoothing4j.attack.Objective;
import org.smoothing4j.attack.PgdL2;
import org.smoothing4j.certify.CertifyConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code smoothing4j attack}: attack each test image, then PREDICT on the attacked image (empirical robustness). */
@Command(name = "attack", mixinStandardHelpOptions = true,
        description = "Empirical robustness of the smoothed classifier (Salman et al.): attack, then PREDICT; log: "
                + "idx label predict basePredict correct norm time.")
final class AttackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SmoothingOptions smoothing = new SmoothingOptions();

    @Mixin
    SelectionOptions selection = new SelectionOptions();

    @Option(names = "--eps", required = true, description = "L2 budget, [0,1] pixel units")
    double eps;

    @Option(names = "--steps", description = "attack steps T (default: ${DEFAULT-VALUE})")
    int steps = 20;

    @Option(names = "--m-test", description = "noise samples of the attack (default: ${DEFAULT-VALUE})")
    int mTest = 16;

    @Option(names = "--attack", description = "pgd or ddn (default: ${DEFAULT-VALUE})")
    String attack = "pgd";

    @Option(names = "--objective", description = "smooth (objective S), naive, or base (default: ${DEFAULT-VALUE})")
    String objective = "smooth";

    @Option(names = "--grad", description = "backprop, stein, stein-baseline or stein-antithetic (default: ${DEFAULT-VALUE})")
    String grad = "backprop";

    @Option(names = "--n", description = "PREDICT samples on the attacked image (default: ${DEFAULT-VALUE})")
    int n = 10_000;

    @Override
    public Integer call() throws Exception {
        AttackRun.Target target = switch (objective.toLowerCase(Locale.ROOT)) {
            case "smooth" -> AttackRun.Target.SMOOTH;
            case "naive" -> AttackRun.Target.NAIVE;
            case "base" -> AttackRun.Target.BASE;
            default -> throw new IllegalArgumentException("--objective must be smooth, naive or base, got '" + objective + "'");
        };
        Objective o = target == AttackRun.Target.SMOOTH ? Objective.SMOOTH : Objective.NAIVE;
        GradientSource g = GradientSource.named(grad.toLowerCase(Locale.ROOT), smoothing.sigma);
        Attack a = switch (attack.toLowerCase(Locale.ROOT)) {
            case "pgd" -> new PgdL2(eps, steps, o, g);
            case "ddn" -> DdnL2.of(eps, steps, o, g);
            default -> throw new IllegalArgumentException("--attack must be pgd or ddn, got '" + attack + "'");
        };
        if (org.smoothing4j.model.Models.isOnnx(smoothing.model) && g.toString().equals("backprop")) {
            throw new IllegalArgumentException("--grad backprop needs a smoothing4j checkpoint: " + smoothing.model
                    + " is an ONNX model (inference only); use --grad stein, stein-baseline or stein-antithetic");
        }
        Runs.Setup s = Runs.load(smoothing, selection.selection(), spec.commandLine().getErr());
        CertifyConfig config = new CertifyConfig(1, n, smoothing.alpha, smoothing.batch, smoothing.seed,
                selection.selection());
        AttackRun.run(s.smoothed(), a, target, mTest, s.data(), config, smoothing.out, smoothing.resume, s.describe(),
                Runs.bar("attack", "img"));
        spec.commandLine().getOut().println("attack log: " + smoothing.out);
        return 0;
    }
}
