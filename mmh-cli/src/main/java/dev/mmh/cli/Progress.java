package dev.mmh.cli;

import java.util.function.LongConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr that appears only on a terminal, only without -q, and only once work has taken more
 * than a second; closing it removes nothing from the output streams. Called from one thread.
 */
final class Progress implements LongConsumer, AutoCloseable {
    private static final long DELAY_NANOS = 1_000_000_000L;
    private final boolean enabled;
    private final java.util.function.BooleanSupplier mayShow;
    private final String task;
    private final long total;
    private final long start = System.nanoTime();
    private long done;
    private ProgressBar bar;

    /**
     * @param total bytes expected, or -1 when unknown (stdin)
     */
    Progress(String task, long total, boolean quiet) {
        this(task, total, quiet, () -> true);
    }

    /**
     * @param mayShow whether the bar may appear now (asked until it has): false while another file's bar may still
     *     be on screen
     */
    Progress(String task, long total, boolean quiet, java.util.function.BooleanSupplier mayShow) {
        this.enabled = !quiet && Terminal.isTty(2);
        this.mayShow = mayShow;
        this.task = task;
        this.total = total;
    }

    @Override
    public void accept(long bytes) {
        done += bytes;
        if (!enabled) {
            return;
        }
        if (bar == null) {
            if (System.nanoTime() - start < DELAY_NANOS || !mayShow.getAsBoolean()) {
                return;
            }
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" MiB", 1 << 20)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200)
                    .showSpeed().continuousUpdate().build();
        }
        bar.stepTo(done);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
