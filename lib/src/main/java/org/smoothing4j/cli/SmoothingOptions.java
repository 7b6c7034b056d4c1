package org.smoothing4j.cli;

import static org.smoothing4j.cli.Section.Kind.METHOD;
import static org.smoothing4j.cli.Section.Kind.OUTPUT;
import static org.smoothing4j.cli.Section.Kind.RUN_CONTROL;
import static org.smoothing4j.cli.Section.Kind.SMOOTHING;

import java.nio.file.Path;
import org.smoothing4j.certify.Smoothing;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/** Flags shared by the commands that run a smoothed classifier over a data set. */
final class SmoothingOptions extends ModelOptions {
    @Section(OUTPUT)
    @Option(names = "--out", required = true, description = "log file (tab-separated)")
    Path out;

    @Section(METHOD)
    @Option(names = "--alpha", description = "failure probability (default: ${DEFAULT-VALUE})")
    double alpha = 0.001;

    @Section(RUN_CONTROL)
    @Option(names = "--batch", description = "noisy samples per forward pass (default: ${DEFAULT-VALUE})")
    int batch = 400;

    @Section(RUN_CONTROL)
    @Option(names = "--seed", description = "run seed; example i uses a stream derived from (seed, i) (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Section(RUN_CONTROL)
    @Option(names = "--resume", description = "continue an existing log of the same settings")
    boolean resume;

    @Section(SMOOTHING)
    @Option(names = "--sound", description = "certificates sound in floating point (Voracek & Hein 2023): images "
            + "must be on the grid m/L (8-bit pixels), noise is the exact rounded Gaussian from random bits; radii "
            + "are rounded down")
    boolean sound;

    @Section(SMOOTHING)
    @Option(names = "--grid-levels", paramLabel = "L", description = "with --sound or --deterministic-l1: the images' grid "
            + "m/L, m = 0..L "
            + "(default: ${DEFAULT-VALUE}, 8-bit)")
    int gridLevels = 255;

    @Section(SMOOTHING)
    @Option(names = "--noise", description = "noise family: gaussian, laplace or uniform, at per-coordinate standard "
            + "deviation --sigma (Laplace scale sigma/sqrt2, uniform half-width sqrt3 sigma) (default: ${DEFAULT-VALUE})")
    String noise = "gaussian";

    @Section(METHOD)
    @Option(names = "--norm", description = "norm of the certified radii: l2, l1 or linf (default: ${DEFAULT-VALUE})")
    String norm = "l2";

    @Section(METHOD)
    @Option(names = "--box", description = "with --noise uniform --norm l1: the larger radius of an adversary confined "
            + "to the [0,1] pixel box (Voracek & Hein 2023)")
    boolean box;

    /**
     * The smoothing of --noise, --sigma, --norm, --box and --sound (with --grid-levels), checked ({@link Smoothing});
     * --grid-levels without --sound is refused.
     */
    Smoothing smoothing(ParseResult parsed) {
        if (!sound && parsed.hasMatchedOption("--grid-levels")) {
            throw new IllegalArgumentException("--grid-levels applies to --sound only: give --sound too");
        }
        Smoothing s = Smoothing.parse(noise, sigma, norm);
        s = box ? s.withBox() : s;
        return sound ? s.withSoundGrid(gridLevels) : s;
    }
}
