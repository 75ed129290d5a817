package dev.mmh.gzip;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Shared helpers: the corpus, external tools, compress/decompress in memory. */
final class GzipTestSupport {
    private GzipTestSupport() {
    }

    static Path corpus() {
        String p = System.getProperty("mmh.corpus", "../target/corpus");
        Path c = Path.of(p);
        assumeTrue(Files.isDirectory(c.resolve("canterbury")), "corpus not unpacked at " + c);
        return c;
    }

    static byte[] corpusFile(String setAndName) throws IOException {
        return Files.readAllBytes(corpus().resolve(setAndName));
    }

    static void assumeTool(String tool) {
        assumeTrue(hasTool(tool), tool + " is not installed (apt-get install it)");
    }

    static boolean hasTool(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command with {@code input} on stdin; returns stdout, failing on a non-zero exit. */
    static byte[] run(byte[] input, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread feeder = new Thread(() -> {
            try (var in = p.getOutputStream()) {
                in.write(input);
            } catch (IOException e) {
                // the tool stopped reading: its exit code tells
            }
        });
        feeder.start();
        byte[] out = p.getInputStream().readAllBytes();
        feeder.join();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + rc);
        }
        return out;
    }

    static byte[] gzip(byte[] data, GzipOptions o) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(bos, o)) {
            gz.write(data);
        }
        return bos.toByteArray();
    }

    static byte[] gunzip(byte[] gz, GzipOptions o) throws IOException {
        try (ParallelGzipInputStream in = new ParallelGzipInputStream(new ByteArrayInputStream(gz), o)) {
            return in.readAllBytes();
        }
    }

    /** An InputStream that returns one byte per read call, as the slowest legal source does. */
    static InputStream oneByteAtATime(byte[] data) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
    }

    /** Text-like data that compresses: words drawn with a fixed seed. */
    static byte[] text(int size, long seed) {
        Random r = new Random(seed);
        String[] words = {"gzip", "member", "block", "deflate", "parallel", "the", "of", "crc", "size", "\n"};
        ByteArrayOutputStream b = new ByteArrayOutputStream(size + 16);
        while (b.size() < size) {
            byte[] w = (words[r.nextInt(words.length)] + " ").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            b.write(w, 0, w.length);
        }
        return java.util.Arrays.copyOf(b.toByteArray(), size);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static List<DeflateBackend> backends() {
        List<DeflateBackend> l = new ArrayList<>();
        DeflateBackend n = DeflateBackend.libdeflate();
        if (n != null) {
            l.add(n);
        }
        l.add(DeflateBackend.jdk());
        return l;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.write(p, 0, p.length);
        }
        return b.toByteArray();
    }
}
