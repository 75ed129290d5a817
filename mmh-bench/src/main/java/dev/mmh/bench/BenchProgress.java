package dev.mmh.bench;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress of the bench's steps: a bar on a terminal, nothing otherwise. {@code close()} removes the bar. */
interface Progress extends AutoCloseable {
    void step(String what);

    @Override
    void close();

    Progress NONE = new Progress() {
        @Override
        public void step(String what) {
        }

        @Override
        public void close() {
        }
    };

    /** A bar on {@code err} when this process runs on a terminal, otherwise {@link #NONE}. */
    static Progress create(long steps, PrintStream err, boolean enabled) {
        if (!enabled || !onTerminal()) {
            return NONE;
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName("bench").setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(err))
                .setUpdateIntervalMillis(250).build();
        return new Progress() {
            @Override
            public void step(String what) {
                bar.setExtraMessage(what.length() > 40 ? what.substring(0, 40) : what);
                bar.step();
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    /**
     * True when standard error is a terminal: on Linux from where fd 2 points (so {@code mmh bench > table.md} still
     * shows the bar), elsewhere from {@link System#console()}. {@code TERM=dumb} counts as no terminal.
     */
    static boolean onTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            java.io.Console c = System.console();
            if (c == null) {
                return false;
            }
            try {
                return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
            } catch (ReflectiveOperationException e2) {
                return true; // JDK 17-21: a console exists only on a terminal
            }
        }
    }
}
