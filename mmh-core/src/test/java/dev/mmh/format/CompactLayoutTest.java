package dev.mmh.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.engine.ArchiveProtection;
import dev.mmh.engine.CompressOptions;
import dev.mmh.engine.Verifier;
import dev.mmh.hash.ContentHash;
import dev.mmh.testing.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compact layout (format version 2, docs/FORMAT.md "Compact layout"): an input of one block is a 32-byte header
 * and one ordinary block section, nothing else. Golden files under src/test/resources/golden/v2 (made by
 * {@link GoldenFiles#main}).
 */
class CompactLayoutTest {
    @TempDir
    Path dir;

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = CompactLayoutTest.class.getResourceAsStream("/golden/v2/" + name)) {
            if (in == null) {
                throw new IOException("golden file missing: " + name);
            }
            return in.readAllBytes();
        }
    }

    private static CompressOptions oneBlock(String codec) {
        return CompressOptions.builder().blockSize(16384).threads(2).codec(codec).build();
    }

    @Test
    void writerStillProducesTheGoldenBytesAndTheyDecode() throws IOException {
        for (Map.Entry<String, CompressOptions> e : GoldenFiles.compactCases().entrySet()) {
            byte[] g = golden(e.getKey());
            assertArrayEquals(g, TestData.compress(GoldenFiles.input(), e.getValue()),
                    e.getKey() + " changed: that is a format change");
            assertArrayEquals(GoldenFiles.input(), TestData.decompress(g, 2), e.getKey());
        }
    }

    @Test
    void layoutIsAsSpecified() throws IOException {
        byte[] g = golden("text-compact-store.mmh");
        assertArrayEquals(Format.MAGIC, Arrays.copyOf(g, 8));
        assertEquals(2, LE.get16(g, 8), "version");
        assertEquals(0, LE.get16(g, 10), "flags");
        assertEquals(1, g[12], "hash id xxh64");
        assertEquals(0, g[13], "codec id store");
        assertEquals(16384, LE.get32(g, 24), "block size");
        assertEquals(Format.crc(g, 0, 28), LE.get32(g, 28), "header CRC");
        assertEquals(Format.SECTION_BLOCK, LE.get32(g, 32), "the block follows the header");
        assertEquals(0, LE.get64(g, 32 + 12), "block number");
        assertEquals(10_000, LE.get64(g, 32 + 36), "stored size");
        // 32 + 56 + stored + 4, and nothing after: 92 bytes of overhead with XXH64
        assertEquals(10_000 + 92, g.length);
        byte[] sha = golden("text-compact-sha256-bwt.mmh");
        assertEquals(2, sha[12], "hash id sha256");
        assertEquals(32 + 44 + 32 + 4 + LE.get64(sha, 32 + 36) + 4, sha.length);
    }

    @Test
    void onlyInputsOfOneBlockAreCompact() throws IOException {
        byte[] one = TestData.compress(TestData.text(16384, 1), oneBlock("zstd"));
        byte[] two = TestData.compress(TestData.text(16385, 1), oneBlock("zstd"));
        byte[] none = TestData.compress(new byte[0], oneBlock("zstd"));
        assertEquals(Format.COMPACT_VERSION, LE.get16(one, 8));
        assertEquals(Format.VERSION, LE.get16(two, 8));
        assertEquals(Format.VERSION, LE.get16(none, 8), "an empty input has no block to make compact");
        byte[] full = TestData.compress(TestData.text(16384, 1), oneBlock("zstd").withCompact(false));
        assertEquals(Format.VERSION, LE.get16(full, 8));
        assertEquals(full.length - 188, one.length, "compact saves 8 header bytes, the index and the footer");
    }

    @Test
    void sameContentIdAndBlockAsTheFullLayoutAndExpandGivesItBackByteForByte() throws IOException {
        byte[] data = TestData.text(12_345, 7);
        for (ContentHash h : ContentHash.values()) {
            CompressOptions o = CompressOptions.builder().blockSize(16384).threads(1).codec("zstd").hash(h).build();
            Path c = dir.resolve("c.mmh");
            Path f = dir.resolve("f.mmh");
            Files.write(c, TestData.compress(data, o));
            byte[] full = TestData.compress(data, o.withCompact(false));
            Files.write(f, full);
            try (SeekableArchive a = SeekableArchive.open(c); SeekableArchive b = SeekableArchive.open(f)) {
                assertTrue(a.header().compact());
                assertFalse(b.header().compact());
                assertArrayEquals(b.index().contentId(), a.index().contentId());
                assertEquals(1, a.index().entries().size());
                assertEquals(Format.COMPACT_HEADER_SIZE, a.index().entries().get(0).offset());
                assertEquals(data.length, a.footer().totalRawSize());
                assertEquals(0, a.footer().recoveryOffset());
            }
            Path x = dir.resolve("x.mmh");
            try (FileChannel in = FileChannel.open(c);
                 FileChannel out = FileChannel.open(x, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING)) {
                assertTrue(SeekableArchive.isCompact(in));
                ArchiveProtection.expand(in, out, 2);
            }
            assertArrayEquals(full, Files.readAllBytes(x), h + ": expand gives the full layout's bytes");
        }
    }

    @Test
    void expandRefusesADamagedBlock() throws IOException {
        byte[] g = golden("text-compact-zstd3.mmh").clone();
        g[200] ^= 1;
        Path c = dir.resolve("c.mmh");
        Files.write(c, g);
        Path x = dir.resolve("x.mmh");
        try (FileChannel in = FileChannel.open(c);
             FileChannel out = FileChannel.open(x, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            assertThrows(CorruptDataException.class, () -> ArchiveProtection.expand(in, out, 1));
            assertEquals(0, out.size(), "nothing written");
        }
    }

    @Test
    void truncationAtAnyPointIsFoundByBothReaders() throws IOException {
        byte[] g = golden("text-compact-zstd3.mmh");
        for (int cut : new int[] {8, 31, 32, 35, 33 + 56, 100, g.length - 4, g.length - 1}) {
            byte[] t = Arrays.copyOf(g, cut);
            CorruptDataException e = assertThrows(CorruptDataException.class, () -> TestData.decompress(t, 1),
                    "stream, cut at " + cut);
            assertTrue(e.getMessage().contains("truncated"), cut + ": " + e.getMessage());
            Path p = dir.resolve("t.mmh");
            Files.write(p, t);
            Verifier.Report r = Verifier.verify(p, TestData.threads(1));
            assertFalse(r.damage().isEmpty(), "verify, cut at " + cut);
            assertThrows(CorruptDataException.class, () -> SeekableArchive.open(p).close(), "seekable, cut at " + cut);
        }
    }

    @Test
    void appendedBytesAreFound() throws IOException {
        byte[] g = golden("text-compact-zstd3.mmh");
        byte[] t = Arrays.copyOf(g, g.length + 1);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> TestData.decompress(t, 1));
        assertTrue(e.getMessage().contains("data after the end"), e.getMessage());
        Path p = dir.resolve("a.mmh");
        Files.write(p, t);
        e = assertThrows(CorruptDataException.class, () -> SeekableArchive.open(p).close());
        assertTrue(e.getMessage().contains("data appended"), e.getMessage());
    }

    @Test
    void aDamagedVersionIsDamageNotAnotherLayout() throws IOException {
        byte[] g = golden("text-compact-zstd3.mmh").clone();
        LE.put16(g, 8, 1);
        assertThrows(ChecksumMismatchException.class, () -> TestData.decompress(g, 1));
        byte[] h = golden("text-compact-zstd3.mmh").clone();
        LE.put16(h, 8, 7);
        assertThrows(ChecksumMismatchException.class, () -> TestData.decompress(h, 1));
    }

    @Test
    void everyFlippedByteIsFoundByVerify() throws IOException {
        byte[] g = golden("text-compact-sha256-bwt.mmh");
        Path p = dir.resolve("f.mmh");
        for (int i = 0; i < g.length; i += 7) {
            byte[] d = g.clone();
            d[i] ^= 0x40;
            Files.write(p, d);
            Verifier.Report r;
            try {
                r = Verifier.verify(p, TestData.threads(1));
            } catch (dev.mmh.MmhException e) {
                continue; // a damaged magic or version: reported as not mmh / unsupported, also a failure
            }
            assertFalse(r.damage().isEmpty(), "flip at " + i);
            int at = i;
            assertThrows(java.io.IOException.class, () -> TestData.decompress(d, 1), "decompress, flip at " + at);
        }
    }
}
