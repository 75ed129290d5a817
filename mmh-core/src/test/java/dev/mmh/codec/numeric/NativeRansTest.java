package dev.mmh.codec.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mmh.CorruptDataException;
import dev.mmh.testing.NativeCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The C coders of formats 0x01 and 0x03 write exactly the Java coders' bytes and decode exactly as they do, damaged
 * input included (same exception, same message, or the same output), with the AVX-512 loops and with the scalar
 * ones.
 */
class NativeRansTest {
    /** Format-03 layouts: element size, rotate, exponent shift, second-byte context shift. */
    static final int[][] LANE_LAYOUTS = {{4, 1, 0, 1}, {2, 1, 0, 1}, {2, 1, 3, 3}, {2, 0, 0, 0}, {4, 0, 2, 5},
        {4, 1, 7, 7}, {2, 1, 5, 0}};

    private final RansModel ransJava = new RansModel(false);
    private final RansModel ransNative = new RansModel(true);
    private final LanesModel lanesJava = new LanesModel(false);
    private final LanesModel lanesNative = new LanesModel(true);
    private final NativeRans.Context context = new NativeRans.Context();

    @AfterEach
    void simdBackOn() {
        if (NativeRans.AVAILABLE) {
            NativeRans.simd(1);
        }
        context.close();
    }

    @Test
    void theNativeCoderIsBuiltAndLoaded() {
        // the build compiles it wherever gcc is; without it mmh is slower, not wrong
        assertNull(NativeRans.loadError(), "native numeric coder");
    }

    @Test
    void thisMachineRunsTheAvx512Loops() throws IOException {
        // the speed figures in docs/TRANSFORMS.md assume them; a CPU without AVX-512 runs the scalar loops
        Assumptions.assumeTrue(Files.readString(Path.of("/proc/cpuinfo")).contains(" avx512bw"), "no AVX-512 here");
        assertEquals(1, NativeRans.simd(1));
    }

    private int encodeJava(int format, byte[] raw, int off, int len, int[] layout, byte[] dst, int o, int limit) {
        return format == 1 ? ransJava.encodeJava(raw, off, len, layout, dst, o, limit)
                : lanesJava.encodeJava(raw, off, len, layout, dst, o, limit);
    }

    private void decodeJava(byte[] in, int off, int len, byte[] dst, int dstOff, int rawLen)
            throws CorruptDataException {
        if (len > 0 && in[off] == LanesModel.VERSION) {
            lanesJava.decodeJava(in, off, len, dst, dstOff, rawLen);
        } else {
            ransJava.decodeJava(in, off, len, dst, dstOff, rawLen);
        }
    }

    /** Codes raw[off, off+len) in Java and in C (both loops), checks they agree byte for byte, returns the block. */
    private byte[] encodeAll(int format, byte[] raw, int off, int len, int[] layout, String what) {
        byte[] a = new byte[2 * len + 4096];
        int na = encodeJava(format, raw, off, len, layout, a, 0, a.length);
        assertTrue(na > 0, what);
        for (int simd = 0; simd < 2; simd++) {
            NativeRans.simd(simd);
            byte[] b = new byte[a.length + 7];
            int nb = NativeRans.encode(context, format, raw, off, len, layout, b, 7, b.length);
            assertEquals(na, nb, what + ": block size, simd " + simd);
            assertArrayEquals(Arrays.copyOf(a, na), Arrays.copyOfRange(b, 7, 7 + nb), what + ": bytes, simd " + simd);
        }
        return Arrays.copyOf(a, na);
    }

    /** Decodes in Java and in C (both loops); all must give raw[off, off+len). */
    private void decodeAll(byte[] block, byte[] raw, int off, int len, String what) throws CorruptDataException {
        byte[] expected = Arrays.copyOfRange(raw, off, off + len);
        byte[] a = new byte[len];
        decodeJava(block, 0, block.length, a, 0, len);
        assertArrayEquals(expected, a, what + ": java decode");
        // the native decoder at offsets in larger arrays, which it must not spill over
        byte[] src = new byte[block.length + 9];
        System.arraycopy(block, 0, src, 5, block.length);
        for (int simd = 0; simd < 2; simd++) {
            NativeRans.simd(simd);
            byte[] b = new byte[len + 6];
            Arrays.fill(b, (byte) 0x5A);
            assertTrue(NativeRans.decode(context, src, 5, block.length, b, 3, len));
            assertArrayEquals(expected, Arrays.copyOfRange(b, 3, 3 + len), what + ": native decode, simd " + simd);
            for (int k : new int[] {0, 1, 2, len + 3, len + 4, len + 5}) {
                assertEquals((byte) 0x5A, b[k], what + ": native decode wrote outside its range at " + k);
            }
        }
    }

    private void roundTrip(byte[] raw, int off, int len, String what) throws CorruptDataException {
        for (int[] layout : RansModel.LAYOUTS) {
            String w = what + " n=" + len + " format 01 " + Arrays.toString(layout);
            decodeAll(encodeAll(1, raw, off, len, layout, w), raw, off, len, w);
        }
        for (int[] layout : LANE_LAYOUTS) {
            String w = what + " n=" + len + " format 03 " + Arrays.toString(layout);
            decodeAll(encodeAll(3, raw, off, len, layout, w), raw, off, len, w);
        }
    }

    @Test
    void sameBytesAsJavaOnSyntheticDataOfEveryShapeAndLength() throws Exception {
        Random r = new Random(21);
        int[] lengths = {0, 1, 2, 3, 4, 5, 6, 7, 9, 15, 16, 17, 31, 33, 63, 64, 65, 100, 127, 128, 129, 255, 4095,
            4096, 4097, 65_539, 300_001};
        for (int n : lengths) {
            byte[] random = new byte[n + 3];
            r.nextBytes(random);
            roundTrip(random, 3, n, "random");
            roundTrip(new byte[n], 0, n, "zeros");
            roundTrip(NumericGolden.float32(n, n), 0, n, "float32");
            roundTrip(NumericGolden.float16(n, n), 0, n, "float16");
            roundTrip(NumericGolden.bfloat16(n, n), 0, n, "bfloat16");
            roundTrip(NumericGolden.samples16(n, n), 0, n, "samples16");
            byte[] constant = new byte[n];
            Arrays.fill(constant, (byte) 0xC3);
            roundTrip(constant, 0, n, "constant");
        }
    }

    @Test
    void extremeFloatsAndSkewedTables() throws Exception {
        // every exponent, infinities and NaNs, denormals; and a block where one symbol takes almost all of M
        Random r = new Random(22);
        byte[] b = new byte[200_000];
        for (int i = 0; i + 3 < b.length; i += 4) {
            int v = r.nextInt(8) == 0 ? r.nextInt() : (r.nextInt(50) == 0 ? 0x7F800000 | r.nextInt(3) : r.nextInt(0x800));
            for (int k = 0; k < 4; k++) {
                b[i + k] = (byte) (v >>> (8 * k));
            }
        }
        roundTrip(b, 0, b.length, "extreme");
        byte[] skew = new byte[300_000];
        for (int i = 0; i < 40; i++) {
            skew[r.nextInt(skew.length)] = (byte) r.nextInt(256);
        }
        roundTrip(skew, 0, skew.length, "skewed");
    }

    @Test
    void tooSmallDestinationsFailAlikeAndWriteNothingPastTheLimit() {
        Random r = new Random(23);
        byte[] raw = NumericGolden.float32(50_001, 23);
        for (int format : new int[] {1, 3}) {
            for (int[] layout : format == 1 ? RansModel.LAYOUTS : LANE_LAYOUTS) {
                int full = encodeAll(format, raw, 0, raw.length, layout, "limit").length;
                for (int t = 0; t < 40; t++) {
                    int limit = t == 0 ? full : t == 1 ? full - 1 : t < 8 ? t * 5 : r.nextInt(full + 100);
                    byte[] a = new byte[limit + 64];
                    byte[] b = new byte[limit + 64];
                    int na = encodeJava(format, raw, 0, raw.length, layout, a, 0, limit);
                    int nb = NativeRans.encode(context, format, raw, 0, raw.length, layout, b, 0, limit);
                    assertEquals(na, nb, "format " + format + " limit " + limit + " layout " + Arrays.toString(layout));
                    for (int k = limit; k < b.length; k++) {
                        assertEquals(0, b[k], "native wrote past the limit " + limit);
                    }
                    if (na > 0) {
                        assertArrayEquals(Arrays.copyOf(a, na), Arrays.copyOf(b, nb));
                    }
                }
            }
        }
    }

    private static byte[] corpus(String name) throws IOException {
        Path p = Path.of(System.getProperty("mmh.corpus", "target/corpus")).resolve("weights").resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(p), "corpus file " + p + " is not there");
        return Files.readAllBytes(p);
    }

    @Test
    void sameBytesAsJavaOnTheCorpusWeights() throws Exception {
        String[] files = {"human_faceres-deep.bin", "human_posenet.bin", "human_faceres.bin",
            "human_movenet-lightning.bin"};
        for (String f : files) {
            byte[] d = corpus(f);
            // the whole file in 8 MiB blocks with the layout the codec picks, in both formats, and every layout on a
            // piece
            for (int off = 0; off < d.length; off += 8 << 20) {
                int len = Math.min(8 << 20, d.length - off);
                int[] layout = NumericCodec.pickStatic(d, off, len);
                String w = f + " @" + off + " layout " + Arrays.toString(layout);
                decodeAll(encodeAll(1, d, off, len, layout, w), d, off, len, w);
                int[] lanes = LanesModel.layoutFor(layout);
                decodeAll(encodeAll(3, d, off, len, lanes, w), d, off, len, w);
            }
            roundTrip(d, 12_345, 700_001, f);
            if (f.equals("human_posenet.bin")) {
                byte[] bf = NumericBench.toBf16(d);
                for (int[] layout : new int[][] {RansModel.LAYOUTS[1], RansModel.LAYOUTS[3]}) {
                    String w = "posenet bf16 " + Arrays.toString(layout);
                    decodeAll(encodeAll(1, bf, 0, bf.length, layout, w), bf, 0, bf.length, w);
                }
                decodeAll(encodeAll(3, bf, 0, bf.length, new int[] {2, 1, 0, 1}, "bf16"), bf, 0, bf.length, "bf16");
            }
        }
    }

    @Test
    void layoutChoiceCountsAlikeInC() throws Exception {
        Random r = new Random(25);
        byte[][] inputs = {NumericGolden.float32(300_001, 1), NumericGolden.float16(200_000, 2),
            NumericGolden.bfloat16(100_001, 3), NumericGolden.samples16(70_000, 4), new byte[5000], null};
        inputs[5] = new byte[90_007];
        r.nextBytes(inputs[5]);
        for (byte[] in : inputs) {
            for (int off : new int[] {0, 3}) {
                LayoutChooser java = new LayoutChooser(false);
                LayoutChooser nat = new LayoutChooser(true);
                int[] a = java.choose(in, off, in.length - off);
                int[] b = nat.choose(in, off, in.length - off);
                assertArrayEquals(a, b);
                assertEquals(java.floats(), nat.floats());
                for (int l = 0; l < RansModel.LAYOUTS.length; l++) {
                    assertEquals(java.estimate(l), nat.estimate(l), "layout " + l + " of " + in.length);
                }
            }
        }
    }

    /** Decodes in Java and in C (both loops): all fail with the same message, or all give the same bytes. */
    private void damagedAlike(byte[] in, int rawLen, String what) {
        byte[] a = new byte[rawLen];
        String ea = null;
        try {
            decodeJava(in, 0, in.length, a, 0, rawLen);
        } catch (CorruptDataException e) {
            ea = e.getMessage();
        }
        for (int simd = 0; simd < 2; simd++) {
            NativeRans.simd(simd);
            byte[] b = new byte[rawLen];
            String eb = null;
            try {
                assertTrue(NativeRans.decode(context, in, 0, in.length, b, 0, rawLen));
            } catch (CorruptDataException e) {
                eb = e.getMessage();
            }
            assertEquals(ea, eb, what + ", simd " + simd);
            if (ea == null) {
                assertArrayEquals(a, b, what + ", simd " + simd);
            }
        }
    }

    @Test
    void damagedBlocksFailExactlyAsInJava() throws Exception {
        Random r = new Random(24);
        byte[][] inputs = {NumericGolden.float32(120_003, 1), NumericGolden.float16(60_000, 2),
            NumericGolden.bfloat16(60_001, 3), NumericGolden.samples16(40_000, 4)};
        int failures = 0;
        int cases = 0;
        for (byte[] raw : inputs) {
            for (int format : new int[] {1, 3}) {
                for (int[] layout : format == 1 ? RansModel.LAYOUTS : LANE_LAYOUTS) {
                    byte[] c = encodeAll(format, raw, 0, raw.length, layout, "damage");
                    for (int k = 0; k < 60; k++) {
                        byte[] bad = c.clone();
                        int kind = r.nextInt(4);
                        if (kind == 0) {
                            bad = Arrays.copyOf(bad, r.nextInt(bad.length)); // truncation
                        } else {
                            for (int h = 1 + r.nextInt(3); h > 0; h--) {
                                // header and tables mostly, where the hostile sizes and frequencies live
                                int at = kind == 1 ? r.nextInt(Math.min(bad.length, 700)) : r.nextInt(bad.length);
                                bad[at] ^= (byte) (1 << r.nextInt(8));
                            }
                        }
                        int rawLen = r.nextInt(10) == 0 ? raw.length + r.nextInt(5) - 2 : raw.length;
                        try {
                            decodeJava(bad, 0, bad.length, new byte[rawLen], 0, rawLen);
                        } catch (CorruptDataException e) {
                            failures++;
                        }
                        cases++;
                        damagedAlike(bad, rawLen, "format " + format + " case " + k + " layout "
                                + Arrays.toString(layout));
                    }
                }
            }
        }
        assertTrue(failures > cases / 2, "most damage is detected: " + failures + " of " + cases);
        // garbage after a valid-looking header
        for (int k = 0; k < 3000; k++) {
            byte[] g = new byte[1 + r.nextInt(3000)];
            r.nextBytes(g);
            boolean lanes = r.nextBoolean();
            g[0] = (byte) (lanes ? LanesModel.VERSION : RansModel.VERSION);
            if (g.length > 3) {
                g[1] = (byte) (lanes ? new int[] {2, 4} : new int[] {1, 2, 4})[r.nextInt(lanes ? 2 : 3)];
                g[2] = (byte) r.nextInt(2);
                g[3] = (byte) (r.nextInt(8) | r.nextInt(lanes ? 8 : 6) << 4);
            }
            damagedAlike(g, r.nextInt(4000), "garbage " + k);
        }
    }

    @Test
    void corruptionSurfacesAsCorruptDataExceptionThroughTheModels() throws Exception {
        byte[] raw = NumericGolden.float32(100_000, 5);
        for (int format : new int[] {1, 3}) {
            byte[] c = encodeAll(format, raw, 0, raw.length, format == 1 ? RansModel.LAYOUTS[0] : LANE_LAYOUTS[0],
                    "codec");
            byte[] bad = Arrays.copyOf(c, c.length - 1);
            try {
                if (format == 1) {
                    ransNative.decode(bad, 0, bad.length, new byte[raw.length], 0, raw.length);
                } else {
                    lanesNative.decode(bad, 0, bad.length, new byte[raw.length], 0, raw.length);
                }
                fail("a truncated block decoded");
            } catch (CorruptDataException expected) {
                assertEquals("numeric: section sizes disagree with the block size", expected.getMessage());
            }
        }
    }

    @Test
    void badRangesLayoutsAndClosedContextsAreExceptionsNotCrashes() throws Exception {
        byte[] raw = NumericGolden.float32(70_000, 6);
        byte[] block = encodeAll(3, raw, 0, raw.length, LANE_LAYOUTS[0], "args");
        byte[] out = new byte[raw.length];
        byte[] dst = new byte[2 * raw.length];
        int[][] badRanges = {{-1, block.length, 0, raw.length}, {1, block.length, 0, raw.length},
            {0, block.length, 1, raw.length}, {0, -1, 0, raw.length}, {0, block.length, 0, raw.length + 1}};
        for (int[] b : badRanges) {
            assertThrows(IndexOutOfBoundsException.class,
                    () -> NativeRans.decode(context, block, b[0], b[1], out, b[2], b[3]), Arrays.toString(b));
        }
        assertThrows(IndexOutOfBoundsException.class,
                () -> NativeRans.encode(context, 3, raw, 1, raw.length, LANE_LAYOUTS[0], dst, 0, dst.length));
        assertThrows(IndexOutOfBoundsException.class,
                () -> NativeRans.encode(context, 3, raw, 0, raw.length, LANE_LAYOUTS[0], dst, 10, 5));
        assertThrows(IndexOutOfBoundsException.class,
                () -> NativeRans.encode(context, 3, raw, 0, raw.length, LANE_LAYOUTS[0], dst, 0, dst.length + 1));
        // layouts that would index past the C's tables (a window log of 6 overruns the window's ring)
        for (int[] l : new int[][] {{4, 1, 0, 6}, {3, 1, 0, 5}, {4, 2, 0, 5}, {4, 1, 8, 5}, {2, 0, -1, 0}}) {
            assertThrows(IllegalArgumentException.class,
                    () -> NativeRans.encode(context, 1, raw, 0, raw.length, l, dst, 0, dst.length), Arrays.toString(l));
        }
        assertThrows(IllegalArgumentException.class,
                () -> NativeRans.encode(context, 3, raw, 0, raw.length, new int[] {1, 0, 0, 0}, dst, 0, dst.length));
        assertThrows(IllegalArgumentException.class,
                () -> NativeRans.encode(context, 2, raw, 0, raw.length, LANE_LAYOUTS[0], dst, 0, dst.length));
        assertTrue(NativeRans.decode(context, block, 0, block.length, out, 0, raw.length));
        assertArrayEquals(raw, out);
        context.close();
        context.close();
        assertThrows(IllegalStateException.class,
                () -> NativeRans.decode(context, block, 0, block.length, out, 0, raw.length));
        assertThrows(IllegalStateException.class,
                () -> NativeRans.encode(context, 3, raw, 0, raw.length, LANE_LAYOUTS[0], dst, 0, dst.length));
    }

    @Test
    void theCChecksItsArgumentsToo() throws Exception {
        // the private natives, called past NativeRans' checks: the C throws rather than reach outside an array
        java.lang.reflect.Method decode = NativeCalls.privateNative(NativeRans.class, "decodeBlock0", long.class,
                byte[].class, int.class, int.class, byte[].class, int.class, int.class);
        java.lang.reflect.Method encode = NativeCalls.privateNative(NativeRans.class, "encodeBlock0", long.class,
                int.class, byte[].class, int.class, int.class, int.class, int.class, int.class, int.class, byte[].class,
                int.class, int.class);
        byte[] raw = NumericGolden.float32(10_000, 7);
        byte[] block = encodeAll(1, raw, 0, raw.length, RansModel.LAYOUTS[0], "c checks");
        long h = context.handle().acquire();
        try {
            assertCThrows(IllegalStateException.class, decode, 0L, block, 0, block.length, new byte[raw.length], 0,
                    raw.length);
            assertCThrows(IllegalArgumentException.class, decode, h, block, 0, block.length, new byte[10], 0,
                    raw.length);
            assertCThrows(IllegalArgumentException.class, decode, h, block, 5, block.length, new byte[raw.length], 0,
                    raw.length);
            assertCThrows(IllegalArgumentException.class, encode, h, 1, raw, 0, raw.length, 4, 1, 0, 6,
                    new byte[50_000], 0, 50_000);
            assertCThrows(IllegalArgumentException.class, encode, h, 1, raw, 0, raw.length, 4, 1, 0, 5,
                    new byte[50_000], 0, 50_001);
            assertCThrows(IllegalArgumentException.class, encode, h, 3, raw, 0, raw.length, 1, 0, 0, 0,
                    new byte[50_000], 0, 50_000);
        } finally {
            context.handle().release();
        }
    }

    private static void assertCThrows(Class<? extends Throwable> type, java.lang.reflect.Method m, Object... args) {
        NativeCalls.assertThrowsFromC(type, "mmhnum: ", m, args);
    }

    @Test
    void aContextAllocatesAtItsFirstBlockAndCloseFreesIt() throws Exception {
        byte[] raw = NumericGolden.float32(3 << 20, 8);
        byte[] block = encodeAll(3, raw, 0, raw.length, LANE_LAYOUTS[0], "held");
        try (NativeRans.Context c = new NativeRans.Context()) {
            assertEquals(0, c.held(), "nothing before the first call");
            byte[] out = new byte[raw.length];
            assertTrue(NativeRans.decode(c, block, 0, block.length, out, 0, raw.length));
            assertArrayEquals(raw, out);
            long held = c.held();
            // the context itself, format 03's tables (12.6 MB) and its top bytes (an element's worth)
            assertTrue(held > 12_000_000 && held < 24_000_000, "held " + held);
            assertTrue(NativeRans.decode(c, block, 0, block.length, out, 0, raw.length));
            assertEquals(held, c.held(), "a second block of the same size allocates nothing more");
            c.close();
            assertEquals(0, c.held());
        }
    }

    @Test
    void blocksOfManySlicesCodeAlikeWhileTheGcRuns() throws Exception {
        // blocks of several 1 MiB slices, coded while another thread keeps the collector busy: the C re-pins the
        // arrays between slices, and every pointer it keeps is rebuilt from the new addresses
        byte[] raw = NumericGolden.float32(5 << 20 | 12_345, 9);
        Thread churn = new Thread(() -> {
            java.util.List<byte[]> keep = new java.util.ArrayList<>();
            while (!Thread.currentThread().isInterrupted()) {
                keep.add(new byte[1 + (keep.size() * 7919) % 300_000]);
                if (keep.size() > 200) {
                    keep.clear();
                    System.gc();
                }
            }
        });
        churn.setDaemon(true);
        churn.start();
        try {
            for (int format : new int[] {1, 3}) {
                for (int simd = 0; simd < 2; simd++) {
                    NativeRans.simd(simd);
                    int[] layout = format == 1 ? RansModel.LAYOUTS[1] : LANE_LAYOUTS[1];
                    byte[] block = encodeAll(format, raw, 0, raw.length, layout, "slices");
                    decodeAll(block, raw, 0, raw.length, "slices, format " + format);
                }
            }
        } finally {
            churn.interrupt();
            churn.join();
        }
    }
}
