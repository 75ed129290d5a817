package dev.mmh.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.chunk.Chunker.Engine;
import dev.mmh.io.NativeLibraries;
import dev.mmh.testing.TestData;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ChunkerTest {
    /** Small sizes (many cuts, max often reached), a middle one, the default; the last two seeded. */
    static final ChunkerParams[] PARAMS = {
        new ChunkerParams(64, 256, 1024, 0),
        new ChunkerParams(100, 512, 700, 0),
        new ChunkerParams(1024, 4096, 16384, 0x5EEDL),
        new ChunkerParams(16 << 10, 64 << 10, 256 << 10, -7L),
    };
    static final byte[] KEY = "an archive's ID key, 32 bytes...".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** One chunk as a sink saw it. */
    record Chunk(long start, long end, String id) {
    }

    /** Inputs with structure: random bytes, text, zero runs, a repeated short pattern, all mixed. */
    static byte[] input(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            int len = Math.min(n - i, 1 + r.nextInt(40_000));
            switch (r.nextInt(4)) {
                case 0 -> System.arraycopy(TestData.random(len, r.nextLong()), 0, b, i, len);
                case 1 -> System.arraycopy(TestData.text(len, r.nextLong()), 0, b, i, len);
                case 2 -> { } // zeros
                default -> {
                    byte[] pat = TestData.random(1 + r.nextInt(100), r.nextLong());
                    for (int k = 0; k < len; k++) {
                        b[i + k] = pat[k % pat.length];
                    }
                }
            }
            i += len;
        }
        return b;
    }

    static List<Chunk> run(Chunker c, byte[] data, int[] splits, long... forced) throws IOException {
        List<Chunk> out = new ArrayList<>();
        ChunkSink sink = (s, e, id) -> out.add(new Chunk(s, e, id == null ? null : HexFormat.of().formatHex(id)));
        for (long f : forced) {
            c.cutAt(f);
        }
        int off = 0;
        for (int n : splits) {
            c.update(data, off, n, sink);
            off += n;
        }
        c.update(data, off, data.length - off, sink);
        c.finish(sink);
        return out;
    }

    static List<Chunk> run(ChunkerParams p, IdFunction ids, Engine e, byte[] data, int[] splits, long... forced)
            throws IOException {
        try (Chunker c = Chunker.open(p, ids, e)) {
            return run(c, data, splits, forced);
        }
    }

    static List<Long> ends(List<Chunk> chunks) {
        return chunks.stream().map(Chunk::end).toList();
    }

    /** Random buffer sizes summing to at most n: many tiny, some large. */
    static int[] randomSplits(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Integer> s = new ArrayList<>();
        int total = 0;
        while (true) {
            int k = r.nextInt(10) < 7 ? r.nextInt(300) : r.nextInt(3 << 20);
            if (total + k > n) {
                break;
            }
            s.add(k);
            total += k;
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Compares two chunkings and names the first chunk that differs (a whole list would flood the report). */
    static void assertSameChunks(List<Chunk> expected, List<Chunk> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                throw new org.opentest4j.AssertionFailedError(what + ": chunk " + i + " differs", expected.get(i),
                        actual.get(i));
            }
        }
        assertEquals(expected.size(), actual.size(), what + ": number of chunks");
    }

    static void assertSameEnds(List<Long> expected, List<Long> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                throw new org.opentest4j.AssertionFailedError(what + ": cut " + i + " differs", expected.get(i),
                        actual.get(i));
            }
        }
        assertEquals(expected.size(), actual.size(), what + ": number of cuts");
    }

    static void assumeNative() {
        Assumptions.assumeTrue(Chunker.class.getResource(NativeLibraries.CORE) != null, "no native build");
        assertNull(NativeCdc.loadError(), "libmmhcore.so was built but is not in use");
    }

    static void assumeNativeHash() {
        Assumptions.assumeTrue(Chunker.class.getResource(NativeLibraries.CRYPTO) != null, "libmmhcrypto.so not built");
        assertNull(NativeChunkHash.loadError(), "libmmhcrypto.so was built but is not in use");
    }

    @Test
    void javaLoopCutsWhereTheSpecificationSays() throws IOException {
        for (ChunkerParams p : PARAMS) {
            for (long seed = 1; seed <= 3; seed++) {
                byte[] data = input(3 << 20, seed);
                List<Long> expected = ReferenceCdc.cuts(data, p.min(), p.avg(), p.max(), p.seed());
                assertSameEnds(expected, ends(run(p, null, Engine.JAVA, data, new int[0])), p + " seed " + seed);
            }
        }
    }

    @Test
    void nativeLoopsCutWhereTheSpecificationSays() throws IOException {
        assumeNative();
        assumeNativeHash();
        for (ChunkerParams p : PARAMS) {
            byte[] data = input(5 << 20, 11);
            List<Long> expected = ReferenceCdc.cuts(data, p.min(), p.avg(), p.max(), p.seed());
            assertSameEnds(expected, ends(run(p, null, Engine.NATIVE, data, new int[0])), p + " native");
            assertSameEnds(expected, ends(run(p, IdFunction.SHA256, Engine.NATIVE_HASH, data, new int[0])),
                    p + " native with IDs");
        }
    }

    @Test
    void cutsAndIdsDoNotDependOnHowTheInputIsFed() throws IOException {
        boolean nat = Chunker.class.getResource(NativeLibraries.CRYPTO) != null;
        for (ChunkerParams p : PARAMS) {
            byte[] data = input(6 << 20, 21);
            List<Chunk> whole = run(p, IdFunction.SHA256, Engine.JAVA, data, new int[0]);
            for (int t = 0; t < 3; t++) {
                int[] splits = randomSplits(data.length, 100 + t);
                assertSameChunks(whole, run(p, IdFunction.SHA256, Engine.JAVA, data, splits), p + " java, split " + t);
                if (nat) {
                    assertSameChunks(whole, run(p, IdFunction.SHA256, Engine.NATIVE, data, splits), p + " native " + t);
                    assertSameChunks(whole, run(p, IdFunction.SHA256, Engine.NATIVE_HASH, data, splits),
                            p + " native hash, split " + t);
                }
            }
        }
    }

    @Test
    void oneByteAtATimeGivesTheSameChunks() throws IOException {
        ChunkerParams p = PARAMS[0];
        byte[] data = input(150_000, 31);
        int[] ones = new int[data.length];
        java.util.Arrays.fill(ones, 1);
        long[] forced = {5, 5, 70_000, 70_001, 149_999};
        List<Chunk> whole = run(p, IdFunction.SHA256, Engine.JAVA, data, new int[0], forced);
        assertSameEnds(ReferenceCdc.cuts(data, p.min(), p.avg(), p.max(), p.seed(), forced), ends(whole), "java");
        assertSameChunks(whole, run(p, IdFunction.SHA256, Engine.JAVA, data, ones, forced), "java, one byte");
        if (Chunker.class.getResource(NativeLibraries.CRYPTO) != null) {
            assertSameChunks(whole, run(p, IdFunction.SHA256, Engine.NATIVE, data, ones, forced), "native");
            assertSameChunks(whole, run(p, IdFunction.SHA256, Engine.NATIVE_HASH, data, ones, forced), "hash");
        }
    }

    @Test
    void idsAreSha256OrHmacOfEachChunksBytes() throws Exception {
        ChunkerParams p = PARAMS[2];
        byte[] data = input(2 << 20, 41);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        List<Engine> engines = new ArrayList<>(List.of(Engine.JAVA));
        if (Chunker.class.getResource(NativeLibraries.CRYPTO) != null) {
            engines.add(Engine.NATIVE);
            engines.add(Engine.NATIVE_HASH);
        }
        for (Engine e : engines) {
            List<Chunk> plain = run(p, IdFunction.SHA256, e, data, randomSplits(data.length, 5));
            List<Chunk> keyed = run(p, IdFunction.hmacSha256(KEY), e, data, randomSplits(data.length, 6));
            assertEquals(ends(plain), ends(keyed));
            assertTrue(plain.size() > 100, "chunks: " + plain.size());
            for (int i = 0; i < plain.size(); i++) {
                Chunk c = plain.get(i);
                sha.update(data, (int) c.start(), (int) (c.end() - c.start()));
                assertEquals(HexFormat.of().formatHex(sha.digest()), c.id(), e + " chunk " + i);
                mac.update(data, (int) c.start(), (int) (c.end() - c.start()));
                assertEquals(HexFormat.of().formatHex(mac.doFinal()), keyed.get(i).id(), e + " keyed chunk " + i);
            }
        }
    }

    @Test
    void chunksAreContiguousAndWithinTheSizeLimits() throws IOException {
        for (ChunkerParams p : PARAMS) {
            byte[] data = input(8 << 20, 51);
            List<Chunk> chunks = run(p, null, Engine.JAVA, data, new int[0]);
            long at = 0;
            for (int i = 0; i < chunks.size(); i++) {
                Chunk c = chunks.get(i);
                assertEquals(at, c.start());
                long len = c.end() - c.start();
                assertTrue(len <= p.max(), p + " chunk " + i + " of " + len);
                assertTrue(len >= p.min() || i == chunks.size() - 1, p + " chunk " + i + " of " + len);
                at = c.end();
            }
            assertEquals(data.length, at);
        }
    }

    @Test
    void averageChunkOfRandomDataIsNearAvg() throws IOException {
        ChunkerParams p = new ChunkerParams(4096, 16384, 65536, 0);
        byte[] data = TestData.random(64 << 20, 61);
        List<Chunk> chunks = run(p, null, Engine.JAVA, data, new int[0]);
        double mean = (double) data.length / chunks.size();
        // normalised chunking with min = avg/4 lands a little above avg (skipped min bytes, then a stricter mask)
        assertTrue(mean > 0.9 * p.avg() && mean < 1.3 * p.avg(), "mean chunk " + mean);
    }

    @Test
    void forcedCutsEndChunksAndRestartTheChunkerAsAtTheStart() throws IOException {
        ChunkerParams p = PARAMS[2];
        byte[] data = input(3 << 20, 71);
        long[] forced = {10, 1_000_000, 1_000_100, 2_500_000};
        List<Chunk> chunks = run(p, IdFunction.SHA256, Engine.JAVA, data, new int[0], forced);
        List<Long> ends = ends(chunks);
        for (long f : forced) {
            assertTrue(ends.contains(f), "no cut at " + f);
        }
        // the chunks between two forced cuts are those of that region chunked alone
        byte[] region = java.util.Arrays.copyOfRange(data, 1_000_100, 2_500_000);
        List<Chunk> alone = run(p, IdFunction.SHA256, Engine.JAVA, region, new int[0]);
        List<Chunk> inside = chunks.stream().filter(c -> c.start() >= 1_000_100 && c.end() <= 2_500_000).toList();
        assertEquals(alone.size(), inside.size());
        for (int i = 0; i < alone.size(); i++) {
            assertEquals(alone.get(i).end() + 1_000_100, inside.get(i).end());
            assertEquals(alone.get(i).id(), inside.get(i).id());
        }
    }

    @Test
    void anUnchangedTensorKeepsItsChunksWhateverChangedAroundIt() throws IOException {
        ChunkerParams p = PARAMS[2];
        byte[] tensor = input(1 << 20, 81);
        byte[] a = concat(TestData.random(5_000, 1), tensor, TestData.random(9_000, 2));
        byte[] b = concat(TestData.random(7_123, 3), tensor, TestData.random(100, 4));
        List<Chunk> ca = run(p, IdFunction.SHA256, Engine.JAVA, a, new int[0], 5_000, 5_000 + tensor.length);
        List<Chunk> cb = run(p, IdFunction.SHA256, Engine.JAVA, b, new int[0], 7_123, 7_123 + tensor.length);
        List<String> ia = ca.stream().filter(c -> c.start() >= 5_000 && c.end() <= 5_000 + tensor.length)
                .map(Chunk::id).toList();
        List<String> ib = cb.stream().filter(c -> c.start() >= 7_123 && c.end() <= 7_123 + tensor.length)
                .map(Chunk::id).toList();
        assertTrue(ia.size() > 10);
        assertEquals(ia, ib);
    }

    @Test
    void anInsertionMovesOnlyTheCutsNearIt() throws IOException {
        ChunkerParams p = PARAMS[2];
        byte[] data = input(4 << 20, 91);
        byte[] edited = concat(java.util.Arrays.copyOf(data, 100_000), TestData.random(37, 9),
                java.util.Arrays.copyOfRange(data, 100_000, data.length));
        List<Chunk> before = run(p, IdFunction.SHA256, Engine.JAVA, data, new int[0]);
        List<Chunk> after = run(p, IdFunction.SHA256, Engine.JAVA, edited, new int[0]);
        java.util.Set<String> ids = new java.util.HashSet<>();
        before.forEach(c -> ids.add(c.id()));
        long shared = after.stream().filter(c -> ids.contains(c.id())).count();
        // one or two chunks around the insertion change; every other chunk is found again
        assertTrue(shared >= after.size() - 3, shared + " of " + after.size() + " chunks shared");
    }

    @Test
    void emptyInputHasNoChunks() throws IOException {
        for (Engine e : Engine.values()) {
            if (e != Engine.JAVA && Chunker.class.getResource(NativeLibraries.CRYPTO) == null) {
                continue;
            }
            assertEquals(List.of(), run(PARAMS[0], IdFunction.SHA256, e, new byte[0], new int[0], 0, 5));
        }
    }

    @Test
    void resetStartsAFreshInputEvenAfterAnAbandonedOne() throws IOException {
        byte[] data = input(2 << 20, 101);
        List<Engine> engines = new ArrayList<>(List.of(Engine.JAVA));
        if (Chunker.class.getResource(NativeLibraries.CRYPTO) != null) {
            engines.add(Engine.NATIVE);
            engines.add(Engine.NATIVE_HASH);
        }
        for (Engine e : engines) {
            ChunkerParams p = PARAMS[2];
            List<Chunk> fresh = run(p, IdFunction.hmacSha256(KEY), e, data, new int[0]);
            try (Chunker c = Chunker.open(p, IdFunction.hmacSha256(KEY), e)) {
                c.update(data, 0, 12_345, (s, x, id) -> { }); // a chunk left open
                c.reset();
                assertEquals(0, c.position());
                assertSameChunks(fresh, run(c, data, new int[0]), e + " after an abandoned input");
                c.reset();
                assertSameChunks(fresh, run(c, data, randomSplits(data.length, 3)), e + " after a finished input");
            }
        }
    }

    @Test
    void aFailingSinkStopsTheChunkerUntilReset() throws IOException {
        byte[] data = input(1 << 20, 111);
        try (Chunker c = Chunker.open(PARAMS[0], IdFunction.SHA256)) {
            IOException boom = new IOException("disk full");
            IOException thrown = assertThrows(IOException.class, () -> c.update(data, 0, data.length, (s, e, id) -> {
                throw boom;
            }));
            assertEquals(boom, thrown);
            assertThrows(IllegalStateException.class, () -> c.update(data, 0, 10, (s, e, id) -> { }));
            assertThrows(IllegalStateException.class, () -> c.finish((s, e, id) -> { }));
            c.reset();
            assertSameChunks(run(PARAMS[0], IdFunction.SHA256, Engine.JAVA, data, new int[0]), run(c, data, new int[0]),
                    "after reset");
        }
    }

    @Test
    void refusesMisuse() throws IOException {
        byte[] data = new byte[1000];
        Chunker c = Chunker.open(PARAMS[0]);
        c.update(data, 0, 500, (s, e, id) -> { });
        assertThrows(IllegalArgumentException.class, () -> c.cutAt(499));
        c.cutAt(600);
        c.cutAt(600); // the same offset again: ignored
        assertThrows(IllegalArgumentException.class, () -> c.cutAt(550));
        assertThrows(IndexOutOfBoundsException.class, () -> c.update(data, 900, 101, (s, e, id) -> { }));
        assertThrows(IndexOutOfBoundsException.class, () -> c.update(data, -1, 10, (s, e, id) -> { }));
        c.finish((s, e, id) -> { });
        assertThrows(IllegalStateException.class, () -> c.update(data, 0, 1, (s, e, id) -> { }));
        c.close();
        c.close();
        assertThrows(IllegalStateException.class, c::reset);
        assertThrows(IllegalStateException.class, () -> c.cutAt(10_000));
    }

    @Test
    void manyForcedCutsGrowTheQueue() throws IOException {
        ChunkerParams p = PARAMS[1];
        byte[] data = input(200_000, 121);
        long[] forced = new long[500];
        for (int i = 0; i < forced.length; i++) {
            forced[i] = 100L + 397L * i;
        }
        assertSameEnds(ReferenceCdc.cuts(data, p.min(), p.avg(), p.max(), p.seed(), forced),
                ends(run(p, null, Engine.JAVA, data, randomSplits(data.length, 8), forced)), "java");
    }

    @Test
    void defaultChunkerUsesTheFastestEngineThatLoaded() {
        try (Chunker cut = Chunker.open(ChunkerParams.DEFAULT);
             Chunker ids = Chunker.open(ChunkerParams.DEFAULT, IdFunction.SHA256)) {
            assertEquals(NativeCdc.AVAILABLE ? Engine.NATIVE : Engine.JAVA, cut.engine());
            assertEquals(NativeChunkHash.AVAILABLE ? Engine.NATIVE_HASH : cut.engine(), ids.engine());
            assertTrue(Chunker.nativeStatus().contains("cut search in"), Chunker.nativeStatus());
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void idsOfEqualChunksAreEqualAndOfDifferentOnesDiffer() throws IOException {
        byte[] half = TestData.random(1 << 20, 131); // no repeats inside a half
        byte[] data = concat(half, half);
        List<Chunk> chunks = run(new ChunkerParams(256, 1024, 4096, 0), IdFunction.SHA256, Engine.JAVA, data,
                new int[0], half.length);
        long distinct = chunks.stream().map(Chunk::id).distinct().count();
        assertEquals(chunks.size() / 2, distinct);
        assertArrayEquals(chunks.subList(0, chunks.size() / 2).stream().map(Chunk::id).toArray(),
                chunks.subList(chunks.size() / 2, chunks.size()).stream().map(Chunk::id).toArray());
    }
}
