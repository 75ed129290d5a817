package dev.mmh.codec.bwt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.CorruptDataException;
import dev.mmh.codec.Codec;
import dev.mmh.codec.CodecContractTest;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * The codec contract on bwt, and its own cases. The reference decoder is the Java one, independent of the C decoder
 * the codec runs where mmh-core's native library loaded; with {@code -Dmmh.bwt.native=false} (the java-loops run)
 * the codec itself decodes in Java.
 */
class BwtCodecTest extends CodecContractTest {
    private final Codec codec = new BwtCodec();

    @Override
    protected String codecName() {
        return "bwt";
    }

    @Override
    protected String nativeSwitch() {
        return NativeBwt.DISABLE_PROPERTY;
    }

    @Override
    protected void assertReferenceDecodes(byte[] compressed, byte[] raw, CodecParams params) throws Exception {
        assertDecodesWith(BwtCodec.newJavaDecompressor(), compressed, raw, "the Java decoder");
    }

    private byte[] compress(Compressor c, byte[] raw) throws IOException {
        byte[] out = new byte[(int) codec.maxCompressedLength(raw.length)];
        return Arrays.copyOf(out, c.compress(raw, 0, raw.length, out, 0, out.length));
    }

    private byte[] decompress(byte[] enc, int rawLen) throws IOException {
        byte[] out = new byte[rawLen + 2];
        try (Decompressor d = codec.newDecompressor(CodecParams.level(1))) {
            d.decompress(enc, 0, enc.length, out, 1, rawLen);
        }
        assertEquals(0, out[0]);
        assertEquals(0, out[rawLen + 1]);
        return Arrays.copyOfRange(out, 1, rawLen + 1);
    }

    private byte[] roundTrip(byte[] raw) throws IOException {
        try (Compressor c = codec.newCompressor(CodecParams.level(1))) {
            byte[] enc = compress(c, raw);
            assertArrayEquals(raw, decompress(enc, raw.length));
            return enc;
        }
    }

    private static byte[] corpus(String set, String name, int max) throws IOException {
        Path p = Path.of(System.getProperty("mmh.corpus", "target/corpus")).resolve(set).resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(p), "corpus file " + p + " is not there");
        try (var in = Files.newInputStream(p)) {
            return in.readNBytes(max);
        }
    }

    @Test
    void isRegisteredAsId6() throws Exception {
        assertEquals("bwt", Codecs.byId(6).name());
        assertEquals(6, Codecs.byName("bwt").id());
    }

    @Test
    void roundTripsEdgeCases() throws IOException {
        roundTrip(new byte[0]);
        roundTrip(new byte[] {42});
        roundTrip(new byte[] {0});
        byte[] all = new byte[256 * 3];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        roundTrip(all);
        roundTrip(new byte[100_000]);
        byte[] ff = new byte[70_000];
        Arrays.fill(ff, (byte) 0xFF);
        roundTrip(ff);
        byte[] ab = new byte[200_001];
        for (int i = 0; i < ab.length; i++) {
            ab[i] = (byte) (i % 2 == 0 ? 'a' : 'b');
        }
        roundTrip(ab);
        Random r = new Random(3);
        for (int n : new int[] {2, 3, 17, 255, 4096, 65535, 65536, 65537, 300_001}) {
            byte[] rnd = new byte[n];
            r.nextBytes(rnd);
            byte[] enc = roundTrip(rnd);
            assertTrue(enc.length <= n + 16, "random data expanded to " + enc.length);
            byte[] small = new byte[n];
            for (int i = 0; i < n; i++) {
                small[i] = (byte) ('a' + r.nextInt(3));
            }
            roundTrip(small);
        }
    }

    @Test
    void roundTripsCorpusTextAndBinary() throws IOException {
        roundTrip(corpus("canterbury", "alice29.txt", 1 << 20));
        roundTrip(corpus("silesia", "ooffice", 1 << 20));
        roundTrip(corpus("silesia", "x-ray", 1 << 20));
        roundTrip(corpus("mixed", "house.jpg", 1 << 20));
    }

    @Test
    void splitsBlocksIntoChunks() throws IOException {
        byte[] raw = corpus("calgary", "book1", 300_000);
        try (Compressor c = BwtCodec.newCompressor(70_000)) {
            byte[] enc = compress(c, raw);
            assertArrayEquals(raw, decompress(enc, raw.length));
        }
    }

    @Test
    void oneDecompressorDecodesBlocksOfChangingSizes() throws IOException {
        // the decoder keeps its buffers and byte counts between blocks: a smaller block after a larger one
        // must not see the larger one's state
        Random r = new Random(5);
        byte[][] raws = new byte[6][];
        for (int k = 0; k < raws.length; k++) {
            int n = new int[] {300_000, 5000, 70_000, 1, 65_536, 131_071}[k];
            raws[k] = new byte[n];
            for (int i = 0; i < n; i++) {
                raws[k][i] = (byte) (k % 2 == 0 ? 'a' + r.nextInt(4 + k) : r.nextInt(256));
            }
        }
        try (Compressor c = codec.newCompressor(CodecParams.level(1));
                Decompressor d = codec.newDecompressor(CodecParams.level(1))) {
            for (byte[] raw : raws) {
                byte[] enc = compress(c, raw);
                byte[] out = new byte[raw.length];
                d.decompress(enc, 0, enc.length, out, 0, raw.length);
                assertArrayEquals(raw, out);
            }
        }
    }

    @Test
    void beatsXzOnText() throws IOException {
        byte[] raw = corpus("canterbury", "lcet10.txt", 1 << 20);
        ByteArrayOutputStream xz = new ByteArrayOutputStream();
        try (XZOutputStream o = new XZOutputStream(xz, new LZMA2Options(9))) {
            o.write(raw);
        }
        byte[] enc = roundTrip(raw);
        assertTrue(enc.length < 0.92 * xz.size(), "bwt " + enc.length + " vs xz -9 " + xz.size());
    }

    @Test
    void rejectsDamagedBlocksOnlyWithCorruptDataException() throws IOException {
        byte[] raw = "the quick brown fox jumps over the lazy dog. ".repeat(3000).getBytes(StandardCharsets.US_ASCII);
        byte[] enc = roundTrip(raw);
        assertThrows(CorruptDataException.class, () -> decompress(enc, raw.length + 1));
        assertThrows(CorruptDataException.class, () -> decompress(Arrays.copyOf(enc, enc.length - 1), raw.length));
        assertThrows(CorruptDataException.class, () -> decompress(Arrays.copyOf(enc, enc.length + 1), raw.length));
        assertThrows(CorruptDataException.class, () -> decompress(new byte[0], raw.length));
        Random r = new Random(11);
        for (int k = 0; k < 1500; k++) {
            byte[] bad = enc.clone();
            for (int f = 1 + r.nextInt(3); f > 0; f--) {
                bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
            }
            byte[] input = r.nextInt(4) == 0 ? Arrays.copyOf(bad, r.nextInt(bad.length)) : bad;
            try {
                decompress(input, raw.length);
            } catch (CorruptDataException expected) {
                // the only allowed failure; undetected damage is the container checksum's job
            }
        }
    }
}
