package dev.mmh.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.NotMmhFormatException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.engine.CompressOptions;
import dev.mmh.testing.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden archives of format version 1, committed under src/test/resources/golden/v1 (made by
 * {@link GoldenFiles#main}). If a writer change alters their bytes, the format changed: bump the version and
 * document it in docs/FORMAT.md. zstd goldens also pin the zstd-jni version of the pom.
 */
class GoldenFilesTest {
    private static byte[] golden(String name) throws IOException {
        try (InputStream in = GoldenFilesTest.class.getResourceAsStream("/golden/v1/" + name)) {
            if (in == null) {
                throw new IOException("golden file missing: " + name);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void committedInputIsTheGeneratedOne() throws IOException {
        assertArrayEquals(GoldenFiles.input(), golden("text.bin"));
    }

    @Test
    void everyGoldenDecodesToItsInput() throws IOException {
        for (String name : GoldenFiles.cases().keySet()) {
            assertArrayEquals(golden("text.bin"), TestData.decompress(golden(name), 2), name);
        }
        assertEquals(0, TestData.decompress(golden("empty-zstd3.mmh"), 1).length);
    }

    @Test
    void writerStillProducesTheGoldenBytes() throws IOException {
        for (Map.Entry<String, CompressOptions> e : GoldenFiles.cases().entrySet()) {
            assertArrayEquals(golden(e.getKey()), TestData.compress(golden("text.bin"), e.getValue()),
                    e.getKey() + " changed: that is a format change");
        }
    }

    @Test
    void headerLayoutIsAsSpecified() throws IOException {
        byte[] g = golden("text-zstd3.mmh");
        assertArrayEquals(Format.MAGIC, Arrays.copyOf(g, 8));
        assertEquals(1, LE.get16(g, 8), "version");
        assertEquals(1, g[12], "hash id xxh64");
        assertEquals(1, g[13], "codec id zstd");
        assertEquals(3, LE.get32(g, 16), "level");
        assertEquals(4096, LE.get64(g, 24), "block size");
        assertEquals(Format.SECTION_BLOCK, LE.get32(g, 40), "first block follows the header");
        assertArrayEquals(Format.FOOTER_MAGIC, Arrays.copyOfRange(g, g.length - 8, g.length));
        assertEquals(g.length, LE.get64(g, g.length - 64 + 32), "footer file length");
    }

    @Test
    void truncatedGoldenIsReportedAsTruncated() throws IOException {
        byte[] g = golden("text-zstd3.mmh");
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> TestData.decompress(Arrays.copyOf(g, g.length - 10), 1));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(g.length - 10, e.offset());
    }

    @Test
    void flippedPayloadByteIsAStoredDataChecksumMismatchInItsBlock() throws IOException {
        byte[] g = golden("text-store.mmh").clone();
        int firstPayload = Format.HEADER_SIZE + BlockHeader.size(8);
        int secondBlock = firstPayload + 4096 + 4;
        g[secondBlock + BlockHeader.size(8) + 100] ^= 0x10;
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> TestData.decompress(g, 1));
        assertEquals(1, e.block());
        assertTrue(e.getMessage().startsWith("block 1 at offset " + (secondBlock + BlockHeader.size(8))
                + ": stored data checksum mismatch"), e.getMessage());
    }

    @Test
    void unknownVersionWithValidChecksumIsUnsupported() throws IOException {
        byte[] g = golden("text-zstd3.mmh").clone();
        LE.put16(g, 8, 4);
        LE.put32(g, 36, Format.crc(g, 0, 36));
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> TestData.decompress(g, 1));
        assertEquals("at offset 8: unknown format version 4: not supported by this version of mmh", e.getMessage());
    }

    @Test
    void unknownCodecIdWithValidChecksumIsUnsupported() throws IOException {
        byte[] g = golden("text-zstd3.mmh").clone();
        int h = Format.HEADER_SIZE;
        g[h + 4] = (byte) 200;
        LE.put32(g, h + Format.BLOCK_FIXED + 8, Format.crc(g, h, Format.BLOCK_FIXED + 8));
        // a consistent archive from a future writer: its index names the same codec
        int footer = g.length - Format.FOOTER_SIZE;
        int index = (int) LE.get64(g, footer);
        int indexLength = (int) LE.get64(g, footer + 8);
        g[index + 24 + 32] = (byte) 200;
        LE.put32(g, index + indexLength - 4, Format.crc(g, index, indexLength - 4));
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> TestData.decompress(g, 1));
        assertEquals("block 0 at offset 40: unknown codec id 200: not supported by this version of mmh",
                e.getMessage());
    }

    @Test
    void foreignFileIsNotMmh() {
        byte[] zip = {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThrows(NotMmhFormatException.class, () -> TestData.decompress(zip, 1));
        assertThrows(NotMmhFormatException.class, () -> TestData.decompress(new byte[0], 1));
    }
}
