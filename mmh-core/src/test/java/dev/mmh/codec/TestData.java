package dev.mmh.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Inputs for codec tests, and running the system's reference tools. */
public final class TestData {
    private static final List<String> TEXT_FILES = List.of(
            "calgary/book1", "calgary/book2", "canterbury/lcet10.txt", "canterbury/plrabn12.txt",
            "canterbury/alice29.txt", "calgary/paper1", "calgary/progc");

    private TestData() {
    }

    /** The unpacked corpus (system property {@code mmh.corpus}), or null when it is not there. */
    public static Path corpus() {
        String p = System.getProperty("mmh.corpus");
        if (p == null) {
            return null;
        }
        Path dir = Paths.get(p);
        return Files.isDirectory(dir) ? dir : null;
    }

    /** Up to {@code max} bytes of English text and source code from the corpus, or null without a corpus. */
    public static byte[] corpusText(int max) throws IOException {
        Path dir = corpus();
        if (dir == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : TEXT_FILES) {
            Path f = dir.resolve(name);
            if (Files.isRegularFile(f)) {
                out.write(Files.readAllBytes(f));
            }
            if (out.size() >= max) {
                break;
            }
        }
        byte[] all = out.toByteArray();
        return all.length == 0 ? null : Arrays.copyOf(all, Math.min(max, all.length));
    }

    /**
     * Compressible text-like bytes: corpus text when there is a corpus, otherwise words drawn from a small
     * vocabulary with a seeded random generator (so the tests also run without the corpus).
     */
    public static byte[] text(int size) throws IOException {
        byte[] corpus = corpusText(size);
        if (corpus != null && corpus.length == size) {
            return corpus;
        }
        String[] words = {"the", "block", "codec", "of", "and", "checksum", "window", "level", "stream", "a",
            "compression", "data", "\n", "in", "to", "is", "zstd", "engine", "ratio", "fast", ", "};
        Random r = new Random(size);
        byte[] out = new byte[size];
        int i = 0;
        while (i < size) {
            byte[] w = (words[r.nextInt(words.length)] + " ").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int n = Math.min(w.length, size - i);
            System.arraycopy(w, 0, out, i, n);
            i += n;
        }
        return out;
    }

    public static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Runs of one byte value, of lengths from 1 to tens of thousands, {@code size} bytes in all. */
    public static byte[] runs(int size, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        int i = 0;
        while (i < size) {
            int len = Math.min(size - i, 1 + (r.nextBoolean() ? r.nextInt(16) : r.nextInt(50_000)));
            Arrays.fill(b, i, i + len, (byte) r.nextInt(256));
            i += len;
        }
        return b;
    }

    /** Appends {@code v} as 4 little-endian bytes. */
    public static void writeIntLe(ByteArrayOutputStream out, int v) {
        for (int i = 0; i < 4; i++) {
            out.write((v >>> (8 * i)) & 0xFF);
        }
    }

    /** Whether an executable of this name is on the PATH. */
    public static boolean hasTool(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command with {@code stdin} as its input and returns its output; fails the test unless it exits 0. */
    public static byte[] run(byte[] stdin, String... command) throws IOException, InterruptedException {
        Path in = Files.createTempFile("mmh-test-in", ".bin");
        Path err = Files.createTempFile("mmh-test-err", ".txt");
        try {
            Files.write(in, stdin);
            Process p = new ProcessBuilder(command)
                    .redirectInput(in.toFile())
                    .redirectError(err.toFile())
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish");
            }
            assertEquals(0, p.exitValue(),
                    () -> String.join(" ", command) + " failed: " + readQuietly(err));
            return out;
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(err);
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }
}
