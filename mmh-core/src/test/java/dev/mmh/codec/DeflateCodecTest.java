package dev.mmh.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mmh.CorruptDataException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;

/**
 * Raw deflate blocks are checked with java.util.zip's stream reader and, when installed, with the {@code gzip}
 * command (its own inflate, not zlib) after wrapping the block in a gzip member; gzip's output, stripped of its
 * header and trailer, must decode with the codec.
 */
class DeflateCodecTest extends CodecContractTest {
    @Override
    protected String codecName() {
        return "deflate";
    }

    @Override
    protected void assertReferenceDecodes(byte[] compressed, byte[] raw, CodecParams params) throws Exception {
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(compressed),
                new Inflater(true))) {
            assertArrayEquals(raw, in.readAllBytes(), "java.util.zip InflaterInputStream");
        }
        if (TestData.hasTool("gzip") && raw.length > 1000) {
            assertArrayEquals(raw, TestData.run(gzipMember(compressed, raw), "gzip", "-d", "-c"), "gzip -d");
        }
    }

    /** A gzip member (RFC 1952): fixed 10-byte header without name or time, the deflate data, CRC-32 and size. */
    private static byte[] gzipMember(byte[] deflate, byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}, 0, 10);
        out.write(deflate, 0, deflate.length);
        CRC32 crc = new CRC32();
        crc.update(raw);
        TestData.writeIntLe(out, (int) crc.getValue());
        TestData.writeIntLe(out, raw.length);
        return out.toByteArray();
    }

    /** {@code gzip -6 -n} output without its 10-byte header and 8-byte trailer; zlib's own raw deflate otherwise. */
    @Override
    protected byte[] referenceEncode(byte[] raw) throws Exception {
        if (TestData.hasTool("gzip")) {
            byte[] gz = TestData.run(raw, "gzip", "-6", "-n", "-c");
            assertEquals(0, gz[3], "gzip header flags (no name, no extra fields expected)");
            return Arrays.copyOfRange(gz, 10, gz.length - 8);
        }
        Deflater d = new Deflater(6, true);
        d.setInput(raw);
        d.finish();
        byte[] out = new byte[raw.length * 2 + 64];
        int n = d.deflate(out);
        d.end();
        return Arrays.copyOf(out, n);
    }

    @Test
    void levelsAreZlibs() {
        assertEquals(1, codec().minLevel());
        assertEquals(9, codec().maxLevel());
        assertEquals(6, codec().defaultLevel());
    }

    @Test
    void rejectsAStreamWithTrailingBytes() throws Exception {
        byte[] raw = TestData.text(5000);
        byte[] c = compress(defaults(), raw);
        byte[] longer = Arrays.copyOf(c, c.length + 3);
        assertThrows(CorruptDataException.class, () -> decompress(defaults(), longer, raw.length));
    }

    @Test
    void rejectsAZlibWrappedStream() throws Exception {
        byte[] raw = TestData.text(5000);
        Deflater d = new Deflater(6, false);
        d.setInput(raw);
        d.finish();
        byte[] out = new byte[raw.length + 100];
        int n = d.deflate(out);
        d.end();
        assertThrows(CorruptDataException.class, () -> decompress(defaults(), Arrays.copyOf(out, n), raw.length));
    }
}
