package dev.mmh.codec.xz;

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
import dev.mmh.io.NativeLibraries;
import dev.mmh.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The liblzma block decoder ({@link NativeXz}, mmhxz.c) against XZ for Java: the same bytes for every valid
 * block, a {@link CorruptDataException} from both for damaged ones, nothing written outside the destination,
 * and no crash on random damage. Skipped only where {@code libmmhxz.so} was not built (no liblzma headers).
 */
class XzNativeTest {
    private static final XzCodec CODEC = new XzCodec();
    private static final int GUARD = 9;

    @BeforeEach
    void nativeDecoderBuilt() {
        Assumptions.assumeTrue(NativeXz.class.getResource(NativeLibraries.XZ) != null,
                "libmmhxz.so was not built (no lzma.h at build time)");
        Assumptions.assumeFalse("false".equalsIgnoreCase(System.getProperty(NativeXz.DISABLE_PROPERTY)),
                "run with -D" + NativeXz.DISABLE_PROPERTY + "=false");
        // built but not loading is a failure, not a reason to skip
        assertNull(NativeXz.loadError(), "libmmhxz.so was built but is not in use");
    }

    /** Outcome of one decode: the bytes, or the failure's message. */
    private record Result(byte[] bytes, String error) {
        boolean ok() {
            return error == null;
        }
    }

    /**
     * Decodes {@code block} from the middle of a larger array into the middle of another, with a fresh or a given
     * decompressor; bytes around the destination must stay untouched, and the only failure allowed is
     * CorruptDataException.
     */
    private static Result decode(Decompressor d, byte[] block, int rawLen) {
        byte[] src = new byte[block.length + 2 * GUARD];
        Arrays.fill(src, (byte) 0x5A);
        System.arraycopy(block, 0, src, GUARD, block.length);
        byte[] dst = new byte[rawLen + 2 * GUARD];
        Arrays.fill(dst, (byte) 0xA5);
        String error = null;
        try {
            d.decompress(src, GUARD, block.length, dst, GUARD, rawLen);
        } catch (CorruptDataException e) {
            error = e.getMessage();
            assertNotNull(error);
        } catch (Throwable e) {
            throw new AssertionError("not a CorruptDataException: " + e, e);
        }
        for (int k = 0; k < GUARD; k++) {
            assertEquals((byte) 0xA5, dst[k], "written before the destination");
            assertEquals((byte) 0xA5, dst[GUARD + rawLen + k], "written after the destination");
        }
        return new Result(error == null ? Arrays.copyOfRange(dst, GUARD, GUARD + rawLen) : null, error);
    }

    private static Result java(byte[] block, int rawLen) {
        return decode(XzCodec.newJavaDecompressor(), block, rawLen);
    }

    private static Result nat(byte[] block, int rawLen) {
        try (Decompressor d = nativeDecompressor()) {
            return decode(d, block, rawLen);
        }
    }

    private static Decompressor nativeDecompressor() {
        Decompressor d = CODEC.newDecompressor(CodecParams.level(6));
        assertEquals("NativeDecompressor", d.getClass().getSimpleName());
        return d;
    }

    private static byte[] encode(byte[] raw, CodecParams p) throws IOException {
        try (Compressor c = CODEC.newCompressor(p)) {
            byte[] out = new byte[(int) CODEC.maxCompressedLength(raw.length)];
            return Arrays.copyOf(out, c.compress(raw, 0, raw.length, out, 0, out.length));
        }
    }

    private static byte[] encode(byte[] raw) throws IOException {
        return encode(raw, CodecParams.level(6));
    }

    /** Both decoders give {@code raw} back from {@code block}. */
    private static void bothDecode(byte[] raw, byte[] block, String what) {
        Result j = java(block, raw.length);
        Result n = nat(block, raw.length);
        assertTrue(j.ok(), what + ": Java decoder: " + j.error());
        assertTrue(n.ok(), what + ": native decoder: " + n.error());
        assertArrayEquals(raw, j.bytes(), what + ": Java decoder");
        assertArrayEquals(raw, n.bytes(), what + ": native decoder");
    }

    /** Both decoders reject {@code block} as a block of {@code rawLen} bytes; returns the native message. */
    private static String bothReject(byte[] block, int rawLen, String what) {
        Result j = java(block, rawLen);
        Result n = nat(block, rawLen);
        assertTrue(!j.ok(), what + ": the Java decoder accepted it");
        assertTrue(!n.ok(), what + ": the native decoder accepted it");
        return n.error();
    }

    /** Both decoders agree: the same bytes, or both reject. */
    private static void agree(byte[] block, int rawLen, String what) {
        Result j = java(block, rawLen);
        Result n = nat(block, rawLen);
        assertEquals(j.ok(), n.ok(), () -> what + ": Java " + (j.ok() ? "accepted" : "rejected (" + j.error() + ")")
                + ", native " + (n.ok() ? "accepted" : "rejected (" + n.error() + ")"));
        if (j.ok()) {
            assertArrayEquals(j.bytes(), n.bytes(), what);
        }
    }

    @Test
    void libraryIsBuiltWhereLiblzmaHeadersAre() {
        Assumptions.assumeTrue(NativeXz.class.getResource(NativeLibraries.CORE) != null, "no native build at all");
        if (Files.isRegularFile(Path.of("/usr/include/lzma.h"))) {
            assertNotNull(NativeXz.class.getResource(NativeLibraries.XZ),
                    "lzma.h is installed and libmmhcore.so was built, but libmmhxz.so was not: see build.sh's output");
        }
        assertTrue(CODEC.isNative());
        assertTrue(CODEC.libraryVersion().contains("liblzma " + NativeXz.LIBLZMA_VERSION), CODEC.libraryVersion());
        assertTrue(Codecs.byName("xz").isNative());
    }

    @Test
    void falseDisablePropertyKeepsTheLibraryOut() {
        String property = "mmh.test.xz.native.disabled";
        System.setProperty(property, "false");
        try {
            String why = NativeLibraries.load(NativeXz.class, NativeLibraries.XZ, property);
            assertNotNull(why);
            assertTrue(why.startsWith("disabled"), why);
        } finally {
            System.clearProperty(property);
        }
    }

    /** In a JVM started with -Dmmh.xz.native=false the codec decodes with XZ for Java, and says so. */
    @Test
    void disabledPropertyDecodesInJava() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-D" + NativeXz.DISABLE_PROPERTY + "=false", DisabledProbe.class.getName())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("native=false decoder=XzDecompressor ok"), text);
        assertTrue(text.contains("disabled by -D" + NativeXz.DISABLE_PROPERTY + "=false"), text);
    }

    /** Run by {@link #disabledPropertyDecodesInJava} in a child JVM. */
    static final class DisabledProbe {
        public static void main(String[] args) throws Exception {
            XzCodec codec = new XzCodec();
            byte[] raw = TestData.text(100_000, 1);
            byte[] block = encode(raw);
            byte[] back = new byte[raw.length];
            try (Decompressor d = codec.newDecompressor(CodecParams.level(6))) {
                d.decompress(block, 0, block.length, back, 0, raw.length);
                System.out.println("native=" + codec.isNative() + " decoder=" + d.getClass().getSimpleName()
                        + (Arrays.equals(raw, back) ? " ok" : " WRONG"));
            }
            System.out.println(codec.libraryVersion());
        }
    }

    @Test
    void sizesAroundTheLimitsDecodeAlike() throws IOException {
        // empty, below liblzma's 4 KiB minimum dictionary, and on both sides of LZMA2's 64 KiB uncompressed chunks
        // and 2 MiB compressed-chunk limit, for compressible and incompressible data
        int[] sizes = {0, 1, 2, 100, 4095, 4096, 4097, 65535, 65536, 65537, 2 * 65536, 3 * 65536 + 1,
            (1 << 21) - 1, 1 << 21, (1 << 21) + 1};
        for (int n : sizes) {
            CodecParams p = CodecParams.level(n < 100_000 ? 6 : 1); // the fast encoder for the large ones
            bothDecode(TestData.text(n, n), encode(TestData.text(n, n), p), "text of " + n);
            bothDecode(TestData.random(n, n), encode(TestData.random(n, n), p), "random of " + n);
        }
    }

    @Test
    void levelsAndDictionariesDecodeAlike() throws IOException {
        byte[] raw = mixed(700_000, 3);
        for (CodecParams p : List.of(CodecParams.level(0), CodecParams.level(1), CodecParams.level(6),
                new CodecParams(9, 0, CodecParams.EXTREME), new CodecParams(6, 16, 0), new CodecParams(6, 12, 0))) {
            bothDecode(raw, encode(raw, p), p.toString());
        }
    }

    @Test
    void corpusDecodesAlike() throws IOException {
        Path silesia = TestData.corpus().resolve("silesia");
        // samba and ooffice are the files whose --max blocks are xz; 8 MiB is the default block size
        byte[] samba = head(silesia.resolve("samba"), 8 << 20);
        bothDecode(samba, encode(samba, CodecParams.level(1)), "samba");
        for (String f : List.of("ooffice", "xml", "mr", "x-ray")) {
            byte[] raw = head(silesia.resolve(f), 1 << 20);
            bothDecode(raw, encode(raw, CodecParams.level(6)), f);
        }
        byte[] alice = Files.readAllBytes(TestData.corpus().resolve("canterbury").resolve("alice29.txt"));
        bothDecode(alice, encode(alice, new CodecParams(9, 0, CodecParams.EXTREME)), "alice29 -9e");
    }

    @Test
    void oneDecompressorDecodesBlocksOfChangingSizes() throws IOException {
        // the handle keeps its dictionary for smaller blocks (up to 8 MiB always): they decode in it, larger ones
        // grow it
        int[] sizes = {300_000, 5_000, 2_000_000, 0, 4095, 2_000_000, 70_000, 3_000_000, 1};
        try (Decompressor d = nativeDecompressor()) {
            for (int i = 0; i < sizes.length; i++) {
                byte[] raw = mixed(sizes[i], i);
                byte[] block = encode(raw, CodecParams.level(1));
                Result r = decode(d, block, raw.length);
                assertTrue(r.ok(), sizes[i] + ": " + r.error());
                assertArrayEquals(raw, r.bytes(), "block " + i + " of " + sizes[i] + " bytes");
                // a damaged block between good ones leaves the handle usable
                byte[] bad = block.clone();
                bad[bad.length / 2] ^= 0x40;
                decode(d, bad, raw.length);
            }
        }
    }

    @Test
    void wrongSizesTruncationAndTrailingBytesAreRejected() throws IOException {
        for (int n : new int[] {0, 1, 5000, 65536, 200_000}) {
            byte[] raw = mixed(n, n);
            byte[] block = encode(raw);
            assertEquals(0, block[block.length - 1], "an LZMA2 stream ends with its end marker");
            if (n > 0) {
                String m = bothReject(block, n - 1, "rawLen one short, " + n);
                assertTrue(m.contains("more than " + (n - 1)), m);
            }
            String m = bothReject(block, n + 1, "rawLen one long, " + n);
            assertTrue(m.contains("ended after " + n + " of " + (n + 1)), m);
            m = bothReject(Arrays.copyOf(block, block.length - 1), n, "end marker missing, " + n);
            assertTrue(m.contains("before the end marker"), m);
            for (int extra : new int[] {1, 2, 100}) {
                m = bothReject(Arrays.copyOf(block, block.length + extra), n, extra + " zero bytes after, " + n);
                assertTrue(m.contains(extra + " bytes after its end marker"), m);
            }
            byte[] twice = Arrays.copyOf(block, 2 * block.length);
            System.arraycopy(block, 0, twice, block.length, block.length);
            bothReject(twice, n, "the block twice, " + n);
            bothReject(twice, 2 * n, "the block twice as one of twice the size, " + n);
            if (n > 0) {
                bothReject(new byte[0], n, "no data");
            }
        }
        for (int cut = 0; cut < 300; cut++) { // every short prefix of a small block
            byte[] raw = TestData.text(3000, 7);
            byte[] block = encode(raw);
            if (cut < block.length) {
                bothReject(Arrays.copyOf(block, cut), raw.length, "cut at " + cut);
            }
        }
    }

    @Test
    void malformedHeadersAreRejected() throws IOException {
        byte[] raw = TestData.text(10_000, 2);
        byte[] block = encode(raw);
        // the first chunk must reset the dictionary; 0x02 (uncompressed, no reset) and 0x80 (LZMA, no reset) do not
        for (int control : new int[] {0x02, 0x03, 0x80, 0xA0, 0xC0}) {
            byte[] b = block.clone();
            b[0] = (byte) control;
            bothReject(b, raw.length, "first control byte " + Integer.toHexString(control));
        }
        byte[] b = block.clone();
        assertTrue((b[0] & 0xFF) >= 0xE0, "first chunk is LZMA with properties");
        b[5] = (byte) 225; // lc/lp/pb properties byte: 225 is past the largest valid (9 * 5 * 5 - 1 = 224)
        bothReject(b, raw.length, "properties byte 225");
        b[5] = (byte) (4 * 9 * 5 + 1 * 9 + 1); // pb=4 lp=1 lc=1 is valid for LZMA, but LZMA2 needs lc+lp <= 4: fine
        agree(b, raw.length, "other properties");
        b = block.clone();
        b[5] = (byte) (2 * 45 + 1 * 9 + 4); // lc=4 lp=1: lc + lp > 4, which LZMA2 forbids
        bothReject(b, raw.length, "lc + lp > 4");
        bothReject(new byte[] {0x01, 0x00, 0x00}, 1, "uncompressed chunk with no data");
        bothReject(new byte[] {(byte) 0xFF}, 1, "one control byte only");
    }

    /** Random damage: never a crash, never an exception but CorruptDataException, and the two decoders agree. */
    @Test
    void randomDamageNeverCrashesAndBothAgree() throws IOException {
        List<byte[]> raws = new ArrayList<>();
        raws.add(TestData.text(20_000, 11));
        raws.add(mixed(150_000, 12));
        raws.add(TestData.random(70_000, 13));
        raws.add(new byte[0]);
        SplittableRandom r = new SplittableRandom(2024);
        try (Decompressor d = nativeDecompressor()) {
            for (byte[] raw : raws) {
                byte[] block = encode(raw);
                for (int round = 0; round < 400; round++) {
                    byte[] bad = damage(block, r);
                    int rawLen = r.nextInt(8) == 0 ? Math.max(0, raw.length + r.nextInt(-3, 4)) : raw.length;
                    String what = "round " + round + " of a " + raw.length + "-byte block";
                    agree(bad, rawLen, what);
                    Result reused = decode(d, bad, rawLen); // the same through one long-lived handle
                    Result fresh = java(bad, rawLen);
                    assertEquals(fresh.ok(), reused.ok(), what + " (reused handle)");
                }
            }
        }
    }

    @Test
    void garbageNeverCrashes() {
        SplittableRandom r = new SplittableRandom(77);
        try (Decompressor d = nativeDecompressor()) {
            for (int round = 0; round < 2000; round++) {
                byte[] junk = new byte[r.nextInt(6, 300)];
                r.nextBytes(junk);
                if (r.nextBoolean()) {
                    junk[0] = (byte) (0xE0 | r.nextInt(32)); // a plausible first chunk header
                    junk[5] = (byte) r.nextInt(225);
                }
                int rawLen = r.nextInt(0, 100_000);
                Result n = decode(d, junk, rawLen);
                Result j = java(junk, rawLen);
                assertEquals(j.ok(), n.ok(), "round " + round + ": Java " + j.error() + ", native " + n.error());
            }
        }
    }

    @Test
    void closedAndLeakedDecompressorsAreSafe() throws Exception {
        byte[] raw = TestData.text(50_000, 5);
        byte[] block = encode(raw);
        Decompressor d = nativeDecompressor();
        assertArrayEquals(raw, decode(d, block, raw.length).bytes());
        d.close();
        d.close();
        byte[] out = new byte[raw.length];
        assertThrows(IllegalStateException.class, () -> d.decompress(block, 0, block.length, out, 0, raw.length),
                "after close()");
        // dropped unclosed: the Cleaner frees them, with no crash
        for (int i = 0; i < 200; i++) {
            Decompressor leaked = nativeDecompressor();
            assertTrue(decode(leaked, block, raw.length).ok());
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        try (Decompressor again = nativeDecompressor()) {
            assertArrayEquals(raw, decode(again, block, raw.length).bytes());
        }
    }

    @Test
    void closingWhileAnotherThreadDecodesLetsThatDecodeFinish() throws Exception {
        // the liblzma stream is freed when the running decode returns, not under it (it was freed at once)
        byte[] raw = mixed(6_000_000, 17);
        byte[] block = encode(raw, CodecParams.level(1));
        for (int round = 0; round < 8; round++) {
            Decompressor d = nativeDecompressor();
            byte[] out = new byte[raw.length];
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            Object[] result = new Object[1];
            Thread t = new Thread(() -> {
                started.countDown();
                try {
                    d.decompress(block, 0, block.length, out, 0, raw.length);
                    result[0] = "ok";
                } catch (Throwable e) {
                    result[0] = e;
                }
            });
            t.start();
            started.await();
            Thread.sleep(round * 7L);
            d.close();
            t.join();
            if ("ok".equals(result[0])) {
                assertArrayEquals(raw, out, "round " + round);
            } else {
                assertTrue(result[0] instanceof IllegalStateException, "round " + round + ": " + result[0]);
            }
        }
    }

    @Test
    void badRangesAreIndexOutOfBoundsLikeInJava() throws IOException {
        byte[] raw = TestData.text(1000, 3);
        byte[] block = encode(raw);
        byte[] dst = new byte[raw.length];
        for (Decompressor d : List.of(nativeDecompressor(), XzCodec.newJavaDecompressor())) {
            try (d) {
                assertThrows(IndexOutOfBoundsException.class,
                        () -> d.decompress(block, 1, block.length, dst, 0, raw.length));
                assertThrows(IndexOutOfBoundsException.class,
                        () -> d.decompress(block, 0, block.length, dst, 1, raw.length));
                assertThrows(IndexOutOfBoundsException.class,
                        () -> d.decompress(block, -1, block.length, dst, 0, raw.length));
            }
        }
    }

    @Test
    void theCChecksItsArgumentsToo() throws Exception {
        // the private natives, called past NativeXz's checks: the C throws rather than reach outside an array
        java.lang.reflect.Method decode = dev.mmh.testing.NativeCalls.privateNative(NativeXz.class, "decode0",
                long.class, byte[].class, int.class, int.class, byte[].class, int.class, int.class, int.class);
        byte[] raw = TestData.text(1000, 3);
        byte[] block = encode(raw);
        dev.mmh.io.NativeHandle handle = NativeXz.open();
        long h = handle.acquire();
        try {
            assertCThrows(IllegalStateException.class, decode, 0L, block, 0, block.length, new byte[raw.length], 0,
                    raw.length, 4096);
            assertCThrows(IllegalArgumentException.class, decode, h, block, 1, block.length, new byte[raw.length], 0,
                    raw.length, 4096);
            assertCThrows(IllegalArgumentException.class, decode, h, block, 0, block.length, new byte[10], 0,
                    raw.length, 4096);
            assertCThrows(IllegalArgumentException.class, decode, h, block, 0, block.length, new byte[raw.length], 0,
                    raw.length, 100);
            assertEquals(0, (int) (Integer) decode.invoke(null, h, block, 0, block.length, new byte[raw.length], 0,
                    raw.length, 4096));
        } finally {
            handle.release();
            handle.close();
        }
    }

    private static void assertCThrows(Class<? extends Throwable> type, java.lang.reflect.Method m, Object... args) {
        dev.mmh.testing.NativeCalls.assertThrowsFromC(type, "mmhxz: ", m, args);
    }

    @Test
    void aDecoderKeepsNoMoreThanTwiceTheLastBlocksDictionaryAbove8MiB() throws Exception {
        // 20 MiB of runs (quick to code at level 0), then blocks that need less: the 20 MiB dictionary is freed
        // for a block that needs less than half of it, an 8 MiB one is kept for any smaller block
        byte[] big = dev.mmh.codec.TestData.runs(20 << 20, 4);
        byte[] bigBlock = encode(big, CodecParams.level(0));
        int[] next = {12 << 20, 9 << 20, 1 << 20, 8 << 20, 100_000, 3 << 20};
        // 20 MiB kept for 12 (at most twice it); freed for 9 (less than half), and 9 for 1; 8 MiB kept for less
        long[] heldNative = {20 << 20, 9 << 20, 1 << 20, 8 << 20, 8 << 20, 8 << 20};
        XzCodec.NativeDecompressor nat = (XzCodec.NativeDecompressor) nativeDecompressor();
        XzCodec.XzDecompressor java = (XzCodec.XzDecompressor) XzCodec.newJavaDecompressor();
        try (nat; java) {
            for (Decompressor d : List.of(nat, java)) {
                assertArrayEquals(big, decode(d, bigBlock, big.length).bytes());
            }
            assertEquals(20 << 20, nat.dictionaryHeld());
            assertEquals(20 << 20, java.dictionaryHeld());
            for (int i = 0; i < next.length; i++) {
                byte[] raw = dev.mmh.codec.TestData.runs(next[i], i);
                byte[] block = encode(raw, CodecParams.level(0));
                for (Decompressor d : List.of(nat, java)) {
                    assertArrayEquals(raw, decode(d, block, raw.length).bytes(), "block " + i);
                }
                assertEquals(heldNative[i], nat.dictionaryHeld(), "liblzma, after a block of " + next[i]);
                assertEquals(heldNative[i], java.dictionaryHeld(), "XZ for Java, after a block of " + next[i]);
            }
        }
    }

    @Test
    void threadsDecodeInParallel() throws Exception {
        byte[] raw = mixed(1_500_000, 9);
        byte[] block = encode(raw);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                try (Decompressor d = nativeDecompressor()) {
                    for (int i = 0; i < 5; i++) {
                        assertArrayEquals(raw, decode(d, block, raw.length).bytes());
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        if (!failures.isEmpty()) {
            fail(failures.get(0));
        }
    }

    /** One of several kinds of damage to a copy of {@code block}. */
    private static byte[] damage(byte[] block, SplittableRandom r) {
        byte[] b = block.clone();
        if (b.length == 0) {
            return new byte[] {(byte) r.nextInt(256)};
        }
        switch (r.nextInt(6)) {
            case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            case 1 -> {
                for (int k = r.nextInt(1, 8); k > 0; k--) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length));
            case 3 -> {
                int at = r.nextInt(b.length);
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, at);
                c[at] = (byte) r.nextInt(256);
                System.arraycopy(b, at, c, at + 1, b.length - at);
                b = c;
            }
            case 4 -> { // a chunk header near the start: sizes and control bytes
                b[r.nextInt(Math.min(6, b.length))] ^= (byte) (1 << r.nextInt(8));
            }
            default -> {
                int at = r.nextInt(b.length);
                int len = Math.min(b.length - at, r.nextInt(1, 64));
                System.arraycopy(b, at, b, r.nextInt(b.length - len + 1), len);
            }
        }
        return b;
    }

    /** Text with incompressible stretches: both LZMA and uncompressed chunks. */
    private static byte[] mixed(int n, long seed) {
        byte[] b = TestData.text(n, seed);
        SplittableRandom r = new SplittableRandom(seed);
        for (int at = 0; at + 1 < n; at += 1 + r.nextInt(200_000)) {
            byte[] noise = TestData.random(Math.min(n - at, r.nextInt(1, 100_000)), seed + at);
            System.arraycopy(noise, 0, b, at, noise.length);
        }
        return b;
    }

    private static byte[] head(Path file, int max) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return Arrays.copyOf(all, Math.min(max, all.length));
    }
}
