package dev.mmh.gzip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract both DEFLATE backends pass (see {@link DeflateBackend}): the same bytes in, valid raw DEFLATE out
 * (checked with the JDK's {@link Inflater} and, where installed, the {@code gzip} command's own inflate), the
 * CRC-32 of {@link CRC32}, damaged or truncated streams reported as {@link DeflateBackend.BlockInflater#BAD_DATA},
 * and misuse (ranges outside a buffer, bad levels, use after close) as exceptions, never as a write outside a
 * buffer or a crash.
 */
abstract class DeflateBackendContractTest {
    /** The backend under test; tests skip when it is not available. */
    abstract DeflateBackend backend();

    /** Whether the backend takes heap buffers (the JDK's does; libdeflate needs direct ones). */
    abstract boolean acceptsHeapBuffers();

    private static final byte GUARD = 0x5A;

    private static ByteBuffer direct(byte[] b, int before, int after) {
        ByteBuffer buf = ByteBuffer.allocateDirect(before + b.length + after);
        for (int i = 0; i < buf.capacity(); i++) {
            buf.put(i, GUARD);
        }
        buf.put(before, b);
        return buf;
    }

    private static byte[] bytes(ByteBuffer b, int pos, int len) {
        byte[] out = new byte[len];
        b.get(pos, out);
        return out;
    }

    private static void assertGuards(ByteBuffer b, int from, int to, String what) {
        for (int i = 0; i < b.capacity(); i++) {
            if (i < from || i >= to) {
                assertEquals(GUARD, b.get(i), what + ": byte " + i + " outside [" + from + ", " + to + ") written");
            }
        }
    }

    /** Deflates {@code raw} into a direct buffer of exactly the bound (between guard bytes); returns the stream. */
    private byte[] deflate(DeflateBackend.BlockDeflater d, byte[] raw) {
        ByteBuffer src = direct(raw, 3, 5);
        int bound = d.maxCompressedLength(raw.length);
        ByteBuffer dst = direct(new byte[bound], 16, 16);
        int n = d.compress(src, 3, raw.length, dst, 16, bound);
        assertTrue(n > 0 && n <= bound, "wrote " + n + " of a bound of " + bound);
        assertGuards(dst, 16, 16 + bound, "deflate");
        return bytes(dst, 16, n);
    }

    /** Deflates {@code raw} with a new deflater of {@code level}. */
    private byte[] deflate(int level, byte[] raw) {
        try (DeflateBackend.BlockDeflater d = backend().deflater(level)) {
            return deflate(d, raw);
        }
    }

    /** Inflates with the backend into exactly {@code rawLen} bytes between guards; returns the raw bytes. */
    private byte[] inflate(DeflateBackend.BlockInflater inf, byte[] stream, int rawLen) {
        ByteBuffer src = direct(stream, 7, 1);
        ByteBuffer dst = direct(new byte[rawLen], 9, 9);
        long r = inf.inflate(src, 7, stream.length, dst, 9, rawLen);
        assertTrue(r >= 0, "inflate failed: " + r);
        assertEquals(stream.length, r >>> 32, "bytes read");
        assertEquals(rawLen, (int) r, "bytes written");
        assertGuards(dst, 9, 9 + rawLen, "inflate");
        return bytes(dst, 9, rawLen);
    }

    /** The reference: the JDK's inflater, and the gzip command's own inflate (not zlib) where it is installed. */
    private static void assertReferenceInflates(byte[] stream, byte[] raw) throws Exception {
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(stream);
            byte[] out = new byte[raw.length + 1];
            int n = 0;
            while (!inf.finished() && n < out.length) {
                int k = inf.inflate(out, n, out.length - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += k;
            }
            assertTrue(inf.finished(), "JDK Inflater: stream not finished");
            assertArrayEquals(raw, Arrays.copyOf(out, n), "JDK Inflater");
            assertEquals(0, inf.getRemaining(), "JDK Inflater: bytes after the stream");
        } catch (DataFormatException e) {
            fail("JDK Inflater rejects the stream: " + e.getMessage());
        } finally {
            inf.end();
        }
        if (raw.length > 0 && GzipTestSupport.hasTool("gzip")) {
            assertArrayEquals(raw, GzipTestSupport.run(gzipMember(stream, raw), "gzip", "-dc"), "gzip -dc");
        }
    }

    /** A gzip member around a raw DEFLATE stream (header without options, CRC-32 and size trailer). */
    private static byte[] gzipMember(byte[] stream, byte[] raw) {
        CRC32 crc = new CRC32();
        crc.update(raw);
        ByteBuffer b = ByteBuffer.allocate(10 + stream.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255});
        b.put(stream).putInt((int) crc.getValue()).putInt(raw.length);
        return b.array();
    }

    private List<byte[]> samples() {
        byte[] runs = new byte[200_000];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = (byte) (i / 1000 % 3);
        }
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        return List.of(new byte[0], new byte[] {42}, all, GzipTestSupport.text(150_000, 4), runs,
                GzipTestSupport.random(70_000, 5));
    }

    private List<Integer> levels() {
        return List.of(0, 1, 6, 9, backend().maxLevel());
    }

    @Test
    void roundTripsAtEveryLevelAndTheReferenceReadsTheOutput() throws Exception {
        DeflateBackend b = backend();
        for (int level : levels()) {
            try (DeflateBackend.BlockDeflater d = b.deflater(level); DeflateBackend.BlockInflater inf = b.inflater()) {
                for (byte[] raw : samples()) {
                    byte[] stream = deflate(d, raw);
                    assertArrayEquals(raw, inflate(inf, stream, raw.length), b.name() + " level " + level);
                    assertReferenceInflates(stream, raw);
                }
            }
        }
    }

    @Test
    void inflatesTheReferenceOutput() throws Exception {
        for (byte[] raw : samples()) {
            java.util.zip.Deflater ref = new java.util.zip.Deflater(6, true);
            ref.setInput(raw);
            ref.finish();
            byte[] out = new byte[raw.length + raw.length / 100 + 64];
            int n = ref.deflate(out);
            assertTrue(ref.finished());
            ref.end();
            try (DeflateBackend.BlockInflater inf = backend().inflater()) {
                assertArrayEquals(raw, inflate(inf, Arrays.copyOf(out, n), raw.length));
            }
        }
    }

    @Test
    void crc32IsTheJdksOnEveryRange() {
        byte[] data = GzipTestSupport.random(10_000, 9);
        ByteBuffer buf = direct(data, 0, 0);
        for (int[] r : new int[][] {{0, 0}, {0, 1}, {5, 0}, {17, 4000}, {0, 10_000}, {9_999, 1}}) {
            CRC32 ref = new CRC32();
            ref.update(data, r[0], r[1]);
            assertEquals((int) ref.getValue(), backend().crc32(buf, r[0], r[1]), "range " + Arrays.toString(r));
        }
    }

    @Test
    void heapBuffersAreTakenOrRefusedBeforeAnyWork() throws Exception {
        byte[] raw = GzipTestSupport.text(20_000, 2);
        try (DeflateBackend.BlockDeflater d = backend().deflater(6)) {
            ByteBuffer src = ByteBuffer.wrap(raw);
            ByteBuffer dst = ByteBuffer.allocate(d.maxCompressedLength(raw.length));
            if (acceptsHeapBuffers()) {
                int n = d.compress(src, 0, raw.length, dst, 0, dst.capacity());
                assertReferenceInflates(Arrays.copyOf(dst.array(), n), raw);
                assertEquals(crc(raw), backend().crc32(src, 0, raw.length));
            } else {
                assertThrows(IllegalArgumentException.class, () -> d.compress(src, 0, raw.length, dst, 0,
                        dst.capacity()));
                // crc32 takes heap buffers from every backend
                assertEquals(crc(raw), backend().crc32(src, 0, raw.length));
            }
        }
    }

    private static int crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return (int) c.getValue();
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyTruncationAndDamageIsBadDataNeverAnException() throws Exception {
        byte[] raw = GzipTestSupport.text(30_000, 7);
        byte[] stream = deflate(6, raw);
        try (DeflateBackend.BlockInflater inf = backend().inflater()) {
            for (int len = 0; len < stream.length; len += len < 300 ? 1 : 1 + len / 40) {
                ByteBuffer src = direct(Arrays.copyOf(stream, len), 0, 0);
                ByteBuffer dst = direct(new byte[raw.length], 4, 4);
                long r = inf.inflate(src, 0, len, dst, 4, raw.length);
                assertEquals(DeflateBackend.BlockInflater.BAD_DATA, r, "truncated to " + len + " of " + stream.length);
                assertGuards(dst, 4, 4 + raw.length, "truncated to " + len);
            }
            Random rnd = new Random(3);
            int detected = 0;
            for (int i = 0; i < 300; i++) {
                byte[] bad = stream.clone();
                bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
                ByteBuffer src = direct(bad, 0, 0);
                ByteBuffer dst = direct(new byte[raw.length], 4, 4);
                long r = inf.inflate(src, 0, bad.length, dst, 4, raw.length);
                assertTrue(r >= 0 || r == DeflateBackend.BlockInflater.BAD_DATA
                        || r == DeflateBackend.BlockInflater.NO_ROOM, "result " + r);
                assertGuards(dst, 4, 4 + raw.length, "bit flip " + i);
                detected += r < 0 || (int) r != raw.length || !Arrays.equals(raw, bytes(dst, 4, raw.length)) ? 1 : 0;
            }
            assertTrue(detected > 0, "no bit flip changed the result");
            // still usable after all that
            assertArrayEquals(raw, inflate(inf, stream, raw.length));
        }
    }

    @Test
    void tooLittleRoomIsNoRoomAndTrailingBytesAreNotRead() throws Exception {
        byte[] raw = GzipTestSupport.text(10_000, 8);
        byte[] stream = deflate(6, raw);
        try (DeflateBackend.BlockInflater inf = backend().inflater()) {
            ByteBuffer src = direct(stream, 0, 0);
            ByteBuffer dst = direct(new byte[raw.length - 1], 2, 2);
            assertEquals(DeflateBackend.BlockInflater.NO_ROOM, inf.inflate(src, 0, stream.length, dst, 2,
                    raw.length - 1));
            assertGuards(dst, 2, 2 + raw.length - 1, "no room");
            ByteBuffer withTail = direct(GzipTestSupport.concat(stream, new byte[] {1, 2, 3}), 0, 0);
            ByteBuffer out = direct(new byte[raw.length], 0, 0);
            long r = inf.inflate(withTail, 0, stream.length + 3, out, 0, raw.length);
            assertEquals(stream.length, r >>> 32, "bytes read stop at the end of the stream");
            assertEquals(raw.length, (int) r);
        }
    }

    @Test
    void outputRoomBelowTheBoundFailsWithoutWritingPastIt() {
        byte[] raw = GzipTestSupport.random(50_000, 6);
        try (DeflateBackend.BlockDeflater d = backend().deflater(6)) {
            ByteBuffer src = direct(raw, 0, 0);
            ByteBuffer dst = direct(new byte[1000], 8, 8);
            assertThrows(IllegalStateException.class, () -> d.compress(src, 0, raw.length, dst, 8, 1000));
            assertGuards(dst, 8, 1008, "too small output");
        }
    }

    @Test
    void rangesOutsideTheirBuffersAndBadLevelsAreRejected() {
        DeflateBackend b = backend();
        assertThrows(IllegalArgumentException.class, () -> b.deflater(-1));
        assertThrows(IllegalArgumentException.class, () -> b.deflater(13));
        ByteBuffer buf = direct(new byte[100], 0, 0);
        ByteBuffer out = direct(new byte[1000], 0, 0);
        int[][] bad = {{-1, 10}, {0, -1}, {95, 10}, {101, 0}, {Integer.MAX_VALUE, 2}};
        try (DeflateBackend.BlockDeflater d = b.deflater(6); DeflateBackend.BlockInflater inf = b.inflater()) {
            assertThrows(IllegalArgumentException.class, () -> d.maxCompressedLength(-1));
            for (int[] r : bad) {
                String what = Arrays.toString(r);
                assertThrows(IllegalArgumentException.class, () -> d.compress(buf, r[0], r[1], out, 0, 1000), what);
                assertThrows(IllegalArgumentException.class, () -> d.compress(out, 0, 10, buf, r[0], r[1]), what);
                assertThrows(IllegalArgumentException.class, () -> inf.inflate(buf, r[0], r[1], out, 0, 1000), what);
                assertThrows(IllegalArgumentException.class, () -> inf.inflate(out, 0, 10, buf, r[0], r[1]), what);
                assertThrows(IllegalArgumentException.class, () -> b.crc32(buf, r[0], r[1]), what);
            }
            // and they still work
            byte[] raw = GzipTestSupport.text(1000, 1);
            assertArrayEquals(raw, inflate(inf, deflate(d, raw), raw.length));
        }
    }

    @Test
    void useAfterCloseThrowsAndCloseIsIdempotent() {
        DeflateBackend b = backend();
        byte[] raw = GzipTestSupport.text(1000, 1);
        DeflateBackend.BlockDeflater d = b.deflater(6);
        DeflateBackend.BlockInflater inf = b.inflater();
        byte[] stream = deflate(d, raw);
        d.close();
        d.close();
        inf.close();
        inf.close();
        ByteBuffer src = direct(raw, 0, 0);
        ByteBuffer out = direct(new byte[4096], 0, 0);
        assertThrows(IllegalStateException.class, () -> d.compress(src, 0, raw.length, out, 0, 4096));
        assertThrows(IllegalStateException.class, () -> d.maxCompressedLength(10));
        ByteBuffer in = direct(stream, 0, 0);
        assertThrows(IllegalStateException.class, () -> inf.inflate(in, 0, stream.length, out, 0, raw.length));
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closingWhileAnotherThreadCompressesLetsThatCallFinish() throws Exception {
        byte[] raw = GzipTestSupport.text(4 << 20, 3);
        ByteBuffer src = direct(raw, 0, 0);
        for (int round = 0; round < 3; round++) {
            DeflateBackend.BlockDeflater d = backend().deflater(backend().maxLevel());
            int bound = d.maxCompressedLength(raw.length);
            ByteBuffer dst = direct(new byte[bound], 0, 0);
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Object> result = new AtomicReference<>();
            Thread t = new Thread(() -> {
                started.countDown();
                try {
                    result.set(d.compress(src, 0, raw.length, dst, 0, bound));
                } catch (RuntimeException e) {
                    result.set(e);
                }
            });
            t.start();
            started.await();
            Thread.sleep(5 + 20 * round);
            d.close();
            t.join();
            Object r = result.get();
            if (r instanceof Integer n) {
                // the call ran on (or had not begun) with its native object: its output is whole
                assertReferenceInflates(bytes(dst, 0, n), raw);
            } else {
                // closed before the call acquired it
                assertTrue(r instanceof IllegalStateException, String.valueOf(r));
            }
        }
    }
}
