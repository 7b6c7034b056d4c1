package org.smoothing4j.cli;

import static org.smoothing4j.cli.Section.Kind.METHOD;

import org.smoothing4j.certify.CertifyConfig;
import org.smoothing4j.certify.ConfidenceSequences;
import org.smoothing4j.certify.Looks;
import org.smoothing4j.certify.SequentialConfig;
import org.smoothing4j.certify.Smoothing;
import org.smoothing4j.run.RunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code smoothing4j certify}: CERTIFY over a test set into a log in the reference format. */
@Command(name = "certify", footer = {"%nExample:",
            "  smoothing4j certify --dataset fashion-mnist --model runs/gauss/model.zip \\",
            "      --sigma 0.5 --out gauss.tsv --skip 20"},
        mixinStandardHelpOptions = true,
        description = {"Certify test examples (Cohen et al. CERTIFY); log: idx label predict radius correct time.",
            "With --radii: sequential CERTIFY, which stops sampling an example once every target radius is decided "
                + "(same guarantee; log: idx label predict radius correct samples time; certified accuracy exact at "
                + "the target radii).",
            "With --deterministic-l1: Levine & Feizi's deterministic L1 certificate (splitting noise at --sigma on "
                + "the images' grid, every one of its L = floor(2 sqrt3 sigma Q) shifts evaluated: no sampling, exact; "
                + "log as certify's, radii in L1)."})
final class CertifyCommand extends RunCommand {
    @Section(METHOD)
    @Option(names = "--n0", description = "samples to guess the top class (default: ${DEFAULT-VALUE})")
    int n0 = 100;

    @Section(METHOD)
    @Option(names = "--n", description = "samples to bound its probability (default: ${DEFAULT-VALUE})")
    int n = 100_000;

    @Section(METHOD)
    @Option(names = "--radii", split = ",", paramLabel = "R", description = "target radii, ascending: sequential "
            + "CERTIFY (e.g. 0,0.25,0.5,0.75,1.0)")
    double[] radii;

    @Section(METHOD)
    @Option(names = "--n-max", description = "with --radii: most samples per example (default: ${DEFAULT-VALUE})")
    int nMax = 100_000;

    @Section(METHOD)
    @Option(names = "--first-look", description = "with --radii: samples at the first look (default: ${DEFAULT-VALUE})")
    long firstLook = Looks.FIRST;

    @Section(METHOD)
    @Option(names = "--look-ratio", description = "with --radii: each look this many times the last "
            + "(default: ${DEFAULT-VALUE})")
    double lookRatio = Looks.RATIO;

    @Section(METHOD)
    @Option(names = "--futility", description = "with --radii: give up an example early when the chance of deciding "
            + "its undecided radii by --n-max is below this (0 = never; default: ${DEFAULT-VALUE})")
    double futility = 0;

    @Section(METHOD)
    @Option(names = "--bound", description = "with --radii: the confidence bounds of the looks, cp (Clopper-Pearson at "
            + "alpha/K per look, Bonferroni) or betting (a time-uniform betting confidence sequence at alpha) "
            + "(default: ${DEFAULT-VALUE})")
    String bound = ConfidenceSequences.CP;

    @Section(METHOD)
    @Option(names = "--two-sided-radius", description = "the radius sigma/2 (Phi^-1(pA_lower) - Phi^-1(pB_upper)) "
            + "from bounds on the top class and the runner-up, alpha/2 each (Cohen et al. Theorem 1); larger when the "
            + "rest of the mass is spread over several classes")
    boolean twoSidedRadius;

    @Section(METHOD)
    @Option(names = "--deterministic-l1", description = "Levine & Feizi's deterministic L1 certificate (DSSN): "
            + "exact, L = floor(2 sqrt3 sigma Q) forward passes per image (441 at sigma 0.5 on 8-bit images); images "
            + "must be on the grid m/Q (--grid-levels)")
    boolean deterministicL1;

    @Override
    public Integer call() throws Exception {
        return execute(spec(), "certify");
    }

    /** The run the flags describe, every flag checked; the flags a mode has no use for are refused. */
    RunSpec spec() {
        if (deterministicL1) {
            return deterministic();
        }
        boolean sequential = radii != null;
        if (!sequential && !bound.equals(ConfidenceSequences.CP)) {
            ConfidenceSequences.checkName(bound);
            throw new IllegalArgumentException("--bound betting applies to sequential CERTIFY (give --radii); "
                    + "fixed-n CERTIFY looks once, where the Clopper-Pearson bound is exact");
        }
        if (sequential && parsed().hasMatchedOption("--n")) {
            throw new IllegalArgumentException("--n is CERTIFY's fixed sample count; with --radii give --n-max");
        }
        if (!sequential) {
            for (String flag : new String[] {"--n-max", "--first-look", "--look-ratio", "--futility"}) {
                if (parsed().hasMatchedOption(flag)) {
                    throw new IllegalArgumentException(flag + " applies to sequential CERTIFY only: give --radii too");
                }
            }
        }
        SequentialConfig seq = sequential ? new SequentialConfig(radii, nMax, firstLook, lookRatio, futility, bound)
                : null;
        Smoothing s = smoothing.smoothing(parsed());
        s = twoSidedRadius ? s.withTwoSidedRadius() : s;
        CertifyConfig config = new CertifyConfig(n0, sequential ? nMax : n, smoothing.alpha, smoothing.batch,
                smoothing.seed, selection.selection());
        return sequential ? new RunSpec.CertifySequential(s, config, seq) : new RunSpec.Certify(s, config);
    }

    /** --deterministic-l1: refuses the sampling flags, which it has no use for. */
    private RunSpec deterministic() {
        for (String flag : new String[] {"--n0", "--n", "--alpha", "--seed", "--radii", "--n-max", "--first-look",
            "--look-ratio", "--futility", "--bound", "--two-sided-radius", "--noise", "--norm", "--box", "--sound"}) {
            if (parsed().hasMatchedOption(flag)) {
                throw new IllegalArgumentException(flag + " does not apply to --deterministic-l1: it samples nothing "
                        + "(no confidence level, no seed), uses its own splitting noise and certifies L1 radii");
            }
        }
        CertifyConfig config = new CertifyConfig(n0, n, smoothing.alpha, smoothing.batch, smoothing.seed,
                selection.selection());
        return new RunSpec.CertifyDeterministicL1(smoothing.sigma, smoothing.gridLevels, config);
    }
}
