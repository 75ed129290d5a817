package dev.mmh.testing;

import dev.mmh.engine.CompressOptions;
import dev.mmh.engine.DecompressOptions;
import dev.mmh.engine.Mmh;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Test inputs: the corpus, and seeded synthetic data. */
public final class TestData {
    private TestData() {
    }

    /** The unpacked corpus folder (surefire passes -Dmmh.corpus); fails loudly when it is missing. */
    public static Path corpus() {
        String p = System.getProperty("mmh.corpus");
        Path dir = p != null ? Path.of(p) : Path.of("../target/corpus");
        if (!Files.isDirectory(dir.resolve("silesia"))) {
            throw new IllegalStateException("corpus not unpacked at " + dir.toAbsolutePath()
                    + ": run ./run-tests, or ../shared/corpus/unpack.sh target/corpus");
        }
        return dir;
    }

    /** Every file of the corpus, sorted by path. */
    public static List<Path> corpusFiles() throws IOException {
        try (Stream<Path> s = Files.walk(corpus().toRealPath())) {
            List<Path> files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
            if (files.size() < 50) {
                throw new IllegalStateException("corpus incomplete: " + files.size() + " files in " + corpus());
            }
            return files;
        }
    }

    /** Compressible pseudo-text: words from a small vocabulary, seeded. */
    public static byte[] text(int n, long seed) {
        String[] words = {"the ", "block ", "engine ", "compresses ", "data ", "on ", "every ", "core ", "and ",
            "checks ", "each ", "byte\n", "mmh ", "archive ", "index ", "footer "};
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            byte[] w = words[r.nextInt(words.length)].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int k = Math.min(w.length, n - i);
            System.arraycopy(w, 0, b, i, k);
            i += k;
        }
        return b;
    }

    /** Incompressible bytes, seeded. */
    public static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    public static byte[] compress(byte[] data, CompressOptions o) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mmh.compress(new ByteArrayInputStream(data), out, o);
        return out.toByteArray();
    }

    /** Decoding options with {@code n} threads of the run's own. */
    public static DecompressOptions threads(int n) {
        return DecompressOptions.builder().threads(n).build();
    }

    public static byte[] decompress(byte[] archive, int threads) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mmh.decompress(new ByteArrayInputStream(archive), out, threads(threads));
        return out.toByteArray();
    }
}
