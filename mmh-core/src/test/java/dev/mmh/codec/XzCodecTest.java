package dev.mmh.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    protected String nativeSwitch() {
        return "mmh.xz.native";
    }

    @Override
    protected List<CodecParams> paramsUnderTest() {
        List<CodecParams> p = new ArrayList<>(super.paramsUnderTest());
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
        // native when the liblzma decoder is in use (XzNativeTest), and the version line says which
        assertEquals(codec().isNative(), codec().libraryVersion().contains("(decoder)"), codec().libraryVersion());
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
    void decoderNeedsNoParameters() throws Exception {
        // the engine hands every decoder the archive header's parameters, which may belong to another codec
        byte[] raw = TestData.text(SAMPLE);
        byte[] c = compress(new CodecParams(9, 0, CodecParams.EXTREME), raw);
        for (CodecParams foreign : List.of(CodecParams.level(0), new CodecParams(19, 27, CodecParams.LONG),
                CodecParams.level(-5), new CodecParams(6, 12, 0))) {
            assertArrayEquals(raw, decompress(foreign, c, raw.length), foreign.toString());
        }
    }

    @Test
    void dictionaryIsCappedAtTheBlock() throws Exception {
        // a 64 KiB dictionary (window log 16) must not reach matches 100 KB back; a cap at the block changes nothing
        byte[] half = TestData.random(100_000, 8);
        byte[] raw = Arrays.copyOf(half, 200_000);
        System.arraycopy(half, 0, raw, 100_000, 100_000);
        int small = compress(new CodecParams(6, 16, 0), raw).length;
        int large = compress(new CodecParams(6, 24, 0), raw).length;
        assertTrue(small > 190_000, "64 KiB dictionary found a 100 KB repeat: " + small);
        assertTrue(large < 110_000, "16 MiB dictionary missed a 100 KB repeat: " + large);
        assertArrayEquals(compress(new CodecParams(6, 24, 0), raw), compress(new CodecParams(6, 30, 0), raw),
                "dictionaries above the block size should give the same bytes");
    }

    @Test
    void rejectsWindowLogOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> codec().newCompressor(new CodecParams(6, 31, 0)));
        assertThrows(IllegalArgumentException.class, () -> codec().newCompressor(new CodecParams(6, 11, 0)));
    }
}
