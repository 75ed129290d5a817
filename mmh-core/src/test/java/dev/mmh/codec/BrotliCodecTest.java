package dev.mmh.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;
import java.util.ArrayList;
import java.util.List;
import dev.mmh.codec.brotli.BrotliCodec;
import org.junit.jupiter.api.Test;

/**
 * Brotli streams are checked with the {@code brotli} command when installed (Debian's libbrotli, a separate build)
 * and otherwise with brotli4j's one-shot decoder; the command's output must decode with the codec.
 */
class BrotliCodecTest extends CodecContractTest {
    @Override
    protected String codecName() {
        return "brotli";
    }

    @Override
    protected List<CodecParams> paramsUnderTest() {
        List<CodecParams> p = new ArrayList<>(super.paramsUnderTest());
        p.add(new CodecParams(5, 16, 0)); // window smaller than the sample
        return p;
    }

    @Override
    protected void assertReferenceDecodes(byte[] compressed, byte[] raw, CodecParams params) throws Exception {
        if (TestData.hasTool("brotli")) {
            assertArrayEquals(raw, TestData.run(compressed, "brotli", "-d", "-c"), "brotli -d");
        } else {
            DirectDecompress d = Decoder.decompress(compressed);
            assertEquals(DecoderJNI.Status.DONE, d.getResultStatus());
            assertArrayEquals(raw, d.getDecompressedData(), "brotli4j one-shot decoder");
        }
    }

    @Override
    protected byte[] referenceEncode(byte[] raw) throws Exception {
        return TestData.hasTool("brotli") ? TestData.run(raw, "brotli", "-q", "5", "-c") : null;
    }

    @Test
    void qualitiesAreZeroToEleven() {
        assertEquals(0, codec().minLevel());
        assertEquals(11, codec().maxLevel());
        assertEquals(6, codec().defaultLevel());
        assertTrue(codec().isNative());
    }

    @Test
    void windowIsTheSmallestThatHoldsTheBlock() {
        assertEquals(10, BrotliCodec.windowLogFor(0));
        assertEquals(10, BrotliCodec.windowLogFor(1008));
        assertEquals(11, BrotliCodec.windowLogFor(1009));
        assertEquals(22, BrotliCodec.windowLogFor((4 << 20) - 16));
        assertEquals(23, BrotliCodec.windowLogFor(4 << 20));
        assertEquals(24, BrotliCodec.windowLogFor(1L << 30));
    }

    @Test
    void decodesInputLargerThanOneNativeChunk() throws Exception {
        // several input chunks on the way in and out, at a fast level to keep the test short
        byte[] raw = TestData.random(700_000, 5);
        roundTrip(CodecParams.level(1), raw);
        byte[] text = TestData.text(1_500_000);
        byte[] c = roundTrip(CodecParams.level(1), text);
        assertReferenceDecodes(c, text, CodecParams.level(1));
    }
}
