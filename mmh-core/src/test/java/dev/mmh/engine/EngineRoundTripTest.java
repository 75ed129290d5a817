package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.codec.Codecs;
import dev.mmh.format.Format;
import dev.mmh.format.SeekableArchive;
import dev.mmh.hash.ContentHash;
import dev.mmh.testing.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EngineRoundTripTest {
    private static CompressOptions.Builder small() {
        return CompressOptions.builder().blockSize(4096).threads(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4096, 4097, 3 * 4096, 100_000})
    void roundTripsSizesAroundBlockBoundaries(int n) throws IOException {
        byte[] data = TestData.text(n, n);
        byte[] archive = TestData.compress(data, small().build());
        assertArrayEquals(data, TestData.decompress(archive, 3));
    }

    @Test
    void sameBytesForAnyThreadCount() throws IOException {
        byte[] data = TestData.text(300_000, 7);
        byte[] one = TestData.compress(data, small().threads(1).build());
        for (int t : new int[] {2, 3, 8}) {
            assertArrayEquals(one, TestData.compress(data, small().threads(t).build()), "threads " + t);
        }
        assertArrayEquals(one, TestData.compress(data, small().threads(1).build()), "second run");
    }

    @Test
    void incompressibleBlocksAreStoredNotExpanded() throws IOException {
        byte[] data = TestData.random(50_000, 3);
        byte[] archive = TestData.compress(data, small().build());
        long overhead = archive.length - data.length;
        // header, per-block headers and CRCs, index and footer only
        assertTrue(overhead < 2000, "overhead " + overhead);
        assertArrayEquals(data, TestData.decompress(archive, 2));
    }

    @Test
    void sha256HashesRoundTripAndChangeTheContentId(@TempDir Path dir) throws IOException {
        byte[] data = TestData.text(20_000, 5);
        byte[] x = TestData.compress(data, small().build());
        byte[] s = TestData.compress(data, small().hash(ContentHash.SHA256).build());
        assertArrayEquals(data, TestData.decompress(s, 2));
        Files.write(dir.resolve("x.mmh"), x);
        Files.write(dir.resolve("s.mmh"), s);
        try (SeekableArchive a = SeekableArchive.open(dir.resolve("x.mmh"));
             SeekableArchive b = SeekableArchive.open(dir.resolve("s.mmh"))) {
            assertEquals(ContentHash.SHA256, b.header().hash());
            assertTrue(!java.util.Arrays.equals(a.index().contentId(), b.index().contentId()));
        }
    }

    @Test
    void readsInputThatArrivesOneByteAtATime() throws IOException {
        byte[] data = TestData.text(10_000, 9);
        byte[] archive = TestData.compress(data, small().build());
        InputStream trickle = new InputStream() {
            private final ByteArrayInputStream in = new ByteArrayInputStream(archive);

            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len == 0 ? 0 : in.read(b, off, 1);
            }
        };
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Mmh.decompress(trickle, out, TestData.threads(2));
        assertArrayEquals(data, out.toByteArray());
    }

    @Test
    void storeCodecKeepsBytesVerbatim() throws IOException {
        byte[] data = TestData.text(9000, 1);
        byte[] archive = TestData.compress(data, small().codec("store").build());
        // the first block's bytes follow the file header and one block header with an 8-byte hash
        assertEquals(Format.HEADER_SIZE + dev.mmh.format.BlockHeader.size(8), indexOf(archive, data, 0));
        assertArrayEquals(data, TestData.decompress(archive, 1));
        assertEquals(Codecs.STORE, Codecs.byName("store").id());
    }

    private static int indexOf(byte[] hay, byte[] data, int from) {
        outer:
        for (int i = from; i + 16 <= hay.length; i++) {
            for (int j = 0; j < 16; j++) {
                if (hay[i + j] != data[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
