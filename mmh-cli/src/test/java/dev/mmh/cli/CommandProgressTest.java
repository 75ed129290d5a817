package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every long command draws the one progress bar through the one terminal check: on a terminal it appears (here at
 * once, the delay set to 0), with TERM=dumb or -q it does not.
 */
class CommandProgressTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private long delay;
    private String err;

    @BeforeEach
    void noDelay() {
        delay = Progress.delayNanos;
        Progress.delayNanos = 0;
    }

    @AfterEach
    void restore() {
        Progress.delayNanos = delay;
        Terminal.use(null);
    }

    private String drawn(String term, String... args) {
        screen.reset();
        Terminal.use(new Terminal(Map.of("TERM", term)::get, fd -> true,
                new PrintStream(screen, true, StandardCharsets.UTF_8), 100));
        StringWriter e = new StringWriter();
        int code = Main.execute(args, new PrintWriter(java.io.Writer.nullWriter()), new PrintWriter(e, true));
        err = e.toString();
        assertEquals(0, code, String.join(" ", args) + ": " + err);
        return screen.toString(StandardCharsets.UTF_8);
    }

    /** Runs {@code args} on a terminal and on a dumb one; the bar of {@code task} appears only on the first. */
    private void barOnlyOnARealTerminal(String task, String... args) {
        String s = drawn("xterm", args);
        assertTrue(s.contains(task) && s.contains("\r"), String.join(" ", args) + " drew: " + s);
        assertEquals("", drawn("dumb", args), String.join(" ", args) + " on TERM=dumb");
    }

    private Path file(String name, int n) throws IOException {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(n);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) "abcdefgh \n".charAt(r.nextInt(10));
        }
        return Files.write(dir.resolve(name), b);
    }

    @Test
    void compressDecompressVerify() throws IOException {
        Path f = file("f", 300_000);
        String a = f + ".mmh";
        barOnlyOnARealTerminal("compress", "compress", "-f", "-B", "64K", f.toString());
        assertEquals("", drawn("xterm", "compress", "-q", "-f", "-B", "64K", f.toString()), "-q: no bar");
        barOnlyOnARealTerminal("decompress", "decompress", "-f", a, "-o", dir.resolve("back").toString());
        barOnlyOnARealTerminal("verify", "verify", a);
    }

    @Test
    void protectAndRepairOfArchivesAndSidecars() throws IOException {
        Path f = file("g", 300_000);
        String a = f + ".mmh";
        drawn("dumb", "compress", "-B", "64K", f.toString());
        barOnlyOnARealTerminal("protect", "protect", "--recovery", "5%", a);
        barOnlyOnARealTerminal("repair", "repair", a);
        barOnlyOnARealTerminal("protect", "protect", "--recovery", "5%", f.toString());
        barOnlyOnARealTerminal("repair", "repair", f.toString());
    }

    @Test
    void gzipAndGunzip() throws IOException {
        Path f = file("h", 300_000);
        barOnlyOnARealTerminal("gzip", "gzip", "-k", "-f", f.toString());
        barOnlyOnARealTerminal("gunzip", "gunzip", "-k", "-f", f + ".gz");
        assertEquals("", drawn("xterm", "gzip", "-q", "-k", "-f", f.toString()), "-q: no bar");
    }

    @Test
    void benchCountsSteps() throws IOException {
        Path f = file("i", 50_000);
        List<String> args = new ArrayList<>(List.of("bench", "--modes", "lib", "--codecs", "zstd:1", "--runs", "1",
                "--warmup", "0", "--threads", "1", "--work", dir.resolve("work").toString(), f.toString()));
        String s = drawn("xterm", args.toArray(new String[0]));
        assertTrue(s.contains("bench") && s.contains("2/2"), "a warm-up and a run: " + s);
        assertEquals("", drawn("dumb", args.toArray(new String[0])));
        args.add(1, "--no-progress");
        assertEquals("", drawn("xterm", args.toArray(new String[0])));
    }
}
