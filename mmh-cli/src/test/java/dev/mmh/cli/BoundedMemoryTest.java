package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory does not grow with the input: the commands users run ({@code compress}, {@code decompress}, {@code verify},
 * {@code gzip}, {@code gunzip}) each run in a JVM of their own with a heap of {@value #HEAP} (room for the blocks in
 * flight at 2 threads and 8 MiB blocks, not for the input) over {@value #GIB} GiB of generated input that is never
 * stored, and must exit 0, give back exactly the input (compared by CRC32C and length, computed as the bytes
 * stream by) and stay under {@value #MAX_RSS_MIB} MiB of peak resident memory. A command that buffered its input,
 * or more blocks than its in-flight bound, runs out of heap and fails.
 */
class BoundedMemoryTest {
    private static final String HEAP = "96m";
    private static final long GIB = Long.getLong("mmh.memory.gib", 3);
    private static final long INPUT = GIB << 30;
    private static final long MAX_RSS_MIB = 256;
    private static final long TIMEOUT_MINUTES = 10;

    /**
     * A thread for each stream fed or drained: they block, so the common pool (one thread on two cores) would run
     * the feeding only after the draining ends, which is never.
     */
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bounded-memory-io");
        t.setDaemon(true);
        return t;
    });

    /** Every command started, so that none outlives a failed or timed-out test. */
    private static final List<Process> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stopCommands() {
        STARTED.forEach(Process::destroyForcibly);
        STARTED.clear();
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void compressDecompressAndVerifyStreamGigabytesInASmallHeap() throws Exception {
        Path archive = dir.resolve("big.mmh");
        Generated in = new Generated(INPUT);
        Running c = start("compress", mmh("compress", "-q", "-T2", "--codec", "lz4", "-o", archive.toString(), "-"));
        c.feed(in);
        c.output();
        c.finish();
        assertEquals(INPUT, in.digest().bytes(), "input fed");
        long size = Files.size(archive);
        System.out.println("compress: " + INPUT + " bytes into an archive of " + size);
        assertTrue(size < INPUT / 4, "the archive is " + size + " bytes");
        Running d = start("decompress", mmh("decompress", "-q", "-T2", "-c", archive.toString()));
        Digest out = d.output();
        d.finish();
        assertEquals(in.digest(), out, "decompressed bytes");
        Running v = start("verify", mmh("verify", "-q", "-T2", archive.toString()));
        assertEquals(0, v.output().bytes(), "verify -q prints nothing");
        v.finish();
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void gzipAndGunzipStreamGigabytesInASmallHeap() throws Exception {
        // gzip's output goes straight into gunzip through a pipe: neither ever sees a file
        Generated in = new Generated(INPUT);
        List<Process> ps = ProcessBuilder.startPipeline(List.of(mmh("gzip", "-q", "-p2", "-1", "-b", "1M", "-c"),
                mmh("gunzip", "-q", "-p2", "-c")));
        Running gzip = new Running("gzip", ps.get(0));
        Running gunzip = new Running("gunzip", ps.get(1));
        gzip.feed(in);
        Digest out = gunzip.output();
        gunzip.finish(); // first: when gunzip fails, gzip then fails too, of a broken pipe
        gzip.finish();
        assertEquals(in.digest(), out, "bytes through gzip | gunzip");
    }

    /** CRC32C and length of a byte stream. */
    record Digest(long crc, long bytes) {
    }

    private static ProcessBuilder mmh(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP, "-XX:+UseParallelGC", "-Xss2m", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), PeakMemory.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    private static Running start(String what, ProcessBuilder pb) throws IOException {
        return new Running(what, pb.start());
    }

    /** A command running in its own JVM, its standard error collected as it comes. */
    private static final class Running {
        private final String what;
        private final Process p;
        private final CompletableFuture<String> err;
        private CompletableFuture<Void> fed = CompletableFuture.completedFuture(null);

        Running(String what, Process p) {
            STARTED.add(p);
            this.what = what;
            this.p = p;
            this.err = drain(p.getErrorStream());
        }

        /** Writes {@code in} to the command's standard input in the background, then closes it. */
        void feed(Generated in) {
            fed = CompletableFuture.runAsync(() -> BoundedMemoryTest.feed(in, p.getOutputStream()), THREADS);
        }

        /** Reads the command's standard output to its end. */
        Digest output() throws IOException {
            return digest(p.getInputStream());
        }

        /** Waits for the end: exit 0, nothing on standard error, peak memory under the bound. */
        void finish() throws Exception {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(what + " did not finish within " + TIMEOUT_MINUTES + " minutes");
            }
            fed.get(1, TimeUnit.MINUTES);
            String e = err.get(1, TimeUnit.MINUTES);
            assertEquals(0, p.exitValue(), what + " failed: " + e);
            long peak = 0;
            StringBuilder other = new StringBuilder();
            for (String line : e.split("\n")) {
                if (line.startsWith(PeakMemory.PREFIX)) {
                    peak = Long.parseLong(line.substring(PeakMemory.PREFIX.length()).trim());
                } else if (!line.isBlank()) {
                    other.append(line).append('\n');
                }
            }
            assertEquals("", other.toString(), what + " wrote to standard error");
            assertTrue(peak != 0, what + ": no peak memory reported");
            if (peak > 0) { // -1: no /proc here
                System.out.println(what + ": peak RSS " + peak / 1024 + " MiB over " + GIB + " GiB, -Xmx" + HEAP);
                assertTrue(peak < MAX_RSS_MIB << 10, what + ": peak RSS " + peak / 1024 + " MiB over " + GIB
                        + " GiB, more than " + MAX_RSS_MIB + " MiB");
            }
        }
    }

    private static CompletableFuture<String> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try (s) {
                return new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(stderr unreadable: " + e + ")";
            }
        }, THREADS);
    }

    private static void feed(Generated in, OutputStream to) {
        byte[] buf = new byte[1 << 20];
        try (to) {
            for (int n; (n = in.read(buf, 0, buf.length)) > 0; ) {
                to.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the command stopped reading: its exit code says why
        }
    }

    private static Digest digest(InputStream s) throws IOException {
        CRC32C crc = new CRC32C();
        long n = 0;
        byte[] buf = new byte[1 << 20];
        try (s) {
            for (int k; (k = s.read(buf)) > 0; ) {
                crc.update(buf, 0, k);
                n += k;
            }
        }
        return new Digest(crc.getValue(), n);
    }

    /**
     * {@code length} bytes made on the fly, the same every time: pieces of 64 to 575 bytes taken at random from a
     * 16 KiB table of random letters, so LZ codecs and deflate find long matches everywhere (the table fits their
     * windows) though the stream never repeats with a period. Its {@link #digest()} covers the bytes read so far.
     */
    static final class Generated extends InputStream {
        private final byte[] table = new byte[16 << 10];
        private final SplittableRandom r = new SplittableRandom(0x6d6d68);
        private final CRC32C crc = new CRC32C();
        private long left;
        private long read;

        Generated(long length) {
            this.left = length;
            byte[] letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.\n".getBytes(
                    StandardCharsets.US_ASCII);
            for (int i = 0; i < table.length; i++) {
                table[i] = letters[r.nextInt(letters.length)];
            }
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; ) {
                int piece = Math.min(n - i, 64 + r.nextInt(512));
                System.arraycopy(table, r.nextInt(table.length - 576), b, off + i, piece);
                i += piece;
            }
            crc.update(b, off, n);
            left -= n;
            read += n;
            return n;
        }

        Digest digest() {
            return new Digest(crc.getValue(), read);
        }
    }
}
