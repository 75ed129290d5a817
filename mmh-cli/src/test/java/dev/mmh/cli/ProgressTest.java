package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The one progress bar and the one terminal check, with the environment, the streams and the clock set here. */
class ProgressTest {
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final AtomicLong now = new AtomicLong(1_000_000);

    private Terminal terminal(boolean tty, Map<String, String> env) {
        return new Terminal(env::get, fd -> tty, new PrintStream(screen, true, StandardCharsets.UTF_8), 100);
    }

    private Progress bytes(Terminal t, boolean quiet) {
        return new Progress("compress", 64L << 20, true, quiet, () -> true, t, now::get);
    }

    private String drawn() {
        return screen.toString(StandardCharsets.UTF_8);
    }

    /** Counts 64 MiB, the clock passing {@code seconds} first, and closes the bar. */
    private String run(Terminal t, boolean quiet, double seconds) {
        try (Progress p = bytes(t, quiet)) {
            now.addAndGet((long) (seconds * 1e9));
            for (int i = 0; i < 64; i++) {
                p.accept(1 << 20);
            }
        }
        return drawn();
    }

    @Test
    void aTerminalGetsABarInColourOnceWorkTakesOverASecond() {
        String s = run(terminal(true, Map.of("TERM", "xterm-256color")), false, 1.5);
        assertTrue(s.contains("compress") && s.contains("64/64 MiB"), s);
        assertTrue(s.contains("\u001b["), "colour: " + s);
        assertTrue(s.contains("\r"), "redrawn in place: " + s);
    }

    @Test
    void shortWorkDrawsNothing() {
        assertEquals("", run(terminal(true, Map.of("TERM", "xterm")), false, 0.5));
    }

    @Test
    void noBarOffATerminalWithQuietOrOnADumbTerminal() {
        assertEquals("", run(terminal(false, Map.of("TERM", "xterm")), false, 5));
        assertEquals("", run(terminal(true, Map.of("TERM", "xterm")), true, 5));
        assertEquals("", run(terminal(true, Map.of("TERM", "dumb")), false, 5), "TERM=dumb: no bar");
    }

    @Test
    void noColourWithNoColorSet() {
        String s = run(terminal(true, Map.of("TERM", "xterm", "NO_COLOR", "1")), false, 2);
        assertTrue(s.contains("64/64 MiB"), s);
        assertFalse(s.contains("\u001b"), "no escape sequence at all: " + s);
    }

    @Test
    void terminalAnswersFollowTheEnvironment() {
        assertTrue(terminal(true, Map.of()).bars());
        assertTrue(terminal(true, Map.of()).colour());
        assertTrue(terminal(true, Map.of("NO_COLOR", "")).colour(), "an empty NO_COLOR does not count");
        assertFalse(terminal(true, Map.of("NO_COLOR", "yes")).colour());
        assertFalse(terminal(true, Map.of("TERM", "dumb")).bars());
        assertFalse(terminal(true, Map.of("TERM", "dumb")).colour());
        assertFalse(terminal(false, Map.of()).bars());
        assertFalse(terminal(false, Map.of()).colour());
    }

    @Test
    void aBarWaitsWhileAnotherFilesBarMayStillBeShown() {
        AtomicBoolean free = new AtomicBoolean();
        Terminal t = terminal(true, Map.of());
        try (Progress p = new Progress("decompress", 10L << 20, true, false, free::get, t, now::get)) {
            now.addAndGet(3_000_000_000L);
            p.accept(1 << 20);
            assertEquals("", drawn());
            free.set(true);
            p.accept(9 << 20);
        }
        assertTrue(drawn().contains("10/10 MiB"), drawn());
    }

    @Test
    void stepsAreCountedAndNamed() {
        Terminal t = terminal(true, Map.of("NO_COLOR", "1"));
        try (Progress p = new Progress("bench", 3, false, false, () -> true, t, now::get)) {
            p.step("zstd -1 on silesia");
            now.addAndGet(2_000_000_000L);
            p.step("zstd -19 on silesia");
            p.step("xz -6 on a name much longer than forty characters, cut");
        }
        String s = drawn();
        assertTrue(s.contains("3/3"), s);
        assertTrue(s.contains("xz -6 on a name much longer than forty c") && !s.contains("cut"), s);
        assertFalse(s.contains("MiB"), "steps have no unit: " + s);
    }

    @Test
    void workersMayCountAtOnce() throws Exception {
        Terminal t = terminal(true, Map.of("NO_COLOR", "1"));
        try (Progress p = bytes(t, false)) {
            now.addAndGet(2_000_000_000L);
            Thread[] threads = new Thread[4];
            for (int i = 0; i < threads.length; i++) {
                threads[i] = new Thread(() -> {
                    for (int k = 0; k < 16 * 1024; k++) {
                        p.accept(1 << 10);
                    }
                });
                threads[i].start();
            }
            for (Thread x : threads) {
                x.join();
            }
        }
        assertTrue(drawn().contains("64/64 MiB"), drawn());
    }
}
