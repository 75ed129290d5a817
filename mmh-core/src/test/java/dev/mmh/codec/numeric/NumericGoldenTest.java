package dev.mmh.codec.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void javaAndNativeDecodersOfFormats01And03DecodeTheGoldens() throws Exception {
        assertNull(NativeRans.loadError(), "native numeric coder");
        try {
            for (Map.Entry<String, NumericGolden.Case> e : NumericGolden.cases().entrySet()) {
                int format = e.getValue().format();
                if (format == 0) {
                    continue;
                }
                byte[] g = NumericGolden.golden(e.getKey());
                byte[] in = e.getValue().input();
                byte[] java = new byte[in.length];
                if (format == 1) {
                    new RansModel(false).decodeJava(g, 0, g.length, java, 0, in.length);
                } else {
                    new LanesModel(false).decodeJava(g, 0, g.length, java, 0, in.length);
                }
                assertArrayEquals(in, java, e.getKey() + " java");
                for (int simd = 0; simd < 2; simd++) {
                    NativeRans.simd(simd);
                    byte[] nat = new byte[in.length];
                    try (NativeRans.Context context = new NativeRans.Context()) {
                        assertTrue(NativeRans.decode(context, g, 0, g.length, nat, 0, in.length));
                    }
                    assertArrayEquals(in, nat, e.getKey() + " native, simd " + simd);
                }
            }
        } finally {
            NativeRans.simd(1);
        }
    }

    @Test
    void javaAndNativeCodersStillWriteTheGoldenBytes() throws Exception {
        assertNull(NativeRans.loadError(), "native numeric coder");
        for (boolean allowNative : new boolean[] {false, true}) {
            for (Map.Entry<String, NumericGolden.Case> e : NumericGolden.cases().entrySet()) {
                assertArrayEquals(NumericGolden.golden(e.getKey()), NumericGolden.encode(e.getValue(), allowNative),
                        e.getKey() + (allowNative ? " (native)" : " (java)") + " changed: that is a format change");
            }
        }
    }
}
