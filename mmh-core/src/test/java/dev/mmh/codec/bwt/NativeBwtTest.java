package dev.mmh.codec.bwt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mmh.CorruptDataException;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import dev.mmh.codec.rc.Varints;
import dev.mmh.format.ArchiveStreamReader;
import dev.mmh.format.StoredBlock;
import dev.mmh.io.NativeHandle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The native bwt decoder ({@link NativeBwt}, mmhbwt.c) against the Java decoder: the same bytes for every valid
 * block, and for damaged blocks either the same bytes or a failure on both sides.
 */
class NativeBwtTest {
    private static final BwtCodec CODEC = new BwtCodec();
    private static final int GUARD = 7;

    /** What the Java decoder makes of a block: the bytes, or null when it throws CorruptDataException. */
    private static byte[] java(byte[] block, int rawLen) {
        byte[] out = new byte[rawLen];
        try (Decompressor d = BwtCodec.newJavaDecompressor()) {
            d.decompress(block, 0, block.length, out, 0, rawLen);
            return out;
        } catch (CorruptDataException e) {
            return null;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * What the native decoder makes of a block, read from the middle of a larger array into the middle of another:
     * the bytes, or null on an error code. Bytes around the destination range must stay untouched (inside it, a
     * damaged block may leave the chunks before the damage written, as the Java decoder does).
     */
    private static byte[] nat(byte[] block, int rawLen) {
        byte[] src = new byte[block.length + 2 * GUARD];
        Arrays.fill(src, (byte) 0x5A);
        System.arraycopy(block, 0, src, GUARD, block.length);
        byte[] dst = new byte[rawLen + 2 * GUARD];
        Arrays.fill(dst, (byte) 0xA5);
        int rc;
        try (NativeHandle context = NativeBwt.open()) {
            // a scratch of exactly the size needed, as bwtbench.c runs under the sanitizers
            rc = NativeBwt.decode(context, src, GUARD, block.length, dst, GUARD, rawLen, 0);
        }
        for (int k = 0; k < GUARD; k++) {
            assertEquals((byte) 0xA5, dst[k], "written before the destination");
            assertEquals((byte) 0xA5, dst[GUARD + rawLen + k], "written after the destination");
        }
        if (rc != 0) {
            assertTrue(rc < 0, "error codes are negative: " + rc);
            return null;
        }
        return Arrays.copyOfRange(dst, GUARD, GUARD + rawLen);
    }

    private static byte[] encode(byte[] raw) throws IOException {
        try (Compressor c = CODEC.newCompressor(CodecParams.level(1))) {
            return encode(c, raw);
        }
    }

    private static byte[] encode(Compressor c, byte[] raw) throws IOException {
        byte[] out = new byte[(int) CODEC.maxCompressedLength(raw.length)];
        return Arrays.copyOf(out, c.compress(raw, 0, raw.length, out, 0, out.length));
    }

    /** Both decoders give {@code raw} back from {@code block}. */
    private static void bothDecode(byte[] raw, byte[] block, String what) {
        assertArrayEquals(raw, java(block, raw.length), what + ": Java decoder");
        assertArrayEquals(raw, nat(block, raw.length), what + ": native decoder");
    }

    private static void roundTrip(byte[] raw, String what) throws IOException {
        bothDecode(raw, encode(raw), what);
    }

    /**
     * A one-chunk block of {@code raw} whose inverse follows chains {@code step} bytes long (the compressor only
     * writes 1 or 16 chains; the format allows up to 1024).
     */
    static byte[] blockWithStep(byte[] raw, int step) {
        return blockWithStep(raw, step, 0);
    }

    /** As above, with the last {@code cut} bytes of the coded data left out (a consistent header, short data). */
    static byte[] blockWithStep(byte[] raw, int step, int cut) {
        byte[] chunk = sortedChunk(raw, step, cut);
        byte[] b = new byte[16 + chunk.length];
        int o = 0;
        b[o++] = 0;
        o = Varints.put(b, o, raw.length);
        o = Varints.put(b, o, raw.length);
        System.arraycopy(chunk, 0, b, o, chunk.length);
        return Arrays.copyOf(b, o + chunk.length);
    }

    /** The record of one sorted chunk holding {@code raw}, as {@link #blockWithStep} describes. */
    private static byte[] sortedChunk(byte[] raw, int step, int cut) {
        int m = raw.length;
        byte[] sorted = new byte[m];
        int[] rows = new int[(m + step - 1) / step - 1];
        int primary = new Bwt().forward(raw, 0, m, sorted, 0, step, rows);
        byte[] coded = new byte[m + m / 2 + 1024];
        int len = new RankCoder().encode(sorted, 0, m, coded, 0, coded.length) - cut;
        assertTrue(len >= 0);
        byte[] b = new byte[32 + 5 * rows.length + len];
        int o = 0;
        b[o++] = 1;
        o = Varints.put(b, o, primary);
        o = Varints.put(b, o, step);
        for (int r : rows) {
            o = Varints.put(b, o, r);
        }
        o = Varints.put(b, o, len);
        System.arraycopy(coded, 0, b, o, len);
        return Arrays.copyOf(b, o + len);
    }

    private static byte[] text(int n, long seed) {
        return dev.mmh.testing.TestData.text(n, seed);
    }

    private static byte[] smallAlphabet(int n, int letters, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + r.nextInt(letters));
        }
        return b;
    }

    @Test
    void nativeDecoderIsLoaded() {
        assertNull(NativeBwt.loadError(), "native bwt decoder");
        assertTrue(Codecs.byName("bwt").isNative());
    }

    @Test
    void falseDisablePropertyKeepsTheLibraryOut() {
        String property = "mmh.test.bwt.native.disabled";
        System.setProperty(property, "false");
        try {
            String why = dev.mmh.io.NativeLibraries.load(NativeBwt.class, dev.mmh.io.NativeLibraries.CORE,
                    property);
            assertNotNull(why);
            assertTrue(why.startsWith("disabled"), why);
        } finally {
            System.clearProperty(property);
        }
    }

    @Test
    void edgeCasesDecodeAlike() throws IOException {
        roundTrip(new byte[0], "empty");
        roundTrip(new byte[] {42}, "one byte");
        roundTrip(new byte[] {0}, "one zero");
        roundTrip(new byte[] {-1, -1}, "two bytes");
        for (int n : new int[] {100, 65_535, 65_536, 1 << 20}) {
            byte[] same = new byte[n];
            Arrays.fill(same, (byte) 'x');
            roundTrip(same, "all same, " + n);
        }
        byte[] ab = new byte[200_001];
        for (int i = 0; i < ab.length; i++) {
            ab[i] = (byte) (i % 2 == 0 ? 'a' : 'b');
        }
        roundTrip(ab, "abab");
        byte[] all = new byte[256 * 40];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (i * 7);
        }
        roundTrip(all, "every byte value");
    }

    @Test
    void randomDataDecodesAlike() throws IOException {
        SplittableRandom r = new SplittableRandom(17);
        for (int n : new int[] {2, 3, 17, 255, 4096, 65_535, 65_536, 65_537, 300_001}) {
            byte[] rnd = new byte[n];
            r.nextBytes(rnd);
            roundTrip(rnd, "random " + n); // stored chunks
            roundTrip(smallAlphabet(n, 1 + r.nextInt(20), r.nextLong()), "small alphabet " + n); // sorted chunks
            // every byte value, skewed: ranks in every class
            byte[] skew = new byte[n];
            for (int i = 0; i < n; i++) {
                skew[i] = (byte) (r.nextInt(256) & r.nextInt(256) & r.nextInt(256));
            }
            roundTrip(skew, "skewed bytes " + n);
        }
    }

    @Test
    void chunkedBlocksAndEveryChainCountDecodeAlike() throws IOException {
        byte[] raw = text(300_000, 3);
        for (int chunk : new int[] {4096, 5000, 65_536, 70_000, 299_999}) {
            try (Compressor c = BwtCodec.newCompressor(chunk)) {
                bothDecode(raw, encode(c, raw), "chunks of " + chunk);
            }
        }
        byte[] small = text(20_000, 4);
        for (int step : new int[] {1 << 20, 20_000, 19_999, 10_000, 4001, 1250, 1249, 20, 200_000 / 1024 + 1}) {
            byte[] in = step == 20 ? text(20_480, 5) : small;
            bothDecode(in, blockWithStep(in, Math.min(step, in.length)), "step " + step);
        }
        byte[] big = text(200_000, 6);
        for (int step : new int[] {12_500, 12_501, 13_000, 196, 200_000 / 1024 + 1, 7}) {
            byte[] in = step == 7 ? Arrays.copyOf(big, 7 * 1024) : big;
            bothDecode(in, blockWithStep(in, step), "step " + step);
        }
    }

    @Test
    void blockLargerThanTheLargestChunkDecodesAlike() {
        // a stored chunk of 2^24 - 1 bytes, then a sorted one: the scratch area holds one chunk, not the block
        int big = Bwt.MAX_CHUNK;
        byte[] raw = new byte[big + 70_000];
        SplittableRandom r = new SplittableRandom(12);
        r.nextBytes(raw);
        byte[] tail = text(70_000, 12);
        System.arraycopy(tail, 0, raw, big, tail.length);
        byte[] chunk = sortedChunk(tail, BwtCodec.chainStep(tail.length), 0);
        byte[] block = new byte[16 + 1 + big + chunk.length];
        int o = 0;
        block[o++] = 0;
        o = Varints.put(block, o, raw.length);
        o = Varints.put(block, o, big);
        block[o++] = 0;
        System.arraycopy(raw, 0, block, o, big);
        o += big;
        System.arraycopy(chunk, 0, block, o, chunk.length);
        block = Arrays.copyOf(block, o + chunk.length);
        assertTrue(NativeBwt.scratchSize(block.length, raw.length) < 5L * big + block.length + 4096);
        bothDecode(raw, block, "two chunks, 16 MiB + 70 KB");
    }

    private static byte[] corpus(String set, String name, int max) throws IOException {
        Path p = Path.of(System.getProperty("mmh.corpus", "target/corpus")).resolve(set).resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(p), "corpus file " + p + " is not there");
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes(max);
        }
    }

    @Test
    void corpusDecodesAlike() throws IOException {
        for (String f : new String[] {"dickens", "xml", "nci", "x-ray", "mr", "ooffice"}) {
            roundTrip(corpus("silesia", f, 2 << 20), f);
        }
        roundTrip(corpus("silesia", "reymont", 8 << 20), "reymont");
        roundTrip(corpus("canterbury", "alice29.txt", 1 << 20), "alice29");
    }

    @Test
    void goldenBwtArchivesDecodeAlike() throws IOException {
        byte[] text;
        try (InputStream in = NativeBwtTest.class.getResourceAsStream("/golden/v1/text.bin")) {
            text = in.readAllBytes();
        }
        int blocks = 0;
        for (String name : new String[] {"text-bwt.mmh"}) {
            byte[] archive;
            try (InputStream in = NativeBwtTest.class.getResourceAsStream("/golden/v1/" + name)) {
                archive = in.readAllBytes();
            }
            ArchiveStreamReader r = new ArchiveStreamReader(new ByteArrayInputStream(archive));
            long at = 0;
            for (StoredBlock b; (b = r.next(byte[]::new)) != null; ) {
                assertEquals(BwtCodec.ID, b.header().codecId(), name);
                assertEquals(0, b.header().transformId(), name);
                int raw = (int) b.header().rawSize();
                byte[] block = Arrays.copyOf(b.payload(), (int) b.header().storedSize());
                bothDecode(Arrays.copyOfRange(text, (int) at, (int) at + raw), block, name + " block " + blocks);
                at += raw;
                blocks++;
            }
            assertEquals(text.length, at);
            // and through the engine, which uses the native decoder
            assertArrayEquals(text, dev.mmh.testing.TestData.decompress(archive, 2), name);
        }
        assertEquals(3, blocks);
    }

    /** The valid blocks the damage test starts from. */
    private static List<byte[][]> damageCases() throws IOException {
        List<byte[][]> cases = new ArrayList<>();
        byte[] t = text(70_000, 7); // 16 chains
        cases.add(new byte[][] {t, encode(t)});
        byte[] s = text(9_000, 8);
        try (Compressor c = BwtCodec.newCompressor(4096)) { // three chunks
            cases.add(new byte[][] {s, encode(c, s)});
        }
        byte[] skew = smallAlphabet(5_000, 200, 9); // high ranks
        cases.add(new byte[][] {skew, blockWithStep(skew, 1000)});
        byte[] runs = new byte[30_000];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = (byte) (i / 3000);
        }
        cases.add(new byte[][] {runs, encode(runs)});
        return cases;
    }

    /** Damaged copies of {@code block}: truncated, bits flipped, bytes overwritten, bytes appended. Seeded. */
    private static List<byte[]> damaged(byte[] block, SplittableRandom r) {
        List<byte[]> out = new ArrayList<>();
        int n = block.length;
        for (int len = 0; len < Math.min(n, 48); len++) {
            out.add(Arrays.copyOf(block, len));
        }
        for (int k = 0; k < 40; k++) {
            out.add(Arrays.copyOf(block, r.nextInt(n)));
        }
        for (int pos = 0; pos < Math.min(n, 48); pos++) { // every header bit
            for (int bit = 0; bit < 8; bit++) {
                byte[] b = block.clone();
                b[pos] ^= (byte) (1 << bit);
                out.add(b);
            }
        }
        for (int k = 0; k < 250; k++) {
            byte[] b = block.clone();
            int pos = k < 100 ? n - 1 - r.nextInt(Math.min(n, 64)) : r.nextInt(n); // the tail holds the coder's end
            b[pos] ^= (byte) (1 << r.nextInt(8));
            out.add(b);
        }
        for (int k = 0; k < 100; k++) {
            byte[] b = block.clone();
            for (int f = 1 + r.nextInt(3); f > 0; f--) {
                b[r.nextInt(n)] = (byte) r.nextInt(256);
            }
            out.add(r.nextInt(4) == 0 ? Arrays.copyOf(b, r.nextInt(n)) : b);
        }
        for (int k = 1; k <= 3; k++) {
            out.add(Arrays.copyOf(block, n + k));
        }
        return out;
    }

    @Test
    void damagedBlocksFailOrDecodeAlike() throws IOException {
        SplittableRandom r = new SplittableRandom(23);
        int failed = 0;
        int total = 0;
        for (byte[][] c : damageCases()) {
            byte[] raw = c[0];
            for (byte[] bad : damaged(c[1], r)) {
                // also with a wrong expected size, which the header check must catch on both sides
                int rawLen = r.nextInt(50) == 0 ? raw.length + 1 - r.nextInt(3) : raw.length;
                byte[] j = java(bad, rawLen);
                byte[] nat = nat(bad, rawLen);
                if (j == null) {
                    assertTrue(nat == null, "native decoded a block the Java decoder rejects (length " + bad.length + ")");
                    failed++;
                } else {
                    assertTrue(nat != null, "native rejected a block the Java decoder decodes (length " + bad.length + ")");
                    assertArrayEquals(j, nat, "native and Java decoded a damaged block differently");
                }
                total++;
            }
        }
        assertTrue(failed > total / 2, failed + " of " + total + " damaged blocks failed");
    }

    @Test
    void shortCodedDataFailsOrDecodesAlike() {
        // the range decoder reads zeros past the coded data and gives up more than 4 bytes past it: both sides
        // must draw that line in the same place
        int failed = 0;
        int total = 0;
        SplittableRandom r = new SplittableRandom(31);
        for (int k = 0; k < 12; k++) {
            byte[] raw = k % 3 == 0 ? text(3000 + k, k) : smallAlphabet(500 + 97 * k, 2 + 20 * k, k);
            for (int cut = 1; cut <= 12; cut++) {
                byte[] block = blockWithStep(raw, raw.length, cut);
                for (int rep = 0; rep < 3; rep++) {
                    byte[] bad = block.clone();
                    if (rep > 0) {
                        bad[bad.length - 1 - r.nextInt(Math.min(bad.length - 12, 16))] ^= (byte) (1 << r.nextInt(8));
                    }
                    byte[] j = java(bad, raw.length);
                    byte[] nat = nat(bad, raw.length);
                    if (j == null) {
                        assertTrue(nat == null, "native decoded a short block the Java decoder rejects (cut " + cut + ")");
                        failed++;
                    } else {
                        assertArrayEquals(j, nat, "short block, cut " + cut);
                    }
                    total++;
                }
            }
        }
        assertTrue(failed > 0 && failed < total, failed + " of " + total + " short blocks failed");
    }

    @Test
    void codecThrowsTheJavaDecodersMessageForDamage() throws IOException {
        byte[] raw = text(70_000, 10);
        byte[] block = encode(raw);
        SplittableRandom r = new SplittableRandom(29);
        int checked = 0;
        for (byte[] bad : damaged(block, r)) {
            String javaMessage = null;
            try (Decompressor d = BwtCodec.newJavaDecompressor()) {
                d.decompress(bad, 0, bad.length, new byte[raw.length], 0, raw.length);
            } catch (CorruptDataException e) {
                javaMessage = e.getMessage();
            }
            if (javaMessage == null) {
                continue;
            }
            try (Decompressor d = CODEC.newDecompressor(CodecParams.level(1))) {
                d.decompress(bad, 0, bad.length, new byte[raw.length], 0, raw.length);
                fail("the codec decoded a block the Java decoder rejects");
            } catch (CorruptDataException e) {
                assertEquals(javaMessage, e.getMessage());
                checked++;
            }
        }
        assertTrue(checked > 100, "only " + checked + " damaged blocks");
    }

    @Test
    void badRangesAndClosedContextsAreExceptionsNotCrashes() throws IOException {
        byte[] raw = text(10_000, 11);
        byte[] block = encode(raw);
        byte[] dst = new byte[raw.length];
        NativeHandle context = NativeBwt.open();
        int[][] bad = {{-1, block.length, 0, raw.length}, {1, block.length, 0, raw.length},
            {0, block.length, 1, raw.length}, {0, block.length, -1, raw.length}, {0, -1, 0, raw.length},
            {0, block.length, 0, Integer.MAX_VALUE}};
        for (int[] b : bad) {
            assertThrows(IndexOutOfBoundsException.class,
                    () -> NativeBwt.decode(context, block, b[0], b[1], dst, b[2], b[3], 0), Arrays.toString(b));
        }
        assertEquals(0, NativeBwt.decode(context, block, 0, block.length, dst, 0, raw.length, 0));
        assertArrayEquals(raw, dst);
        assertTrue(NativeBwt.scratchHeld(context) >= NativeBwt.scratchSize(block.length, raw.length));
        context.close();
        context.close();
        assertThrows(IllegalStateException.class,
                () -> NativeBwt.decode(context, block, 0, block.length, dst, 0, raw.length, 0));
        assertThrows(IllegalStateException.class, () -> NativeBwt.scratchHeld(context));
    }

    @Test
    void theScratchGrowsToTheRoomySizeOnceAndIsKeptForSmallerBlocks() throws IOException {
        byte[] big = text(400_000, 12);
        byte[] small = text(20_000, 13);
        byte[] bigBlock = encode(big);
        byte[] smallBlock = encode(small);
        try (NativeHandle context = NativeBwt.open()) {
            assertEquals(0, NativeBwt.scratchHeld(context), "nothing before the first block");
            long roomy = NativeBwt.scratchSize((int) BwtCodec.maxCoded(big.length), big.length);
            assertEquals(0, NativeBwt.decode(context, bigBlock, 0, bigBlock.length, new byte[big.length], 0,
                    big.length, roomy));
            assertEquals(roomy, NativeBwt.scratchHeld(context));
            byte[] out = new byte[small.length];
            assertEquals(0, NativeBwt.decode(context, smallBlock, 0, smallBlock.length, out, 0, small.length, 0));
            assertArrayEquals(small, out);
            assertEquals(roomy, NativeBwt.scratchHeld(context), "a smaller block reuses the scratch");
        }
    }

    @Test
    void oneDecompressorReusesItsScratchAcrossBlockSizes() throws IOException {
        try (Decompressor d = CODEC.newDecompressor(CodecParams.level(1))) {
            for (int n : new int[] {300_000, 5000, 1, 0, 70_000, 1 << 20, 17}) {
                byte[] raw = text(n, n);
                byte[] block = encode(raw);
                byte[] out = new byte[n];
                d.decompress(block, 0, block.length, out, 0, n);
                assertArrayEquals(raw, out, "block of " + n);
            }
        }
    }
}
