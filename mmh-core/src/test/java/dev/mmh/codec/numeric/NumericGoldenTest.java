package dev.mmh.codec.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Decompressor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed numeric golden blocks (see {@link NumericGolden}) still decode to their inputs, and the coders still
 * write them byte for byte: a changed byte is a format change.
 */
class NumericGoldenTest {
    @Test
    void goldenBlocksDecodeToTheirInputs() throws Exception {
        try (Decompressor d = new NumericCodec().newDecompressor(CodecParams.level(1))) {
            for (Map.Entry<String, NumericGolden.Case> e : NumericGolden.cases().entrySet()) {
                byte[] g = NumericGolden.golden(e.getKey());
                byte[] in = e.getValue().input();
                byte[] back = new byte[in.length];
                d.decompress(g, 0, g.length, back, 0, in.length);
                assertArrayEquals(in, back, e.getKey());
            }
        }
    }

    @Test
    void coderStillWritesTheGoldenBytes() throws Exception {
        RansModel m = new RansModel();
        for (Map.Entry<String, NumericGolden.Case> e : NumericGolden.cases().entrySet()) {
            assertArrayEquals(NumericGolden.golden(e.getKey()), NumericGolden.encode(e.getValue(), m),
                    e.getKey() + " changed: that is a format change");
        }
    }
}
