package dev.mmh.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * What the process's standard streams are connected to, and what may be drawn there: the one place every command
 * asks before it refuses to write binary data to a terminal, prints a summary for a person, draws a progress bar
 * or uses colour.
 *
 * <ul>
 *   <li>{@link #isTty(int)}: whether a stream is a terminal, whatever {@code TERM} says (compressed data is not
 *       written to one; a summary line is printed on one);</li>
 *   <li>{@link #bars()}: whether a progress bar may be drawn on stderr: a terminal, and not {@code TERM=dumb}
 *       (which cannot return the cursor to redraw a line);</li>
 *   <li>{@link #colour()}: whether that bar may use colour: {@link #bars()}, and no {@code NO_COLOR} variable
 *       with a value (no-color.org).</li>
 * </ul>
 * The environment, the stream check and stderr are given to the constructor so that a test can set them; the
 * commands use {@link #current()}. Immutable and thread-safe.
 */
final class Terminal {
    private static volatile Terminal current;

    private final Function<String, String> env;
    private final IntPredicate tty;
    private final PrintStream err;
    private final int width;

    /**
     * @param env the environment ({@code System::getenv} for the process's own)
     * @param tty whether file descriptor 0, 1 or 2 is a terminal
     * @param err where bars are drawn
     * @param width columns a bar may take, or -1 to ask the terminal
     */
    Terminal(Function<String, String> env, IntPredicate tty, PrintStream err, int width) {
        this.env = env;
        this.tty = tty;
        this.err = err;
        this.width = width;
    }

    /** The process's own: its environment, its file descriptors, {@code System.err}. */
    static Terminal system() {
        return new Terminal(System::getenv, Terminal::isTerminal, System.err, -1);
    }

    /** The terminal the commands see: {@link #system()} unless a test set another with {@link #use}. */
    static Terminal current() {
        Terminal t = current;
        if (t == null) {
            t = system();
            current = t;
        }
        return t;
    }

    /** For tests: the terminal the commands see from now on; {@code null} restores the process's own. */
    static void use(Terminal t) {
        current = t;
    }

    /** Whether file descriptor {@code fd} (0, 1, 2) of the {@linkplain #current() current} terminal is one. */
    static boolean isTty(int fd) {
        return current().tty.test(fd);
    }

    /** Whether a progress bar may be drawn on stderr: it is a terminal, and {@code TERM} is not {@code dumb}. */
    boolean bars() {
        return tty.test(2) && !"dumb".equals(env.apply("TERM"));
    }

    /** Whether bars may use colour: {@link #bars()}, and {@code NO_COLOR} is unset or empty (no-color.org). */
    boolean colour() {
        String noColor = env.apply("NO_COLOR");
        return bars() && (noColor == null || noColor.isEmpty());
    }

    /** Where bars are drawn. */
    PrintStream err() {
        return err;
    }

    /** Columns a bar may take, or -1: ask the terminal. */
    int width() {
        return width;
    }

    /**
     * Whether file descriptor {@code fd} of this process is a terminal: on Linux from where /proc/self/fd points (so
     * {@code mmh bench > table.md} still counts stderr as one), elsewhere from {@link System#console()}.
     */
    private static boolean isTerminal(int fd) {
        try {
            Path p = Path.of("/proc/self/fd/" + fd);
            if (Files.exists(p)) {
                String target = Files.readSymbolicLink(p).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            // no /proc: ask the console
        }
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            // Java 22+ has a console also when the streams are redirected; isTerminal() says which
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // Java 17-21: a console exists only on a terminal
        }
    }
}
