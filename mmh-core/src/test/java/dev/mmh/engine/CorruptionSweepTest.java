package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mmh.CorruptDataException;
import dev.mmh.MmhException;
import dev.mmh.NotMmhFormatException;
import dev.mmh.format.BlockHeader;
import dev.mmh.format.Format;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.SeekableArchive;
import dev.mmh.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every single-byte change anywhere in an archive is detected by decompression and by the verifier, and both
 * report it inside the damaged structure: the block section (header, stored bytes, CRC) for a block, the index and
 * footer for the tail, the file header for the header.
 */
class CorruptionSweepTest {
    private static byte[] archive() throws IOException {
        return TestData.compress(TestData.text(6000, 11),
                CompressOptions.builder().blockSize(2048).threads(2).codec("zstd").level(3).build());
    }

    /** The full layout (three blocks, index, footer) and the compact one (one block, nothing after it). */
    private static byte[] archive(boolean compact) throws IOException {
        return compact ? TestData.compress(TestData.text(6000, 11),
                CompressOptions.builder().blockSize(8192).threads(2).codec("zstd").level(3).build()) : archive();
    }

    /**
     * The byte ranges of an archive's structures, read with the library's own parsers from the undamaged copy:
     * each block section (header, stored bytes, CRC), and the tail (index and footer).
     */
    private record Layout(long[] starts, long[] ends, long indexAt, long size) {
        static Layout of(Path f) throws IOException {
            try (SeekableArchive a = SeekableArchive.open(f)) {
                List<IndexEntry> es = a.index().entries();
                long[] starts = new long[es.size()];
                long[] ends = new long[es.size()];
                for (int i = 0; i < es.size(); i++) {
                    starts[i] = es.get(i).offset();
                    ends[i] = starts[i] + BlockHeader.size(a.header().hash().length()) + es.get(i).storedSize() + 4;
                }
                return new Layout(starts, ends, a.footer().indexOffset(), a.size());
            }
        }

        /** The block holding byte {@code pos}, or -1 when it lies outside every block. */
        int blockAt(long pos) {
            for (int i = 0; i < starts.length; i++) {
                if (pos >= starts[i] && pos < ends[i]) {
                    return i;
                }
            }
            return -1;
        }

        /** The structure holding byte {@code pos}, for messages. */
        String where(long pos) {
            int b = blockAt(pos);
            return b >= 0 ? "block " + b + " [" + starts[b] + ", " + ends[b] + ")"
                    : pos >= indexAt ? "index and footer [" + indexAt + ", " + size + ")"
                    : "file header [0, " + starts[0] + ")";
        }

        /** Whether damage to byte {@code pos} reported at {@code reported} points into the damaged structure. */
        boolean inside(long pos, long reported) {
            int b = blockAt(pos);
            if (b >= 0) {
                return reported >= starts[b] && reported < ends[b];
            }
            return pos >= indexAt ? reported >= indexAt && reported < size
                    : reported >= 0 && reported < starts[0];
        }
    }

    @ParameterizedTest(name = "compact {0}")
    @ValueSource(booleans = {false, true})
    void everyFlippedByteFailsDecompressionAtTheDamagedStructure(boolean compact, @TempDir Path dir)
            throws IOException {
        byte[] good = archive(compact);
        assertArrayEquals(TestData.text(6000, 11), TestData.decompress(good, 2));
        Path f = dir.resolve("good.mmh");
        Files.write(f, good);
        Layout layout = Layout.of(f);
        for (int pos = 0; pos < good.length; pos++) {
            for (int mask : new int[] {0x01, 0x80, 0xff}) {
                byte[] bad = good.clone();
                bad[pos] ^= (byte) mask;
                try {
                    TestData.decompress(bad, 2);
                    fail("flip of byte " + pos + " (mask " + mask + ") went unnoticed");
                } catch (MmhException expected) {
                    if (pos >= 8) {
                        assertFalse(expected instanceof NotMmhFormatException, "byte " + pos);
                    }
                    if (pos >= layout.starts()[0]) {
                        assertTrue(expected instanceof CorruptDataException, "byte " + pos + ": " + expected);
                        long at = ((CorruptDataException) expected).offset();
                        assertTrue(layout.inside(pos, at), "flip of byte " + pos + " (mask " + mask + ") in "
                                + layout.where(pos) + " reported at offset " + at + ": " + expected.getMessage());
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "compact {0}")
    @ValueSource(booleans = {false, true})
    void everyFlippedByteFailsVerificationAndDamageIsLocated(boolean compact, @TempDir Path dir) throws IOException {
        byte[] good = archive(compact);
        Path f = dir.resolve("a.mmh");
        Files.write(f, good);
        assertTrue(Verifier.verify(f, TestData.threads(2)).ok());
        Layout layout = Layout.of(f);
        assertEquals(compact ? 1 : 3, layout.starts().length, "blocks");
        for (int pos = 0; pos < good.length; pos++) {
            byte[] bad = good.clone();
            bad[pos] ^= 0x20;
            Files.write(f, bad);
            try {
                Verifier.Report r = Verifier.verify(f, TestData.threads(2));
                assertFalse(r.ok(), "flip of byte " + pos + " went unnoticed by verify");
                for (Verifier.Damage d : r.damage()) {
                    assertTrue(layout.inside(pos, d.offset()), "flip of byte " + pos + " in " + layout.where(pos)
                            + " reported at offset " + d.offset() + ": " + d);
                }
                int block = layout.blockAt(pos);
                if (block >= 0) {
                    assertTrue(r.damage().stream().anyMatch(d -> d.block() == block),
                            "flip of byte " + pos + " in block " + block + " reported as " + r.damage());
                }
            } catch (NotMmhFormatException e) {
                assertTrue(pos < 8, "byte " + pos + " reported as not mmh");
            } catch (MmhException e) {
                // header damage: reported as corrupt or unsupported, also a detection
                assertTrue(pos < layout.starts()[0], "byte " + pos + ": " + e);
            }
        }
    }

    @Test
    void verifierNamesEachDamagedBlock(@TempDir Path dir) throws IOException {
        byte[] data = TestData.random(5 * 4096, 5);
        byte[] a = TestData.compress(data, CompressOptions.builder().blockSize(4096).threads(1).build());
        int hl = dev.mmh.format.BlockHeader.size(8);
        int section = hl + 4096 + 4;
        byte[] bad = a.clone();
        bad[Format.HEADER_SIZE + section + hl + 10] ^= 1;       // block 1 payload
        bad[Format.HEADER_SIZE + 3 * section + hl + 4000] ^= 1; // block 3 payload
        Path f = dir.resolve("b.mmh");
        Files.write(f, bad);
        Verifier.Report r = Verifier.verify(f, TestData.threads(2));
        assertEquals(2, r.damage().size(), r.damage().toString());
        assertEquals(1, r.damage().get(0).block());
        assertEquals(3, r.damage().get(1).block());
        assertEquals(5, r.blocks());
        assertEquals(3L * 4096, r.rawBytes());
    }

    @Test
    void verifierScansPastADamagedIndex(@TempDir Path dir) throws IOException {
        byte[] data = TestData.random(4 * 4096, 6);
        byte[] a = TestData.compress(data, CompressOptions.builder().blockSize(4096).threads(1).build());
        int hl = dev.mmh.format.BlockHeader.size(8);
        int section = hl + 4096 + 4;
        byte[] bad = a.clone();
        bad[bad.length - 100] ^= 1;                       // inside the index
        bad[Format.HEADER_SIZE + section + 5] ^= 1;       // block 1 header: framing lost there
        bad[Format.HEADER_SIZE + 2 * section + hl + 7] ^= 1; // block 2 payload
        Path f = dir.resolve("c.mmh");
        Files.write(f, bad);
        Verifier.Report r = Verifier.verify(f, TestData.threads(2));
        String all = r.damage().toString();
        assertTrue(all.contains("index checksum"), all);
        assertTrue(r.damage().stream().anyMatch(d -> d.block() == 2), all);
        assertTrue(r.damage().stream().anyMatch(d -> d.offset() == Format.HEADER_SIZE + section), all);
        assertEquals(3, r.blocks(), "blocks 0, 2 and 3 found by the scan: " + all);
    }

    @Test
    void truncationAtEveryLengthIsDetected() throws IOException {
        byte[] good = archive();
        for (int n = 0; n < good.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(good, n);
            try {
                TestData.decompress(cut, 1);
                fail("truncation to " + n + " bytes went unnoticed");
            } catch (CorruptDataException | NotMmhFormatException expected) {
                // the only two ways a cut archive may fail
            }
        }
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        try {
            TestData.decompress(longer, 1);
            fail("appended byte went unnoticed");
        } catch (CorruptDataException expected) {
            assertTrue(expected.getMessage().contains("after the end"), expected.getMessage());
        }
    }
}
