package dev.mmh.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SidecarTest {
    @TempDir
    Path dir;
    private Path file;
    private Path side;
    private byte[] original;

    @BeforeEach
    void protectAFile() throws IOException {
        original = RepairCampaignTest.sampleData(777_777, new Random(8));
        file = dir.resolve("data.tar.zst");
        Files.write(file, original);
        side = Sidecar.pathFor(file);
        assertEquals("data.tar.zst.mmhr", side.getFileName().toString());
        RecoveryData rd = Sidecar.protect(file, side, RecoveryOptions.of(0.05).withThreads(2));
        assertTrue(rd.sidecar());
        assertEquals(rd.sectionLength(), Files.size(side));
    }

    @Test
    void untouchedFileScansClean() throws IOException {
        DamageReport r = Sidecar.scan(file, side, 2);
        assertEquals(DamageReport.Status.CLEAN, r.status(), r.summary());
        assertEquals(0, r.damagedBytes());
    }

    @Test
    void repairsScatteredDamageInPlace() throws IOException {
        byte[] d = original.clone();
        Damage.flipBits(d, 0, d.length, 12, new Random(1));
        Files.write(file, d);
        DamageReport r = Sidecar.scan(file, side, 2);
        assertEquals(DamageReport.Status.REPAIRABLE, r.status());
        assertTrue(r.damagedDataShards() >= 1 && r.damagedDataShards() <= 12);
        Repairer.Result res = Sidecar.repair(file, side, file, 2);
        assertEquals(r.damagedDataShards(), res.repairedShards());
        assertArrayEquals(original, Files.readAllBytes(file));
        assertEquals(DamageReport.Status.CLEAN, Sidecar.scan(file, side, 1).status());
    }

    @Test
    void truncatedFileIsReportedShortAndRestored() throws IOException {
        Files.write(file, Arrays.copyOf(original, original.length - 3000));
        DamageReport r = Sidecar.scan(file, side, 2);
        assertEquals(3000, r.missingBytes());
        assertEquals(DamageReport.Status.REPAIRABLE, r.status());
        Path out = dir.resolve("out");
        Sidecar.repair(file, side, out, 2);
        assertArrayEquals(original, Files.readAllBytes(out));
    }

    @Test
    void anExistingOutputIsReplacedOnlyWhenAllowed() throws IOException {
        byte[] d = original.clone();
        Damage.flipBits(d, 0, d.length, 3, new Random(2));
        Files.write(file, d);
        Path out = Files.writeString(dir.resolve("out"), "keep me");
        try (java.nio.channels.FileChannel data = java.nio.channels.FileChannel.open(file)) {
            assertThrows(java.nio.file.FileAlreadyExistsException.class,
                    () -> Sidecar.repair(data, file, side, out, false, 2));
            assertEquals("keep me", Files.readString(out));
            Sidecar.repair(data, file, side, out, true, 2);
        }
        assertArrayEquals(original, Files.readAllBytes(out));
        try (var s = Files.list(dir)) {
            assertEquals(3, s.count(), "file, sidecar, output: no temporary file left");
        }
    }

    @Test
    void appendedGarbageIsReportedAndCutOff() throws IOException {
        byte[] longer = Arrays.copyOf(original, original.length + 100);
        Files.write(file, longer);
        DamageReport r = Sidecar.scan(file, side, 2);
        assertEquals(100, r.extraBytes());
        assertEquals(DamageReport.Status.REPAIRABLE, r.status());
        assertEquals(0, r.damagedBytes());
        Sidecar.repair(file, side, file, 2);
        assertArrayEquals(original, Files.readAllBytes(file));
    }

    @Test
    void repairInPlaceOfAnIntactFileOnlyRewritesTheDamagedSidecar() throws IOException {
        byte[] good = Files.readAllBytes(side);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x01;
        Files.write(side, bad);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000L));
        Repairer.Result r = Sidecar.repair(file, side, file, 2);
        assertEquals(0, r.repairedShards());
        assertEquals(1_000_000_000L, Files.getLastModifiedTime(file).toMillis(), "intact file was rewritten");
        assertArrayEquals(original, Files.readAllBytes(file));
        assertArrayEquals(good, Files.readAllBytes(side));
    }

    @Test
    void damagedSidecarIsRewrittenAfterRepair() throws IOException {
        byte[] good = Files.readAllBytes(side);
        byte[] bad = good.clone();
        Arrays.fill(bad, 0, 3000, (byte) 0);
        Damage.flipBits(bad, 0, bad.length, 5, new Random(4));
        Files.write(side, bad);
        byte[] d = original.clone();
        Arrays.fill(d, 1000, 9000, (byte) 0x77);
        Files.write(file, d);
        DamageReport r = Sidecar.scan(file, side, 2);
        assertTrue(r.sectionDamaged());
        Sidecar.repair(file, side, file, 2);
        assertArrayEquals(original, Files.readAllBytes(file));
        assertArrayEquals(good, Files.readAllBytes(side));
    }

    @Test
    void damageBeyondBudgetChangesNothing() throws IOException {
        byte[] d = original.clone();
        Arrays.fill(d, 100_000, 400_000, (byte) 0);
        Files.write(file, d);
        byte[] sideBefore = Files.readAllBytes(side);
        Path out = dir.resolve("repaired");
        UnrepairableException e = assertThrows(UnrepairableException.class,
                () -> Sidecar.repair(file, side, out, 2));
        assertEquals(DamageReport.Status.NOT_REPAIRABLE, e.report().status());
        assertTrue(e.report().repairableBytes() < e.report().damagedBytes());
        assertFalse(Files.exists(out));
        assertArrayEquals(d, Files.readAllBytes(file));
        assertArrayEquals(sideBefore, Files.readAllBytes(side));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "a temporary file was left behind");
        }
    }

    @Test
    void emptyAndOneByteFilesAreProtectedToo() throws IOException {
        for (int len : new int[] {0, 1, 63, 64, 65}) {
            Path f = dir.resolve("tiny" + len);
            byte[] content = new byte[len];
            new Random(len).nextBytes(content);
            Files.write(f, content);
            Path sc = Sidecar.pathFor(f);
            Sidecar.protect(f, sc, RecoveryOptions.of(0.05).withThreads(2));
            assertEquals(DamageReport.Status.CLEAN, Sidecar.scan(f, sc, 2).status());
            if (len > 0) {
                byte[] d = content.clone();
                d[len / 2] ^= 0x10;
                Files.write(f, d);
                assertEquals(DamageReport.Status.REPAIRABLE, Sidecar.scan(f, sc, 2).status());
                Sidecar.repair(f, sc, f, 1);
                assertArrayEquals(content, Files.readAllBytes(f));
            }
            Files.write(f, new byte[] {1, 2});
            DamageReport grown = Sidecar.scan(f, sc, 1);
            assertTrue(grown.status() != DamageReport.Status.CLEAN, "length change unnoticed for " + len);
        }
    }
}
