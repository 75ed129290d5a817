package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.recovery.UnrepairableException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link InPlaceRepair#repair}: whatever the damage within the budget (blocks, file header, recovery
 * section, index and footer, truncation, appended bytes), the file ends byte for byte as it was protected, and the
 * report says what was rebuilt; beyond the budget nothing is written at all.
 */
class RepairInPlaceTest {
    @TempDir
    static Path dir;
    private static byte[] archive;
    private static long sectionAt;

    @BeforeAll
    static void archive() throws IOException {
        Random r = new Random(67);
        byte[] data = new byte[900_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 4 == 0 ? r.nextInt(256) : 'k' + r.nextInt(5));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mmh.compress(new ByteArrayInputStream(data), out,
                CompressOptions.builder().blockSize(64 * 1024).threads(2).build());
        Path p = dir.resolve("protected.mmh");
        Files.write(p, out.toByteArray());
        try (FileChannel ch = rw(p)) {
            ArchiveProtection.protectInPlace(ch, 0.05, 2);
            sectionAt = Examination.examine(ch, 1).data().sectionOffset();
        }
        archive = Files.readAllBytes(p);
    }

    private static FileChannel rw(Path p) throws IOException {
        return FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Damages a copy with {@code damage}, repairs it in place and returns what was done. */
    private static InPlaceRepair.Outcome repaired(String name, Consumer<byte[]> damage, int cut, byte[] append)
            throws IOException {
        byte[] b = archive.clone();
        damage.accept(b);
        byte[] file = Arrays.copyOf(b, b.length - cut + append.length);
        System.arraycopy(append, 0, file, b.length - cut, append.length);
        Path p = dir.resolve(name);
        Files.write(p, file);
        InPlaceRepair.Outcome done;
        try (FileChannel ch = rw(p)) {
            Examination e = Examination.examine(ch, 2);
            assertFalse(e.clean(), name + ": damage not found");
            assertTrue(e.repairable(), name + ": " + e.note());
            done = InPlaceRepair.repair(ch, e, 2);
        }
        assertNotNull(done);
        assertArrayEquals(archive, Files.readAllBytes(p), name + ": not restored bit-exactly");
        assertTrue(done.checked().ok());
        return done;
    }

    @Test
    void scatteredFlipsInBlocks() throws IOException {
        Random r = new Random(1);
        InPlaceRepair.Outcome d = repaired("flips.mmh", b -> {
            for (int i = 0; i < 20; i++) {
                b[200 + r.nextInt((int) sectionAt - 200)] ^= (byte) (1 << r.nextInt(8));
            }
        }, 0, new byte[0]);
        assertTrue(d.result().repairedShards() >= 1);
        assertTrue(d.checked().blocks() >= 1, "the repaired blocks were decoded");
        assertFalse(d.sectionRewritten());
        assertFalse(d.tailRewritten());
    }

    @Test
    void zeroedBurstOfTwoPercent() throws IOException {
        int n = archive.length / 50;
        InPlaceRepair.Outcome d = repaired("burst.mmh", b -> Arrays.fill(b, 300_000, 300_000 + n, (byte) 0),
                0, new byte[0]);
        assertTrue(d.result().repairedBytes() >= n);
        assertTrue(d.checked().blocks() >= 1);
    }

    @Test
    void fileHeader() throws IOException {
        repaired("head.mmh", b -> Arrays.fill(b, 0, 30, (byte) 0x55), 0, new byte[0]);
    }

    @Test
    void recoverySectionIsWrittenAgain() throws IOException {
        InPlaceRepair.Outcome d = repaired("section.mmh",
                b -> Arrays.fill(b, (int) sectionAt + 10, (int) sectionAt + 3000, (byte) 0), 0, new byte[0]);
        assertTrue(d.sectionRewritten());
        assertEquals(0, d.result().repairedShards());
    }

    @Test
    void indexAndFooterAreRebuilt() throws IOException {
        InPlaceRepair.Outcome d = repaired("tail.mmh",
                b -> Arrays.fill(b, b.length - 300, b.length, (byte) 0), 0, new byte[0]);
        assertTrue(d.tailRewritten());
        assertFalse(d.sectionRewritten());
    }

    @Test
    void truncatedAndAppended() throws IOException {
        assertTrue(repaired("cut.mmh", b -> { }, 100, new byte[0]).tailRewritten());
        assertTrue(repaired("longer.mmh", b -> { }, 0, "appended garbage".getBytes()).tailRewritten());
    }

    @Test
    void blocksSectionAndTailAtOnce() throws IOException {
        Random r = new Random(2);
        InPlaceRepair.Outcome d = repaired("all.mmh", b -> {
            for (int i = 0; i < 5; i++) {
                b[100 + r.nextInt((int) sectionAt - 100)] ^= 1;
            }
            b[(int) sectionAt + 5000] ^= 1;
            Arrays.fill(b, b.length - 64, b.length, (byte) 0);
        }, 0, new byte[0]);
        assertTrue(d.sectionRewritten());
        assertTrue(d.tailRewritten());
        assertTrue(d.result().repairedShards() >= 1);
    }

    @Test
    void beyondTheBudgetNothingIsWritten() throws IOException {
        byte[] b = archive.clone();
        Arrays.fill(b, 1000, 1000 + (int) sectionAt / 3, (byte) 0);
        Path p = dir.resolve("massive.mmh");
        Files.write(p, b);
        try (FileChannel ch = rw(p)) {
            Examination e = Examination.examine(ch, 2);
            assertFalse(e.repairable());
            assertThrows(UnrepairableException.class, () -> InPlaceRepair.repair(ch, e, 2));
        }
        assertArrayEquals(b, Files.readAllBytes(p));
    }
}
