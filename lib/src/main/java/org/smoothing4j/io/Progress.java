package org.smoothing4j.io;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long loop: a live line with done / total, the rate and the time left (a terminal's stderr, a notebook
 * cell's output), or nothing (tests).
 */
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

    /**
     * A progress line on {@code out} (a command's error writer, or a notebook cell's output) for {@code total} units
     * named {@code unit}, redrawn in place (carriage return) at most once a second, and ended with a newline when
     * closed: a terminal and Jupyter's output area both show it as one live line.
     */
    static Progress console(String task, long total, String unit, PrintWriter out) {
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setUpdateIntervalMillis(1000)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ProgressBarConsumer() {
                    @Override
                    public int getMaxRenderedLength() {
                        return 100;
                    }

                    @Override
                    public void accept(String rendered) {
                        out.print('\r');
                        out.print(rendered);
                        out.flush();
                    }

                    @Override
                    public void close() {
                        out.println();
                        out.flush();
                    }
                })
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
