package org.smoothing4j.io;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress of a long loop: a console bar with throughput and ETA on stderr, or nothing (notebooks, tests). */
public interface Progress extends AutoCloseable {

    /** One more unit of work done. */
    void step();

    /** Sets the extra message shown after the bar, e.g. the running loss. */
    default void message(String text) {}

    @Override
    void close();

    static Progress none() {
        return new Progress() {
            @Override
            public void step() {}

            @Override
            public void close() {}
        };
    }

    /** A progress bar on {@code stream} (use System.err) for {@code total} units named {@code unit}. */
    static Progress console(String task, long total, String unit, PrintStream stream) {
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setUpdateIntervalMillis(1000)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(stream))
                .build();
        return new Progress() {
            @Override
            public void step() {
                bar.step();
            }

            @Override
            public void message(String text) {
                bar.setExtraMessage(" " + text); // the bar ends with the unit rate (img/s): keep them apart
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
