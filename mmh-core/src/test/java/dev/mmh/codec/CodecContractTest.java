package dev.mmh.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link Codec} passes, built in or found through {@link java.util.ServiceLoader}
 * (EveryCodecRunsTheContractTest fails the build for a codec without a subclass). A subclass names its codec and
 * supplies a reference: an independent decoder (the system's command-line tool or the library's own other
 * implementation) that must read what this codec writes, and, where one exists, reference-made data that this codec
 * must read. Codecs with native code run it twice in {@code mvn verify}: with their native code, and in the
 * {@code java-loops} execution with every {@code mmh.*.native} switch set to {@code false}
 * ({@link #nativeSwitch()}).
 *
 * <p>Besides round trips and damaged input, the contract holds the rules of {@link Compressor} and {@link
 * Decompressor} for misuse: ranges outside the arrays throw {@link IndexOutOfBoundsException} before anything is
 * written, an output range below the bound is an {@link IOException} or a block that fits, never a write past it,
 * a closed object throws {@link IllegalStateException}, and contexts on several threads give the same bytes.
 */
public abstract class CodecContractTest {
    /** Small enough for every level (xz -9e, brotli 11) to stay fast, big enough to need more than one window. */
    protected static final int SAMPLE = 200_000;

    /** The codec's command-line name; the codec under test is looked up in the registry by it. */
    protected abstract String codecName();

    /**
     * Checks, with an implementation other than the one under test, that {@code compressed} (written by this codec
     * with {@code params}) decodes to {@code raw}.
     */
    protected abstract void assertReferenceDecodes(byte[] compressed, byte[] raw, CodecParams params) throws Exception;

    /** {@code raw} compressed by a reference encoder in this codec's block format; {@code null} if there is none. */
    protected byte[] referenceEncode(byte[] raw) throws Exception {
        return null;
    }

    /** False for a codec that does not compress (store). */
    protected boolean compresses() {
        return true;
    }

    /** Largest share of the corpus text the default level may keep (numeric, made for numbers, keeps more). */
    protected double textRatioLimit() {
        return 0.7;
    }

    /**
     * The system property that, set to {@code false}, keeps this codec's native code out ({@code mmh.xz.native}),
     * or null for a codec without a switch.
     */
    protected String nativeSwitch() {
        return null;
    }

    /** Parameters exercised at every test: the lowest, fast, default and highest levels; subclasses add variants. */
    protected List<CodecParams> paramsUnderTest() {
        Codec c = codec();
        Set<Integer> levels = new LinkedHashSet<>(List.of(c.minLevel(), c.fastLevel(), c.defaultLevel(), c.maxLevel()));
        List<CodecParams> out = new ArrayList<>();
        for (int level : levels) {
            out.add(CodecParams.level(level));
        }
        return out;
    }

    protected final Codec codec() {
        return Codecs.byName(codecName());
    }

    protected final CodecParams defaults() {
        return CodecParams.level(codec().defaultLevel());
    }

    /** Compresses with a fresh compressor into a buffer of exactly {@link Codec#maxCompressedLength(long)}. */
    protected final byte[] compress(CodecParams params, byte[] raw) throws IOException {
        try (Compressor c = codec().newCompressor(params)) {
            return compressWith(c, raw);
        }
    }

    private byte[] compressWith(Compressor c, byte[] raw) throws IOException {
        long bound = codec().maxCompressedLength(raw.length);
        assertTrue(bound >= raw.length, "bound below input size");
        // surround the output with guard bytes to catch writes outside the given range
        byte[] dst = new byte[(int) bound + 32];
        Arrays.fill(dst, (byte) 0x5A);
        int n = c.compress(raw, 0, raw.length, dst, 16, (int) bound);
        assertTrue(n >= 0 && n <= bound, "wrote " + n + " bytes, bound " + bound);
        // a codec may use all of its given range as scratch (zstd does), but nothing beyond it
        for (int i = 16 + (int) bound; i < dst.length; i++) {
            assertEquals((byte) 0x5A, dst[i], "compressor wrote past its output range at " + i);
        }
        for (int i = 0; i < 16; i++) {
            assertEquals((byte) 0x5A, dst[i], "compressor wrote before its output at " + i);
        }
        return Arrays.copyOfRange(dst, 16, 16 + n);
    }

    protected final byte[] decompress(CodecParams params, byte[] compressed, int rawLen) throws IOException {
        try (Decompressor d = codec().newDecompressor(params)) {
            return decompressWith(d, compressed, rawLen);
        }
    }

    private static byte[] decompressWith(Decompressor d, byte[] compressed, int rawLen) throws IOException {
        // place input and output at odd offsets inside larger arrays
        byte[] src = new byte[compressed.length + 7];
        System.arraycopy(compressed, 0, src, 3, compressed.length);
        byte[] dst = new byte[rawLen + 10];
        Arrays.fill(dst, (byte) 0x77);
        d.decompress(src, 3, compressed.length, dst, 5, rawLen);
        for (int i = 0; i < 5; i++) {
            assertEquals((byte) 0x77, dst[i], "decompressor wrote before its output");
        }
        for (int i = 5 + rawLen; i < dst.length; i++) {
            assertEquals((byte) 0x77, dst[i], "decompressor wrote past its output");
        }
        return Arrays.copyOfRange(dst, 5, 5 + rawLen);
    }

    /** Decodes {@code compressed} with {@code d} (a reference decoder), which must give {@code raw}; closes it. */
    protected static void assertDecodesWith(Decompressor d, byte[] compressed, byte[] raw, String what)
            throws IOException {
        try (d) {
            byte[] out = new byte[raw.length];
            d.decompress(compressed, 0, compressed.length, out, 0, raw.length);
            assertArrayEquals(raw, out, what);
        }
    }

    /** Compresses, decompresses, compares; returns the compressed bytes. */
    protected final byte[] roundTrip(CodecParams params, byte[] raw) throws IOException {
        byte[] compressed = compress(params, raw);
        assertArrayEquals(raw, decompress(params, compressed, raw.length), codecName() + " " + params);
        return compressed;
    }

    @Test
    void isRegisteredUnderItsNameAndId() throws Exception {
        Codec c = codec();
        assertEquals(codecName(), c.name());
        assertSame(c, Codecs.byId(c.id()));
        assertTrue(c.minLevel() <= c.fastLevel() && c.fastLevel() <= c.defaultLevel()
                && c.defaultLevel() <= c.maxLevel(), "levels out of order");
    }

    @Test
    void namesItsLibraryAndVersion() {
        String v = codec().libraryVersion();
        assertTrue(v.matches(".*[A-Za-z].* .*\\d.*"), "library version should name library and version: " + v);
        assertFalse(v.contains("unknown"), v);
    }

    @Test
    void roundTripsEmptyInput() throws Exception {
        for (CodecParams p : paramsUnderTest()) {
            byte[] c = roundTrip(p, new byte[0]);
            assertReferenceDecodes(c, new byte[0], p);
        }
    }

    @Test
    void roundTripsOneByte() throws Exception {
        for (CodecParams p : paramsUnderTest()) {
            for (int v : new int[] {0, 'x', 255}) {
                byte[] raw = {(byte) v};
                assertReferenceDecodes(roundTrip(p, raw), raw, p);
            }
        }
    }

    @Test
    void roundTripsAllByteValues() throws Exception {
        byte[] once = new byte[256];
        for (int i = 0; i < 256; i++) {
            once[i] = (byte) i;
        }
        byte[] many = new byte[256 * 300];
        for (int i = 0; i < many.length; i++) {
            many[i] = (byte) (i * 7 + i / 256);
        }
        for (CodecParams p : paramsUnderTest()) {
            roundTrip(p, once);
            assertReferenceDecodes(roundTrip(p, many), many, p);
        }
    }

    @Test
    void roundTripsLongRuns() throws Exception {
        byte[] zeros = new byte[3 << 20];
        byte[] runs = TestData.runs(1 << 20, 42);
        for (CodecParams p : paramsUnderTest()) {
            byte[] cz = roundTrip(p, zeros);
            byte[] cr = roundTrip(p, runs);
            if (compresses()) {
                assertTrue(cz.length < zeros.length / 100, "3 MiB of zeros compressed to " + cz.length + " at " + p);
                assertTrue(cr.length < runs.length / 4, "runs compressed to " + cr.length + " at " + p);
            }
            assertReferenceDecodes(cr, runs, p);
        }
    }

    @Test
    void roundTripsIncompressibleDataWithinTheBound() throws Exception {
        for (CodecParams p : paramsUnderTest()) {
            for (int size : new int[] {1, 100, 65_536, 65_537, 300_001}) {
                byte[] raw = TestData.random(size, size);
                byte[] c = roundTrip(p, raw); // compress() checks the output against maxCompressedLength
                assertReferenceDecodes(c, raw, p);
            }
        }
    }

    @Test
    void roundTripsCorpusText() throws Exception {
        byte[] text = TestData.corpusText(3_000_000);
        assumeTrue(text != null, "corpus not unpacked (system property mmh.corpus)");
        byte[] c = roundTrip(defaults(), text);
        if (compresses()) {
            // lz4's fast level keeps about 60% of English text, the others 25-40%
            assertTrue(c.length < text.length * textRatioLimit(), "text compressed to " + c.length + " of "
                    + text.length);
        }
        assertReferenceDecodes(c, text, defaults());
    }

    @Test
    void everyLevelAtTheExtremesRoundTripsAndMatchesTheReference() throws Exception {
        byte[] raw = TestData.text(SAMPLE);
        for (CodecParams p : paramsUnderTest()) {
            byte[] c = roundTrip(p, raw);
            assertReferenceDecodes(c, raw, p);
        }
    }

    @Test
    void higherLevelsDoNotCompressWorse() throws Exception {
        assumeTrue(compresses());
        Codec c = codec();
        assumeTrue(c.maxLevel() > c.fastLevel(), "one level only");
        byte[] raw = TestData.text(SAMPLE);
        int fast = compress(CodecParams.level(c.fastLevel()), raw).length;
        int max = compress(CodecParams.level(c.maxLevel()), raw).length;
        assertTrue(max < fast, "max level " + max + " bytes, fast level " + fast + " bytes");
    }

    @Test
    void decodesReferenceOutput() throws Exception {
        for (byte[] raw : List.of(new byte[0], TestData.text(SAMPLE), TestData.random(70_000, 7))) {
            byte[] ref = referenceEncode(raw);
            assumeTrue(ref != null, "no reference encoder for " + codecName());
            assertArrayEquals(raw, decompress(defaults(), ref, raw.length));
        }
    }

    @Test
    void heapAndDirectBuffersGiveTheSameBytes() throws Exception {
        byte[] raw = TestData.text(100_000);
        CodecParams p = defaults();
        byte[] expected = compress(p, raw);
        int bound = (int) codec().maxCompressedLength(raw.length);
        for (boolean srcDirect : new boolean[] {false, true}) {
            for (boolean dstDirect : new boolean[] {false, true}) {
                String what = "src " + (srcDirect ? "direct" : "heap") + ", dst " + (dstDirect ? "direct" : "heap");
                ByteBuffer src = slice(alloc(raw.length + 20, srcDirect), 9, raw.length + 3);
                src.put(raw).flip();
                src.position(0);
                ByteBuffer dst = slice(alloc(bound + 30, dstDirect), 11, bound + 5);
                dst.position(2);
                int n;
                try (Compressor c = codec().newCompressor(p)) {
                    n = c.compress(src, dst);
                }
                assertEquals(src.limit(), src.position(), what + ": source not consumed");
                assertEquals(2 + n, dst.position(), what + ": destination position");
                byte[] got = new byte[n];
                dst.flip().position(2);
                dst.get(got);
                assertArrayEquals(expected, got, what + ": compressed bytes differ from the array API");

                ByteBuffer in = slice(alloc(n + 10, dstDirect), 4, n);
                in.put(got).flip();
                ByteBuffer out = slice(alloc(raw.length + 10, srcDirect), 3, raw.length);
                try (Decompressor d = codec().newDecompressor(p)) {
                    d.decompress(in, out);
                }
                assertEquals(in.limit(), in.position(), what + ": compressed input not consumed");
                assertEquals(raw.length, out.position(), what + ": output position");
                byte[] back = new byte[raw.length];
                out.flip();
                out.get(back);
                assertArrayEquals(raw, back, what);
            }
        }
    }

    private static ByteBuffer alloc(int size, boolean direct) {
        return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    }

    /** A view starting {@code off} bytes into {@code b}, so array offsets and addresses are not zero. */
    private static ByteBuffer slice(ByteBuffer b, int off, int len) {
        b.position(off).limit(off + len);
        return b.slice();
    }

    @Test
    void reusedCompressorAndDecompressorMatchFreshOnesAcrossBlockSizes() throws Exception {
        byte[] text = TestData.text(1 << 20);
        byte[] noise = TestData.random(1 << 20, 3);
        int[] sizes = {0, 1, 1000, 70_000, 600_000, 17, 300_000, 0, 5, 65_536, 400_000, 2};
        for (CodecParams p : List.of(CodecParams.level(codec().fastLevel()), defaults())) {
            try (Compressor c = codec().newCompressor(p); Decompressor d = codec().newDecompressor(p)) {
                for (int i = 0; i < sizes.length; i++) {
                    byte[] raw = Arrays.copyOf(i % 3 == 2 ? noise : text, sizes[i]);
                    byte[] reused = compressWith(c, raw);
                    assertArrayEquals(compress(p, raw), reused,
                            "block " + i + " (" + sizes[i] + " bytes): reused compressor differs from a fresh one");
                    assertArrayEquals(raw, decompressWith(d, reused, raw.length), "block " + i);
                }
            }
        }
    }

    @Test
    void rejectsWrongExpectedLength() throws Exception {
        byte[] raw = TestData.text(10_000);
        byte[] c = compress(defaults(), raw);
        try (Decompressor d = codec().newDecompressor(defaults())) {
            for (int wrong : new int[] {raw.length - 1, raw.length + 1, 0, raw.length * 2}) {
                assertThrows(CorruptDataException.class, () -> decompressWith(d, c, wrong),
                        "expected length " + wrong + " instead of " + raw.length);
            }
            // the same decompressor still works after those failures
            assertArrayEquals(raw, decompressWith(d, c, raw.length));
        }
        byte[] empty = compress(defaults(), new byte[0]);
        assertThrows(CorruptDataException.class, () -> decompress(defaults(), empty, 1));
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void rejectsEveryTruncation() throws Exception {
        for (byte[] raw : List.of(TestData.text(20_000), TestData.random(3_000, 11), new byte[] {42})) {
            byte[] c = compress(defaults(), raw);
            try (Decompressor d = codec().newDecompressor(defaults())) {
                for (int len = 0; len < c.length; len += len < 600 ? 1 : 1 + len / 50) {
                    byte[] cut = Arrays.copyOf(c, len);
                    Throwable t = outcome(d, cut, raw.length);
                    assertTrue(t instanceof CorruptDataException || t instanceof LimitExceededException,
                            "truncated to " + len + " of " + c.length + " bytes: " + describe(t));
                }
                assertArrayEquals(raw, decompressWith(d, c, raw.length), "decompressor unusable after failures");
            }
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void bitFlipsFailOnlyWithCorruptDataException() throws Exception {
        byte[] raw = TestData.text(20_000);
        byte[] c = compress(defaults(), raw);
        Random r = new Random(1234);
        int detected = 0;
        int trials = 400;
        try (Decompressor d = codec().newDecompressor(defaults())) {
            for (int i = 0; i < trials; i++) {
                byte[] bad = c.clone();
                // half the flips hit the first bytes, where the headers and tables are
                int pos = i % 2 == 0 ? r.nextInt(Math.min(bad.length, 64)) : r.nextInt(bad.length);
                bad[pos] ^= (byte) (1 << r.nextInt(8));
                Throwable t = outcome(d, bad, raw.length);
                if (t != null) {
                    assertAllowed(t, "bit flip at " + pos);
                    detected++;
                }
            }
            assertArrayEquals(raw, decompressWith(d, c, raw.length), "decompressor unusable after failures");
        }
        if (compresses()) {
            assertTrue(detected > 0, "no bit flip out of " + trials + " was detected by the decoder");
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void garbageInputFailsOnlyWithCorruptDataException() throws Exception {
        Random r = new Random(99);
        try (Decompressor d = codec().newDecompressor(defaults())) {
            for (int i = 0; i < 300; i++) {
                byte[] junk = TestData.random(r.nextInt(i < 100 ? 16 : 4096), i);
                int rawLen = r.nextInt(100_000);
                Throwable t = outcome(d, junk, rawLen);
                if (t != null) {
                    assertAllowed(t, "garbage of " + junk.length + " bytes");
                }
            }
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void damagedInputInDirectBuffersFailsOnlyWithCorruptDataException() throws Exception {
        byte[] raw = TestData.text(20_000);
        byte[] c = compress(defaults(), raw);
        Random r = new Random(77);
        int detected = 0;
        try (Decompressor d = codec().newDecompressor(defaults())) {
            for (int i = 0; i < 200; i++) {
                byte[] bad = i % 2 == 0 ? Arrays.copyOf(c, r.nextInt(c.length)) : c.clone();
                if (i % 2 == 1) {
                    bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
                }
                ByteBuffer in = ByteBuffer.allocateDirect(bad.length);
                in.put(bad).flip();
                ByteBuffer out = ByteBuffer.allocateDirect(raw.length);
                try {
                    d.decompress(in, out);
                } catch (CorruptDataException | LimitExceededException e) {
                    detected++;
                } catch (Throwable t) {
                    fail("damaged input " + i + " in a direct buffer: " + describe(t), t);
                }
            }
        }
        if (compresses()) {
            assertTrue(detected >= 100, "only " + detected + " of 200 damaged inputs detected (100 truncations)");
        }
    }

    /** Decodes and returns what was thrown, or null if decoding succeeded (with whatever bytes). */
    private static Throwable outcome(Decompressor d, byte[] compressed, int rawLen) {
        try {
            decompressWith(d, compressed, rawLen);
            return null;
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable t) {
            return t;
        }
    }

    private static void assertAllowed(Throwable t, String what) {
        if (!(t instanceof CorruptDataException || t instanceof LimitExceededException)) {
            fail(what + ": " + describe(t), t);
        }
    }

    private static String describe(Throwable t) {
        return t == null ? "decoded without error" : t.getClass().getName() + ": " + t.getMessage();
    }

    @Test
    void theNativeSwitchKeepsTheCodecInJava() {
        String property = nativeSwitch();
        assumeTrue(property != null, "no native switch");
        if ("false".equalsIgnoreCase(System.getProperty(property))) {
            assertFalse(codec().isNative(), "-D" + property + "=false, yet " + codec().libraryVersion());
        }
    }

    private static final int[][] BAD_RANGES = {
        // srcOff, srcLen, dstOff, dstLen, relative to arrays of 100 and 200 bytes
        {-1, 10, 0, 200}, {0, -1, 0, 200}, {95, 10, 0, 200}, {101, 0, 0, 200}, {Integer.MAX_VALUE, 2, 0, 200},
        {0, 10, -1, 200}, {0, 10, 0, -1}, {0, 10, 1, 200}, {0, 10, 201, 0}, {0, 10, 100, Integer.MAX_VALUE}};

    @Test
    void rangesOutsideTheArraysThrowIndexOutOfBoundsBeforeAnythingIsWritten() throws Exception {
        byte[] raw = TestData.text(100);
        byte[] block = compress(defaults(), raw);
        byte[] in = Arrays.copyOf(block, 100); // the block, padded: long enough for every range that is in bounds
        try (Compressor c = codec().newCompressor(defaults()); Decompressor d = codec().newDecompressor(defaults())) {
            for (int[] r : BAD_RANGES) {
                String what = Arrays.toString(r);
                byte[] dst = new byte[200];
                Arrays.fill(dst, (byte) 0x33);
                assertThrows(IndexOutOfBoundsException.class, () -> c.compress(raw, r[0], r[1], dst, r[2], r[3]),
                        "compress " + what);
                assertThrows(IndexOutOfBoundsException.class, () -> d.decompress(in, r[0], r[1], dst, r[2], r[3]),
                        "decompress " + what);
                for (byte b : dst) {
                    assertEquals((byte) 0x33, b, what + ": written before the range check");
                }
            }
            // and they still work
            assertArrayEquals(block, compressWith(c, raw));
            assertArrayEquals(raw, decompressWith(d, block, raw.length));
        }
    }

    @Test
    void roomBelowTheBoundIsAnIOExceptionOrABlockThatFitsNeverAWritePastIt() throws Exception {
        for (byte[] raw : List.of(TestData.random(20_000, 4), TestData.text(20_000))) {
            int full = compress(defaults(), raw).length;
            try (Compressor c = codec().newCompressor(defaults())) {
                for (int room : new int[] {0, 1, 7, full / 2, full - 1, full}) {
                    byte[] dst = new byte[room + 64];
                    Arrays.fill(dst, (byte) 0x5A);
                    int n;
                    try {
                        n = c.compress(raw, 0, raw.length, dst, 16, room);
                    } catch (IOException e) {
                        n = -1;
                    } catch (RuntimeException e) {
                        throw new AssertionError("room " + room + ": " + describe(e), e);
                    }
                    for (int i = 0; i < 16; i++) {
                        assertEquals((byte) 0x5A, dst[i], "room " + room + ": written before the output");
                    }
                    for (int i = 16 + room; i < dst.length; i++) {
                        assertEquals((byte) 0x5A, dst[i], "room " + room + ": written past the room, at " + i);
                    }
                    if (n >= 0) {
                        assertTrue(n <= room, "wrote " + n + " into " + room);
                        assertArrayEquals(raw, decompress(defaults(), Arrays.copyOfRange(dst, 16, 16 + n),
                                raw.length), "a block that fitted in " + room);
                    }
                }
                // the compressor still works after those failures
                assertArrayEquals(raw, decompress(defaults(), compressWith(c, raw), raw.length));
            }
        }
    }

    @Test
    void useAfterCloseThrowsIllegalStateAndCloseIsIdempotent() throws Exception {
        byte[] raw = TestData.text(5_000);
        byte[] block = compress(defaults(), raw);
        Compressor c = codec().newCompressor(defaults());
        Decompressor d = codec().newDecompressor(defaults());
        compressWith(c, raw);
        decompressWith(d, block, raw.length);
        c.close();
        c.close();
        d.close();
        d.close();
        byte[] dst = new byte[(int) codec().maxCompressedLength(raw.length)];
        assertThrows(IllegalStateException.class, () -> c.compress(raw, 0, raw.length, dst, 0, dst.length));
        assertThrows(IllegalStateException.class, () -> d.decompress(block, 0, block.length, dst, 0, raw.length));
        ByteBuffer src = ByteBuffer.allocateDirect(block.length).put(block).flip();
        ByteBuffer out = ByteBuffer.allocateDirect(raw.length);
        assertThrows(IllegalStateException.class, () -> d.decompress(src, out));
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void contextsOnSeveralThreadsGiveTheSameBytes() throws Exception {
        // per-context scratch, whatever the thread: every thread's own compressor and decompressor agree
        byte[] raw = TestData.text(300_000);
        byte[] expected = compress(defaults(), raw);
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<String>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    try (Compressor c = codec().newCompressor(defaults());
                            Decompressor d = codec().newDecompressor(defaults())) {
                        for (int round = 0; round < 3; round++) {
                            if (!Arrays.equals(expected, compressWith(c, raw))) {
                                return "compressed bytes differ in round " + round;
                            }
                            if (!Arrays.equals(raw, decompressWith(d, expected, raw.length))) {
                                return "decoded bytes differ in round " + round;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<String> f : results) {
                assertEquals(null, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
