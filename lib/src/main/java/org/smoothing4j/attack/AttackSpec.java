package org.smoothing4j.attack;

import java.io.Serializable;
import java.util.Locale;

/**
 * An attack run's attack as its flags give it ({@code --attack --eps --steps --m-test --objective --grad}), checked,
 * and serializable so that the machines of a distributed run build the same attack.
 */
public record AttackSpec(String attack, double eps, int steps, int mTest, String objective, String grad)
        implements Serializable {

    public AttackSpec {
        attack = attack.toLowerCase(Locale.ROOT);
        objective = objective.toLowerCase(Locale.ROOT);
        grad = grad.toLowerCase(Locale.ROOT);
        if (!attack.equals("pgd") && !attack.equals("ddn")) {
            throw new IllegalArgumentException("--attack must be pgd or ddn, got '" + attack + "'");
        }
        if (!objective.equals("smooth") && !objective.equals("naive") && !objective.equals("base")) {
            throw new IllegalArgumentException("--objective must be smooth, naive or base, got '" + objective + "'");
        }
        GradientSource.requireKnown(grad);
        checkMTest(mTest);
        new PgdL2(eps, steps, Objective.SMOOTH, Gradients.backprop()); // checks --eps and --steps
    }

    /** The one check of {@code --m-test}, the attack's noise samples. */
    public static int checkMTest(int mTest) {
        if (mTest < 1) {
            throw new IllegalArgumentException("--m-test must be >= 1, got " + mTest);
        }
        return mTest;
    }

    public AttackRun.Target target() {
        return switch (objective) {
            case "smooth" -> AttackRun.Target.SMOOTH;
            case "naive" -> AttackRun.Target.NAIVE;
            default -> AttackRun.Target.BASE;
        };
    }

    /** The attack at noise level sigma (the Stein estimators need it). */
    public Attack build(double sigma) {
        Objective o = target() == AttackRun.Target.SMOOTH ? Objective.SMOOTH : Objective.NAIVE;
        GradientSource g = Gradients.named(grad, sigma);
        return attack.equals("pgd") ? new PgdL2(eps, steps, o, g) : DdnL2.of(eps, steps, o, g);
    }
}
