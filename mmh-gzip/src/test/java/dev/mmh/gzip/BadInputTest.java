package dev.mmh.gzip;

import static dev.mmh.gzip.GzipTestSupport.concat;
import static dev.mmh.gzip.GzipTestSupport.gunzip;
import static dev.mmh.gzip.GzipTestSupport.gzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.NotMmhFormatException;
import dev.mmh.UnsupportedFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Damaged input fails through the dev.mmh exception family with the byte offset of the damage. */
class BadInputTest {
    private final GzipOptions opts = GzipOptions.builder().threads(2).build();
    /** The JDK backend streams unmarked members (libdeflate inflates small ones whole): both paths must agree. */
    private final GzipOptions streamingOpts = GzipOptions.builder().threads(2).backend(DeflateBackend.jdk()).build();
    private final byte[] data = GzipTestSupport.text(200_000, 21);
    /** Marked: 1 MiB blocks would give one member, so use 64 KiB-ish BGZF members. */
    private final byte[] marked = gzipOrFail(GzipOptions.builder().level(6).threads(2).blockSize(50_000).build());
    private final byte[] plain = jdkGzip(data);

    private byte[] gzipOrFail(GzipOptions o) {
        try {
            return gzip(data, o);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] jdkGzip(byte[] d) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(d);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return b.toByteArray();
    }

    private static int firstMemberSize(byte[] gz) {
        return (gz[16] & 0xff | (gz[17] & 0xff) << 8) + 1;
    }

    private static int getInt(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    private static byte[] putInt(byte[] b, int at, int v) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
        return c;
    }

    @Test
    void rejectsTruncationInsideAMarkedMember() {
        int cut = firstMemberSize(marked) + 1000;
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> gunzip(Arrays.copyOf(marked, cut), opts));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(cut, e.offset(), "the offset where the input ended");
    }

    @Test
    void rejectsTruncationInsideAStreamedMember() {
        int cut = plain.length / 2;
        for (GzipOptions o : new GzipOptions[] {opts, streamingOpts}) {
            CorruptDataException e = assertThrows(CorruptDataException.class,
                    () -> gunzip(Arrays.copyOf(plain, cut), o));
            assertTrue(e.getMessage().contains("unexpected end of input"), e.getMessage());
            assertEquals(cut, e.offset());
        }
    }

    @Test
    void rejectsTruncationInTheTrailerAndTheHeader() {
        CorruptDataException t = assertThrows(CorruptDataException.class,
                () -> gunzip(Arrays.copyOf(plain, plain.length - 3), opts));
        assertEquals(plain.length - 8, t.offset(), "trailer start");
        CorruptDataException h = assertThrows(CorruptDataException.class,
                () -> gunzip(Arrays.copyOf(plain, 6), opts));
        assertEquals(0, h.offset());
    }

    @Test
    void rejectsCrcMismatchInMarkedAndStreamedMembers() {
        int size = firstMemberSize(marked);
        int crcAt = size - 8;
        byte[] bad = putInt(marked, crcAt, getInt(marked, crcAt) ^ 1);
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> gunzip(bad, opts));
        assertEquals(crcAt, e.offset());
        assertEquals(0, e.block(), "first member");
        assertEquals(String.format("%08x", getInt(bad, crcAt)), e.expected());

        int pcrc = plain.length - 8;
        byte[] badPlain = putInt(plain, pcrc, getInt(plain, pcrc) ^ 0x100);
        for (GzipOptions o : new GzipOptions[] {opts, streamingOpts}) {
            ChecksumMismatchException p = assertThrows(ChecksumMismatchException.class, () -> gunzip(badPlain, o));
            assertEquals(pcrc, p.offset());
        }
    }

    @Test
    void rejectsLengthMismatchInMarkedAndStreamedMembers() {
        int size = firstMemberSize(marked);
        byte[] bad = putInt(marked, size - 4, getInt(marked, size - 4) - 1);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> gunzip(bad, opts));
        assertTrue(e.getMessage().contains("length mismatch"), e.getMessage());
        assertEquals(size - 4, e.offset());

        // ISIZE one less: libdeflate finds no room for the last byte and hands over to the stream
        for (int delta : new int[] {1, -1}) {
            byte[] badPlain = putInt(plain, plain.length - 4, data.length + delta);
            for (GzipOptions o : new GzipOptions[] {opts, streamingOpts}) {
                CorruptDataException p = assertThrows(CorruptDataException.class, () -> gunzip(badPlain, o));
                assertTrue(p.getMessage().contains("length mismatch"), p.getMessage());
                assertEquals(plain.length - 4, p.offset());
            }
        }
    }

    @Test
    void reportsTrailingGarbageAfterReturningAllData() throws IOException {
        byte[] withGarbage = concat(marked, "not gzip at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        try (ParallelGzipInputStream in = new ParallelGzipInputStream(new ByteArrayInputStream(withGarbage), opts)) {
            byte[] got = new byte[data.length];
            int n = in.readNBytes(got, 0, data.length);
            assertEquals(data.length, n);
            assertArrayEquals(data, got);
            TrailingGarbageException e = assertThrows(TrailingGarbageException.class, in::read);
            assertEquals(marked.length, e.offset());
        }
    }

    @Test
    void rejectsInputThatIsNotGzip() {
        assertThrows(NotMmhFormatException.class, () -> gunzip("hello world".getBytes(), opts));
        assertThrows(NotMmhFormatException.class, () -> gunzip(new byte[0], opts));
        byte[] method7 = plain.clone();
        method7[2] = 7;
        assertThrows(UnsupportedFormatException.class, () -> gunzip(method7, opts));
        byte[] reserved = plain.clone();
        reserved[3] = (byte) 0x20;
        CorruptDataException r = assertThrows(CorruptDataException.class, () -> gunzip(reserved, opts));
        assertEquals(3, r.offset());
    }

    @Test
    void rejectsAHugeDeclaredExtraFieldThatIsNotThere() {
        byte[] header = {0x1f, (byte) 0x8b, 8, 4, 0, 0, 0, 0, 0, 3, (byte) 0xff, (byte) 0xff, 'B', 'C', 2, 0, 1, 2};
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> gunzip(header, opts));
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
        assertEquals(12, e.offset());
    }

    @Test
    void aSizeFieldClaimingGigabytesIsNotAllocatedButStreamed() throws IOException {
        // a valid member whose MH subfield lies (4 GiB): the reader streams it instead of buffering that much
        byte[] ours = gzip(data, GzipOptions.builder().level(6).threads(1).build());
        assertEquals('M', ours[12]);
        byte[] liar = putInt(ours, 16, 0xfffffff0);
        assertArrayEquals(data, gunzip(liar, opts));
    }

    @Test
    void rejectsABlockSizeSmallerThanItsHeader() {
        byte[] bad = marked.clone();
        bad[16] = 5;
        bad[17] = 0;
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> gunzip(bad, opts));
        assertEquals(0, e.offset());
    }

    @Test
    void rejectsADeclaredIsizeAboveTheMemoryBound() {
        int size = firstMemberSize(marked);
        byte[] bad = putInt(marked, size - 4, 0x7fffffff);
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> gunzip(bad, opts));
        assertEquals(0x7fffffffL, e.needed());
    }

    @Test
    void rejectsDamagedDeflateDataWithTheMemberOffset() {
        int size = firstMemberSize(marked);
        byte[] bad = marked.clone();
        for (int i = size + 30; i < size + 60; i++) {
            bad[i] = (byte) 0xff;
        }
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> gunzip(bad, opts));
        assertTrue(e.offset() >= size && e.offset() < 2L * size + 40, "offset " + e.offset() + " in member 1");
        assertEquals(1, e.block());
    }
}
