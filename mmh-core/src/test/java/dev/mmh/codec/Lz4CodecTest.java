package dev.mmh.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

/**
 * lz4 blocks are checked with lz4-java's pure-Java safe decoder (a separate implementation from the JNI one under
 * test) and, when installed, with the {@code lz4} command after wrapping the block in an LZ4 frame.
 */
class Lz4CodecTest extends CodecContractTest {
    /** Largest block an LZ4 frame with block-size id 7 may carry. */
    private static final int FRAME_BLOCK_MAX = 4 << 20;

    @Override
    protected String codecName() {
        return "lz4";
    }

    @Override
    protected List<CodecParams> paramsUnderTest() {
        List<CodecParams> p = new ArrayList<>(super.paramsUnderTest());
        p.add(CodecParams.level(2)); // last fast level
        p.add(CodecParams.level(3)); // first HC level
        return p;
    }

    @Override
    protected void assertReferenceDecodes(byte[] compressed, byte[] raw, CodecParams params) throws Exception {
        byte[] out = new byte[raw.length];
        int n = LZ4Factory.safeInstance().safeDecompressor()
                .decompress(compressed, 0, compressed.length, out, 0, raw.length);
        assertEquals(raw.length, n, "lz4-java safe Java decoder length");
        assertArrayEquals(raw, out, "lz4-java safe Java decoder");
        if (TestData.hasTool("lz4") && raw.length > 1000 && raw.length <= FRAME_BLOCK_MAX) {
            assertArrayEquals(raw, TestData.run(frame(compressed), "lz4", "-d", "-c", "-q"), "lz4 -d");
        }
    }

    /**
     * Wraps one compressed block in an LZ4 frame (lz4 frame format 1.6.x): magic, descriptor with independent
     * blocks and a 4 MiB block maximum, its xxHash32 check byte, the block with its size, and the end mark.
     */
    private static byte[] frame(byte[] block) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        TestData.writeIntLe(f, 0x184D2204);
        byte[] descriptor = {0x60, 0x70}; // FLG: version 01, block independence; BD: block max size id 7
        f.write(descriptor, 0, 2);
        int hc = XXHashFactory.safeInstance().hash32().hash(descriptor, 0, 2, 0);
        f.write((hc >> 8) & 0xFF);
        TestData.writeIntLe(f, block.length); // high bit clear: a compressed block
        f.write(block, 0, block.length);
        TestData.writeIntLe(f, 0);
        return f.toByteArray();
    }

    /** Made by lz4-java's pure-Java HC compressor, then read by the codec's (JNI) decoder. */
    @Override
    protected byte[] referenceEncode(byte[] raw) {
        return LZ4Factory.safeInstance().highCompressor(9).compress(raw);
    }

    @Test
    void levelsFollowTheLz4Command() {
        assertEquals(1, codec().minLevel());
        assertEquals(12, codec().maxLevel());
        assertEquals(1, codec().defaultLevel());
        assertEquals(1, codec().fastLevel());
    }

    @Test
    void hcLevelsCompressSmallerThanTheFastCompressor() throws Exception {
        byte[] raw = TestData.text(SAMPLE);
        int fast = compress(CodecParams.level(2), raw).length;
        int hc = compress(CodecParams.level(3), raw).length;
        assertTrue(hc < fast, "HC level 3 gave " + hc + " bytes, fast level 2 gave " + fast);
    }

    @Test
    void usesTheNativeLibraryOnLinuxX8664() {
        if ("amd64".equals(System.getProperty("os.arch")) && System.getProperty("os.name").startsWith("Linux")) {
            assertTrue(codec().isNative(), codec().libraryVersion());
            assertTrue(codec().libraryVersion().contains("JNI"), codec().libraryVersion());
        }
    }

    @Test
    void matchesTheReferenceCompressorOutput() throws Exception {
        // the native compressor with reused state must give the bytes of lz4-java's one-shot native compressor
        byte[] raw = TestData.text(SAMPLE);
        assertArrayEquals(LZ4Factory.nativeInstance().fastCompressor().compress(raw), compress(CodecParams.level(1), raw));
        assertArrayEquals(LZ4Factory.nativeInstance().highCompressor(9).compress(raw), compress(CodecParams.level(9), raw));
    }
}
