package dev.mmh.chunk;

import dev.mmh.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Golden chunkings, committed under src/test/resources/golden/chunk (made by {@link #main}, run from the mmh-core
 * folder, with the Java loop and the JDK's digests): for fixed inputs, parameters and forced cuts, the end of every
 * chunk and the first 8 bytes of its ID. Their inputs are regenerated here (from splitmix64, not the JDK's random
 * generators, whose sequences are not part of their contract) or read from the corpus. A changed line is a change of
 * the chunking that folder archives and repositories depend on for deduplication: docs/CHUNKING.md must change with
 * it, and the manifest's chunker algorithm number.
 */
final class ChunkGolden {
    static final Path DIR = Path.of("src/test/resources/golden/chunk");

    private ChunkGolden() {
    }

    /** A golden case: where its input comes from, and how it is chunked. */
    record Case(String input, ChunkerParams params, IdFunction ids, long[] forced) {
        /** The input's bytes; null when it is a corpus file that is not there. */
        byte[] bytes() throws IOException {
            return switch (input) {
                case "random-8MiB" -> pseudoRandom(8 << 20, 1, 0);
                case "random-512KiB-zero-runs" -> pseudoRandom(512 << 10, 2, 50_000);
                default -> {
                    Path p;
                    try {
                        p = TestData.corpus().resolve(input);
                    } catch (IllegalStateException e) {
                        yield null;
                    }
                    yield Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
                }
            };
        }
    }

    static Map<String, Case> cases() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        Map<String, Case> m = new LinkedHashMap<>();
        m.put("random-64k", new Case("random-8MiB", new ChunkerParams(16 << 10, 64 << 10, 256 << 10, 0),
                IdFunction.SHA256, new long[0]));
        m.put("random-small-seeded-forced", new Case("random-512KiB-zero-runs",
                new ChunkerParams(64, 256, 1024, 0x0123456789ABCDEFL), IdFunction.SHA256,
                new long[] {1, 1000, 1001, 200_000, 400_000, 600_000}));
        m.put("book1-4k", new Case("calgary/book1", new ChunkerParams(1024, 4096, 16384, 0), IdFunction.SHA256,
                new long[0]));
        m.put("samba-64k-hmac", new Case("silesia/samba", new ChunkerParams(16 << 10, 64 << 10, 256 << 10, 0x5EEDL),
                IdFunction.hmacSha256(key), new long[] {3_000_000, 3_000_100}));
        return m;
    }

    /**
     * {@code n} bytes of splitmix64 outputs from {@code seed}, little-endian; with {@code zeroEvery > 0}, 5,000 zero
     * bytes every {@code zeroEvery} bytes (runs where only the maximum size cuts).
     */
    static byte[] pseudoRandom(int n, long seed, int zeroEvery) {
        byte[] b = new byte[n];
        long x = seed;
        for (int i = 0; i < n; i += 8) {
            x += Gear.GAMMA;
            long v = Gear.mix(x);
            for (int k = 0; k < 8 && i + k < n; k++) {
                b[i + k] = (byte) (v >>> (8 * k));
            }
        }
        if (zeroEvery > 0) {
            for (int i = zeroEvery; i < n; i += zeroEvery) {
                java.util.Arrays.fill(b, i, Math.min(n, i + 5000), (byte) 0);
            }
        }
        return b;
    }

    /** The golden text of a case: a comment line, then per chunk its end and its ID's first 8 bytes in hex. */
    static String text(Case c, List<ChunkerTest.Chunk> chunks) {
        StringBuilder s = new StringBuilder("# ").append(c.input()).append(' ').append(c.params()).append(' ')
                .append(c.ids()).append(" forced ").append(java.util.Arrays.toString(c.forced())).append('\n');
        for (ChunkerTest.Chunk k : chunks) {
            s.append(k.end()).append(' ').append(k.id(), 0, 16).append('\n');
        }
        return s.toString();
    }

    static List<ChunkerTest.Chunk> chunk(Case c, byte[] data, Chunker.Engine engine, int[] splits) throws IOException {
        return ChunkerTest.run(c.params(), c.ids(), engine, data, splits, c.forced());
    }

    static String golden(String name) throws IOException {
        return Files.readString(DIR.resolve(name + ".txt"), StandardCharsets.US_ASCII);
    }

    public static void main(String[] args) throws IOException {
        Files.createDirectories(DIR);
        List<String> made = new ArrayList<>();
        for (Map.Entry<String, Case> e : cases().entrySet()) {
            byte[] data = e.getValue().bytes();
            if (data == null) {
                throw new IllegalStateException("input " + e.getValue().input() + " missing: unpack the corpus");
            }
            List<ChunkerTest.Chunk> chunks = chunk(e.getValue(), data, Chunker.Engine.JAVA, new int[0]);
            Files.writeString(DIR.resolve(e.getKey() + ".txt"), text(e.getValue(), chunks), StandardCharsets.US_ASCII);
            made.add(e.getKey() + " (" + chunks.size() + " chunks)");
        }
        System.out.println("wrote " + made + " to " + DIR.toAbsolutePath());
    }
}
