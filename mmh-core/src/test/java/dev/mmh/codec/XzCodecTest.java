package dev.mmh.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.CorruptDataException;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2InputStream;

/**
 * Raw LZMA2 blocks are checked with the {@code xz} command ({@code --format=raw}, liblzma) when installed and with
 * XZ for Java's public {@link LZMA2InputStream}; {@code xz}'s raw output must decode with the codec.
 */
class XzCodecTest extends CodecContractTest {
    @Override
    protected String codecName() {
        return "xz";
    }

    @Override
    protected List<CodecParams> paramsUnderTest() {
        List<CodecParams> p = new ArrayList<>(super.paramsUnderTest());
        p.add(new CodecParams(0, 0, CodecParams.EXTREME));
        p.add(new CodecParams(3, 0, CodecParams.EXTREME));
        p.add(new CodecParams(9, 0, CodecParams.EXTREME));
        p.add(new CodecParams(6, 16, 0)); // 64 KiB dictionary, smaller than the sample
        return p;
    }

    /** A dictionary that holds the whole block is always large enough to decode it. */
    private static int dictFor(byte[] raw) {
        return Math.max(4096, raw.length);
    }

    @Override
    protected void assertReferenceDecodes(byte[] compressed, byte[] raw, CodecParams params) throws Exception {
        try (LZMA2InputStream in = new LZMA2InputStream(new ByteArrayInputStream(compressed), dictFor(raw))) {
            assertArrayEquals(raw, in.readAllBytes(), "XZ for Java LZMA2InputStream");
        }
        if (TestData.hasTool("xz") && (raw.length > 1000 || params.level() == 9)) {
            assertArrayEquals(raw, TestData.run(compressed, "xz", "--format=raw", "--lzma2=dict=" + dictFor(raw),
                    "-d", "-c"), "xz --format=raw -d");
        }
    }

    @Override
    protected byte[] referenceEncode(byte[] raw) throws Exception {
        if (!TestData.hasTool("xz")) {
            return null;
        }
        return TestData.run(raw, "xz", "--format=raw", "--lzma2=preset=6,dict=" + dictFor(raw), "-c");
    }

    @Test
    void presetsAreZeroToNine() {
        assertEquals(0, codec().minLevel());
        assertEquals(9, codec().maxLevel());
        assertEquals(6, codec().defaultLevel());
        assertFalse(codec().isNative());
    }

    @Test
    void extremePresetDiffersFromTheNormalOne() throws Exception {
        byte[] raw = TestData.text(SAMPLE);
        byte[] normal = compress(CodecParams.level(1), raw);
        byte[] extreme = compress(new CodecParams(1, 0, CodecParams.EXTREME), raw);
        assertFalse(Arrays.equals(normal, extreme), "-1e made the same bytes as -1");
        assertTrue(extreme.length < normal.length, "-1e " + extreme.length + " bytes, -1 " + normal.length);
    }

    @Test
    void decoderWithASmallerDictionaryThanTheEncoderFailsCleanly() throws Exception {
        byte[] raw = TestData.text(SAMPLE);
        byte[] c = compress(CodecParams.level(6), raw);
        // the archive header would say 64 KiB; the block was written with 200 KB: matches reach too far back
        assertThrows(CorruptDataException.class, () -> decompress(new CodecParams(6, 16, 0), c, raw.length));
    }

    @Test
    void rejectsWindowLogOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> codec().newCompressor(new CodecParams(6, 31, 0)));
        assertThrows(IllegalArgumentException.class, () -> codec().newDecompressor(new CodecParams(6, 11, 0)));
    }
}
