package dev.mmh.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.luben.zstd.Zstd;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** zstd frames are checked with zstd-jni's one-shot API and, when installed, the {@code zstd} command. */
class ZstdCodecTest extends CodecContractTest {
    @Override
    protected String codecName() {
        return "zstd";
    }

    @Override
    protected List<CodecParams> paramsUnderTest() {
        List<CodecParams> p = new ArrayList<>(super.paramsUnderTest());
        p.add(new CodecParams(3, 20, CodecParams.LONG));
        return p;
    }

    @Override
    protected void assertReferenceDecodes(byte[] compressed, byte[] raw, CodecParams params) throws Exception {
        assertEquals(raw.length, Zstd.getFrameContentSize(compressed), "frame content size");
        assertArrayEquals(raw, Zstd.decompress(compressed, raw.length), "zstd-jni one-shot decode");
        if (TestData.hasTool("zstd") && (raw.length > 1000 || params.level() == codec().maxLevel())) {
            assertArrayEquals(raw, TestData.run(compressed, "zstd", "-d", "-c", "-q", "--long=31"), "zstd -d");
        }
    }

    @Override
    protected byte[] referenceEncode(byte[] raw) throws Exception {
        if (TestData.hasTool("zstd")) {
            return TestData.run(raw, "zstd", "-3", "-c", "-q");
        }
        return Zstd.compress(raw, 3);
    }

    @Test
    void levelsSpanFastLevelsTo22() {
        assertEquals(-7, codec().minLevel());
        assertEquals(Zstd.maxCompressionLevel(), codec().maxLevel());
        assertEquals(3, codec().defaultLevel());
    }
}
