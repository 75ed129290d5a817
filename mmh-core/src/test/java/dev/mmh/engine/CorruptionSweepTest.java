package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mmh.CorruptDataException;
import dev.mmh.MmhException;
import dev.mmh.NotMmhFormatException;
import dev.mmh.format.Format;
import dev.mmh.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every single-byte change anywhere in an archive is detected by decompression and by the verifier. */
class CorruptionSweepTest {
    private static byte[] archive() throws IOException {
        return TestData.compress(TestData.text(6000, 11),
                CompressOptions.builder().blockSize(2048).threads(2).codec("zstd").level(3).build());
    }

    @Test
    void everyFlippedByteFailsDecompression() throws IOException {
        byte[] good = archive();
        assertArrayEquals(TestData.text(6000, 11), TestData.decompress(good, 2));
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
                }
            }
        }
    }

    @Test
    void everyFlippedByteFailsVerificationAndDamageIsLocated(@TempDir Path dir) throws IOException {
        byte[] good = archive();
        Path f = dir.resolve("a.mmh");
        Files.write(f, good);
        assertTrue(Verifier.verify(f, TestData.threads(2)).ok());
        for (int pos = 0; pos < good.length; pos++) {
            byte[] bad = good.clone();
            bad[pos] ^= 0x20;
            Files.write(f, bad);
            try {
                Verifier.Report r = Verifier.verify(f, TestData.threads(2));
                assertFalse(r.ok(), "flip of byte " + pos + " went unnoticed by verify");
                for (Verifier.Damage d : r.damage()) {
                    assertTrue(d.offset() >= -1 && d.offset() <= good.length, "offset " + d.offset());
                }
            } catch (NotMmhFormatException e) {
                assertTrue(pos < 8, "byte " + pos + " reported as not mmh");
            } catch (MmhException e) {
                // header damage: reported as corrupt or unsupported, also a detection
                assertTrue(pos < Format.HEADER_SIZE, "byte " + pos + ": " + e);
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
