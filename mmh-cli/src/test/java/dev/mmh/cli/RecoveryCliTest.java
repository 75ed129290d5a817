package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery data through the command: compress --recovery, verify, repair, decompress of damage, protect. */
class RecoveryCliTest extends InProcessCli {
    @TempDir
    Path dir;

    private byte[] data;
    private Path archive;

    @BeforeEach
    void makeArchive() throws IOException {
        data = new byte[3 << 20];
        SplittableRandom r = new SplittableRandom(6);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (r.nextInt(40) + (i / 4096 % 7 == 0 ? r.nextInt(200) : 0));
        }
        Path in = dir.resolve("data");
        Files.write(in, data);
        assertEquals(0, mmh("compress", "-q", "--codec", "zstd", "-B", "256K", "--recovery", "5%", in.toString()), err);
        archive = dir.resolve("data.mmh");
        Files.delete(in);
    }

    private byte[] damage(long seed, int flips) throws IOException {
        byte[] a = Files.readAllBytes(archive);
        byte[] bad = a.clone();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < flips; i++) {
            bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
        }
        Files.write(archive, bad);
        return a;
    }

    @Test
    void scatteredFlipsAreReportedRepairableAndRepairedBitExactly() throws IOException {
        byte[] original = damage(1, 20);
        assertEquals(ExitCode.REPAIRABLE, mmh("verify", archive.toString()));
        assertTrue(err.contains("damaged, repairable"), err);
        Path fixed = dir.resolve("fixed.mmh");
        assertEquals(0, mmh("repair", archive.toString(), "-o", fixed.toString()), err);
        assertArrayEquals(original, Files.readAllBytes(fixed), "repair restores the archive byte for byte");
        assertTrue(out.contains("repaired bytes"), out);
        assertEquals(0, mmh("verify", "-q", fixed.toString()));
    }

    /** An archive of four 1 MiB blocks with 5% recovery data, and where its block 2 and its index are. */
    private long[] fourBlocks(Path mmh) throws IOException {
        Path in = dir.resolve("four");
        Files.write(in, java.util.Arrays.copyOf(data, 4 << 20));
        assertEquals(0, mmh("compress", "-q", "--block-size", "1M", "--recovery", "5%", in.toString(), "-o",
                mmh.toString()), err);
        try (dev.mmh.format.SeekableArchive a = dev.mmh.format.SeekableArchive.open(mmh)) {
            assertEquals(4, a.index().entries().size());
            long from = a.index().entries().get(2).offset();
            long to = a.index().entries().get(3).offset();
            return new long[] {(from + to) / 2, a.footer().indexOffset()};
        }
    }

    private void flip(Path p, long... offsets) throws IOException {
        byte[] b = Files.readAllBytes(p);
        for (long at : offsets) {
            b[(int) at] ^= 0x10;
        }
        Files.write(p, b);
    }

    @Test
    void aDamagedBlockIsNotReportedAsADamagedIndexOrFooter() throws IOException {
        Path a = dir.resolve("four.mmh");
        long[] at = fourBlocks(a);
        flip(a, at[0]);
        assertEquals(ExitCode.REPAIRABLE, mmh("verify", a.toString()));
        assertTrue(err.contains(": block 2 at offset "), err);
        assertTrue(err.contains("1 damaged block of 4 found, 0 other damaged structures"), err);
        assertTrue(err.contains("damaged, repairable (run mmh repair): repairable: 1 of "), err);
        assertFalse(err.contains("index or footer"), err);
    }

    @Test
    void aDamagedIndexIsStillReportedWithOrWithoutADamagedBlock() throws IOException {
        Path a = dir.resolve("four.mmh");
        long[] at = fourBlocks(a);
        flip(a, at[1] + 30);
        assertEquals(ExitCode.REPAIRABLE, mmh("verify", a.toString()));
        assertTrue(err.contains("index checksum mismatch"), err);
        assertTrue(err.contains("damaged, repairable (run mmh repair): index or footer damaged (rebuilt from the "
                + "blocks on repair)" + System.lineSeparator()), err);
        assertFalse(err.contains("no block starts here"), "the scan past the index skips the recovery data: " + err);
        flip(a, at[0]);
        assertEquals(ExitCode.REPAIRABLE, mmh("verify", a.toString()));
        assertTrue(err.contains(": block 2 at offset "), err);
        assertTrue(err.contains("index or footer damaged (rebuilt from the blocks on repair); repairable: 1 of"), err);
    }

    @Test
    void decompressRepairsInPassingAndSaysSo() throws IOException {
        damage(2, 10);
        assertEquals(0, mmh("decompress", "-q", archive.toString()), err);
        assertTrue(err.contains("repaired from its recovery data"), err);
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("data")));
    }

    @Test
    void repairInPlaceAndAZeroedTailAndHead() throws IOException {
        byte[] original = Files.readAllBytes(archive);
        byte[] bad = original.clone();
        java.util.Arrays.fill(bad, 0, 4096, (byte) 0);
        java.util.Arrays.fill(bad, bad.length - 4096, bad.length, (byte) 0);
        Files.write(archive, bad);
        assertEquals(0, mmh("repair", "-q", archive.toString()), err);
        assertArrayEquals(original, Files.readAllBytes(archive));
    }

    @Test
    void damageBeyondTheBudgetIsNotRepairableAndChangesNothing() throws IOException {
        byte[] a = Files.readAllBytes(archive);
        byte[] bad = a.clone();
        java.util.Arrays.fill(bad, a.length / 4, a.length / 4 + a.length / 3, (byte) 0);
        Files.write(archive, bad);
        Path fixed = dir.resolve("fixed.mmh");
        assertEquals(ExitCode.DAMAGED, mmh("repair", archive.toString(), "-o", fixed.toString()));
        assertTrue(err.contains("beyond what the recovery data can repair"), err);
        assertFalse(Files.exists(fixed));
        assertArrayEquals(bad, Files.readAllBytes(archive), "nothing changed");
        assertEquals(ExitCode.DAMAGED, mmh("verify", "-q", archive.toString()));
        assertEquals(ExitCode.DAMAGED, mmh("decompress", "-q", archive.toString()));
        assertFalse(Files.exists(dir.resolve("data")));
    }

    @Test
    void protectAddsRecoveryToAnArchiveAndASidecarToOtherFiles() throws IOException {
        Path plain = dir.resolve("plain.mmh");
        Path in = dir.resolve("p");
        Files.write(in, data);
        assertEquals(0, mmh("compress", "-q", "--codec", "lz4", in.toString(), "-o", plain.toString()));
        assertEquals(0, mmh("info", plain.toString()));
        assertTrue(out.contains("recovery     none"), out);
        assertEquals(0, mmh("protect", "-q", "--recovery", "10%", plain.toString()), err);
        assertEquals(0, mmh("info", plain.toString()));
        assertTrue(out.contains("recovery     yes"), out);
        assertEquals(0, mmh("verify", "-q", plain.toString()));

        Path other = dir.resolve("other.bin");
        Files.write(other, data);
        assertEquals(0, mmh("protect", "-q", "--recovery", "5%", other.toString()), err);
        assertTrue(Files.exists(dir.resolve("other.bin.mmhr")));
        byte[] bad = data.clone();
        bad[12345] ^= 1;
        bad[2_000_000] ^= 0x40;
        Files.write(other, bad);
        assertEquals(0, mmh("repair", "-q", other.toString()), err);
        assertArrayEquals(data, Files.readAllBytes(other));
    }

    @Test
    void protectRefusesADamagedArchiveSoItsRecoveryDataCanStillRepairIt() throws IOException {
        byte[] original = Files.readAllBytes(archive);
        byte[] bad = original.clone();
        bad[100_000] ^= 0x20; // inside a block's stored bytes
        Files.write(archive, bad);
        assertEquals(ExitCode.DAMAGED, mmh("protect", "--recovery", "10%", archive.toString()));
        assertTrue(err.contains("only added to an undamaged archive") && err.contains("run mmh repair"), err);
        assertArrayEquals(bad, Files.readAllBytes(archive), "nothing written");
        assertEquals(0, mmh("repair", "-q", archive.toString()), err);
        assertArrayEquals(original, Files.readAllBytes(archive));
    }

    @Test
    void aCompactArchiveIsProtectedByRewritingItInTheFullLayout() throws IOException {
        Path in = dir.resolve("small");
        byte[] small = java.util.Arrays.copyOf(data, 100_000);
        Files.write(in, small);
        Path compact = dir.resolve("small.mmh");
        assertEquals(0, mmh("compress", "-q", in.toString(), "-o", compact.toString()), err);
        assertEquals(0, mmh("info", compact.toString()));
        assertTrue(out.contains("(compact layout)"), out);
        assertEquals(0, mmh("verify", "-q", compact.toString()), err);
        Path direct = dir.resolve("direct.mmh");
        assertEquals(0, mmh("compress", "-q", "--recovery", "10%", in.toString(), "-o", direct.toString()), err);

        assertEquals(0, mmh("protect", "--recovery", "10%", compact.toString()), err);
        assertTrue(err.contains("recovery data added"), err);
        assertArrayEquals(Files.readAllBytes(direct), Files.readAllBytes(compact),
                "protect gives the archive that compress --recovery makes");
        assertEquals(0, mmh("info", compact.toString()));
        assertTrue(out.contains("(full layout)") && out.contains("recovery     yes"), out);
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".mmh-tmp")), "no temporary left");
        }
    }

    @Test
    void aDamagedCompactArchiveHasNoRecoveryDataAndIsLeftAlone() throws IOException {
        Path in = dir.resolve("small");
        Files.write(in, java.util.Arrays.copyOf(data, 50_000));
        Path compact = dir.resolve("small.mmh");
        assertEquals(0, mmh("compress", "-q", in.toString(), "-o", compact.toString()), err);
        byte[] bad = Files.readAllBytes(compact);
        bad[bad.length / 2] ^= 4;
        Files.write(compact, bad);
        assertEquals(ExitCode.DAMAGED, mmh("verify", compact.toString()));
        assertTrue(err.contains("block 0"), err);
        assertEquals(ExitCode.DAMAGED, mmh("repair", compact.toString()));
        assertTrue(err.contains("no recovery data"), err);
        assertArrayEquals(bad, Files.readAllBytes(compact), "nothing changed");
        assertFalse(ExitCode.OK == mmh("protect", "-q", "--recovery", "5%", compact.toString()));
        assertArrayEquals(bad, Files.readAllBytes(compact), "protect does not cover damage with parity");
    }

    @Test
    void recoveryNeedsAFileOutput() {
        assertEquals(ExitCode.USAGE, mmh("compress", "--recovery", "5%", "-c", archive.toString()));
        assertEquals(ExitCode.USAGE, mmh("compress", "--recovery", "90%", archive.toString()));
    }
}
