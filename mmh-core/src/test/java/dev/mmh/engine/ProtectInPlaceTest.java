package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.format.SeekableArchive;
import dev.mmh.recovery.RecoveryParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArchiveProtection#protectInPlace}: the result is byte for byte what protecting a copy gives, protecting
 * again changes nothing, and a write cut off anywhere after its first step leaves an archive that verifies as
 * damaged-but-repairable and repairs to exactly the protected archive, its blocks untouched.
 */
class ProtectInPlaceTest {
    @TempDir
    static Path dir;
    private static byte[] data;
    private static byte[] plain;
    private static byte[] viaCopy;

    @BeforeAll
    static void archives() throws IOException {
        Random r = new Random(66);
        data = new byte[700_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 3 == 0 ? r.nextInt(256) : 'a' + r.nextInt(6));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mmh.compress(new ByteArrayInputStream(data), out,
                CompressOptions.builder().blockSize(64 * 1024).threads(2).build());
        plain = out.toByteArray();
        Path copy = write("copy.mmh", plain);
        try (FileChannel ch = rw(copy)) {
            ArchiveProtection.addRecovery(ch, 0.05, 2);
        }
        viaCopy = Files.readAllBytes(copy);
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static FileChannel rw(Path p) throws IOException {
        return FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Test
    void sameBytesAsProtectingACopyAndIdempotent() throws IOException {
        Path p = write("inplace.mmh", plain);
        try (FileChannel ch = rw(p)) {
            assertEquals(ArchiveProtection.Protected.WRITTEN, ArchiveProtection.protectInPlace(ch, 0.05, 2));
        }
        assertArrayEquals(viaCopy, Files.readAllBytes(p));
        long modified = Files.getLastModifiedTime(p).toMillis();
        try (FileChannel ch = rw(p)) {
            assertEquals(ArchiveProtection.Protected.UNCHANGED, ArchiveProtection.protectInPlace(ch, 0.05, 1));
        }
        assertArrayEquals(viaCopy, Files.readAllBytes(p));
        assertEquals(modified, Files.getLastModifiedTime(p).toMillis());
    }

    @Test
    void replacingWithAnotherShareRewritesTheSectionOnly() throws IOException {
        Path p = write("replace.mmh", viaCopy);
        try (FileChannel ch = rw(p)) {
            assertEquals(ArchiveProtection.Protected.WRITTEN, ArchiveProtection.protectInPlace(ch, 0.10, 2));
        }
        byte[] ten = Files.readAllBytes(p);
        assertTrue(ten.length > viaCopy.length, "10% section is larger");
        long n = blocksEnd(plain);
        assertArrayEquals(Arrays.copyOf(plain, (int) n), Arrays.copyOf(ten, (int) n), "blocks untouched");
        assertArrayEquals(data, decompress(ten));
        try (FileChannel ch = rw(p)) {
            ArchiveProtection.protectInPlace(ch, 0.05, 2);
        }
        assertArrayEquals(viaCopy, Files.readAllBytes(p), "back to 5% gives the 5% archive again");
    }

    @Test
    void aWriteCutOffAfterTheFirstStepIsRepairedExactly() throws IOException {
        long n = blocksEnd(plain);
        RecoveryParams params = RecoveryParams.plan(n, 0.05);
        int firstStep = 16 + (int) params.parityOffset();
        int newTail = viaCopy.length - (int) n;
        int[] cuts = {firstStep, firstStep + 1, firstStep + 4096, newTail / 2, newTail - 100, newTail - 1};
        for (int cut : cuts) {
            // what the disk holds when the second write stopped after `cut` bytes of the new tail
            byte[] torn = Arrays.copyOf(plain, Math.max(plain.length, (int) n + cut));
            System.arraycopy(viaCopy, (int) n, torn, (int) n, cut);
            Path p = write("torn-" + cut + ".mmh", torn);
            Examination e;
            try (FileChannel ch = FileChannel.open(p)) {
                e = Examination.examine(ch, 2);
            }
            assertTrue(e.hasRecovery(), "section found after a cut at " + cut);
            assertFalse(e.clean(), "a cut at " + cut + " is damage");
            assertTrue(e.repairable(), "a cut at " + cut + " is repairable");
            Path out = dir.resolve("repaired-" + cut + ".mmh");
            try (FileChannel in = FileChannel.open(p);
                 FileChannel o = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                         StandardOpenOption.WRITE)) {
                CopyRepair.repair(in, e, o, 2);
            }
            assertArrayEquals(viaCopy, Files.readAllBytes(out), "repair after a cut at " + cut);
        }
    }

    private static long blocksEnd(byte[] archive) throws IOException {
        Path p = write("probe-" + archive.length + ".mmh", archive);
        try (FileChannel ch = FileChannel.open(p)) {
            return SeekableArchive.of(ch).tail().blocksEnd();
        }
    }

    private static byte[] decompress(byte[] archive) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mmh.decompress(new ByteArrayInputStream(archive), (OutputStream) out,
                DecompressOptions.builder().threads(2).build());
        return out.toByteArray();
    }
}
