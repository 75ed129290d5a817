package dev.mmh.cli;

import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of every long command: compress, decompress, verify, protect, repair, gzip and gunzip count
 * bytes ({@link #accept}), bench counts steps ({@link #step}). It is drawn on stderr only when
 * {@link Terminal#bars()} allows it (a terminal, not {@code TERM=dumb}), in colour only when
 * {@link Terminal#colour()} does ({@code NO_COLOR}), never with {@code -q}, and only once the work has taken
 * more than a second, so that short runs print nothing; while {@code mayShow} says no (another file's bar is still
 * on screen), it waits. One line, redrawn with a carriage return: no cursor movement. Thread-safe: workers may
 * count. {@link #close()} ends the bar's line, if one was drawn.
 */
final class Progress implements LongConsumer, AutoCloseable {
    /** How long work runs before its bar appears: a second (tests set 0 to see the bars of short runs). */
    static volatile long delayNanos = 1_000_000_000L;
    private static final int MAX_MESSAGE = 40;
    private final boolean enabled;
    private final BooleanSupplier mayShow;
    private final String task;
    private final long total;
    private final boolean bytes;
    private final Terminal terminal;
    private final LongSupplier clock;
    private final long start;
    private final long delay = delayNanos;
    private long done;
    private String message;
    private ProgressBar bar;
    private boolean closed;

    /**
     * A bar of bytes.
     *
     * @param total bytes expected, or -1 when unknown (stdin)
     */
    Progress(String task, long total, boolean quiet) {
        this(task, total, quiet, () -> true);
    }

    /**
     * A bar of bytes that waits for {@code mayShow}.
     *
     * @param total bytes expected, or -1 when unknown
     * @param mayShow whether the bar may appear now (asked until it has): false while another file's bar may still
     *     be on screen
     */
    Progress(String task, long total, boolean quiet, BooleanSupplier mayShow) {
        this(task, total, true, quiet, mayShow, Terminal.current(), System::nanoTime);
    }

    /** A bar of {@code steps} steps, each named by {@link #step}. */
    static Progress steps(String task, long steps, boolean quiet) {
        return new Progress(task, steps, false, quiet, () -> true, Terminal.current(), System::nanoTime);
    }

    /** For tests: the terminal and the clock ({@code System::nanoTime}) to use. */
    Progress(String task, long total, boolean bytes, boolean quiet, BooleanSupplier mayShow, Terminal terminal,
            LongSupplier clock) {
        this.enabled = !quiet && terminal.bars();
        this.mayShow = mayShow;
        this.task = task;
        this.total = total;
        this.bytes = bytes;
        this.terminal = terminal;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    /** Counts {@code n} more bytes done. */
    @Override
    public synchronized void accept(long n) {
        done += n;
        update();
    }

    /** Counts one step done, and shows what runs next. */
    synchronized void step(String what) {
        done++;
        message = what.length() > MAX_MESSAGE ? what.substring(0, MAX_MESSAGE) : what;
        update();
    }

    private void update() {
        if (!enabled || closed) {
            return;
        }
        if (bar == null) {
            if (clock.getAsLong() - start < delay || !mayShow.getAsBoolean()) {
                return;
            }
            bar = build();
        }
        bar.stepTo(done);
        if (message != null) {
            bar.setExtraMessage(message);
        }
    }

    private ProgressBar build() {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(terminal.colour() ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.UNICODE_BLOCK)
                .setConsumer(terminal.width() > 0 ? new ConsoleProgressBarConsumer(terminal.err(), terminal.width())
                        : new ConsoleProgressBarConsumer(terminal.err()))
                .setUpdateIntervalMillis(200).continuousUpdate();
        if (bytes) {
            b.setUnit(" MiB", 1 << 20).showSpeed();
        }
        return b.build();
    }

    /** Ends the bar's line, if one was drawn; later counts draw nothing. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
