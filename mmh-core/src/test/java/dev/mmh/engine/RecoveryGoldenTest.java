package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden archives with a recovery section (format version 1), committed under src/test/resources/golden/v1 and
 * made by {@link #main} from the plain goldens. They pin the archive tail (recovery envelope, index, footer) byte
 * for byte: every writer of a tail (adding recovery to a copy, protecting in place, both repairs) must give them
 * back exactly. A changed byte here is a format change.
 */
class RecoveryGoldenTest {
    @TempDir
    Path dir;

    /** Golden with recovery data to the plain golden it protects and the share of parity. */
    private record Case(String plain, double fraction) {
    }

    private static Map<String, Case> cases() {
        Map<String, Case> m = new LinkedHashMap<>();
        m.put("text-store-recovery5.mmh", new Case("text-store.mmh", 0.05));
        m.put("text-sha256-store-recovery10.mmh", new Case("text-sha256-store.mmh", 0.10));
        m.put("empty-zstd3-recovery5.mmh", new Case("empty-zstd3.mmh", 0.05));
        return m;
    }

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(RecoveryGoldenTest.class.getResourceAsStream("/golden/v1/"
                + name), "golden file missing: " + name)) {
            return in.readAllBytes();
        }
    }

    private static FileChannel rw(Path p) throws IOException {
        return FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static byte[] protect(Path p, Case c) throws IOException {
        Files.write(p, golden(c.plain()));
        try (FileChannel ch = rw(p)) {
            ArchiveProtection.addRecovery(ch, c.fraction(), 2);
        }
        return Files.readAllBytes(p);
    }

    @Test
    void addingRecoveryGivesTheGoldenBytes() throws IOException {
        for (Map.Entry<String, Case> e : cases().entrySet()) {
            assertArrayEquals(golden(e.getKey()), protect(dir.resolve(e.getKey()), e.getValue()),
                    e.getKey() + " changed: that is a format change");
        }
    }

    @Test
    void protectingInPlaceGivesTheGoldenBytesAndThenWritesNothing() throws IOException {
        for (Map.Entry<String, Case> e : cases().entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.write(p, golden(e.getValue().plain()));
            try (FileChannel ch = rw(p)) {
                assertEquals(ArchiveProtection.Protected.WRITTEN, ArchiveProtection.protectInPlace(ch,
                        e.getValue().fraction(), 2));
            }
            assertArrayEquals(golden(e.getKey()), Files.readAllBytes(p), e.getKey());
            try (FileChannel ch = rw(p)) {
                assertEquals(ArchiveProtection.Protected.UNCHANGED, ArchiveProtection.protectInPlace(ch,
                        e.getValue().fraction(), 1), e.getKey());
            }
        }
    }

    @Test
    void anImpossibleShareChangesNothing() throws IOException {
        byte[] plain = golden("text-store.mmh");
        Path p = dir.resolve("share.mmh");
        Files.write(p, plain);
        try (FileChannel ch = rw(p)) {
            assertThrows(IllegalArgumentException.class, () -> ArchiveProtection.addRecovery(ch, 0.9, 1));
            assertThrows(IllegalArgumentException.class, () -> ArchiveProtection.protectInPlace(ch, 0.9, 1));
        }
        assertArrayEquals(plain, Files.readAllBytes(p), "the archive was not cut");
    }

    /** Damages a copy of the golden, repairs it in place and into a copy: both must give the golden back. */
    private void repairs(String name, String what, Consumer<byte[]> damage, boolean tail) throws IOException {
        byte[] g = golden(name);
        byte[] bad = g.clone();
        damage.accept(bad);
        Path p = dir.resolve(what + "-" + name);
        Files.write(p, bad);
        Path copy = dir.resolve(what + "-copy-" + name);
        try (FileChannel in = FileChannel.open(p);
             FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                     StandardOpenOption.WRITE)) {
            Examination e = Examination.examine(in, 2);
            assertTrue(e.repairable() && !e.clean(), what + " " + name + ": " + e.note());
            assertEquals(tail, e.tailDamaged(), what + " " + name + ": tail damaged");
            CopyRepair.repair(in, e, out, 2);
        }
        assertArrayEquals(g, Files.readAllBytes(copy), what + " " + name + ": repaired into a copy");
        try (FileChannel ch = rw(p)) {
            InPlaceRepair.Outcome done = InPlaceRepair.repair(ch, Examination.examine(ch, 2), 2);
            assertNotNull(done);
            assertEquals(tail, done.tailRewritten(), what + " " + name);
        }
        assertArrayEquals(g, Files.readAllBytes(p), what + " " + name + ": repaired in place");
        try (FileChannel ch = FileChannel.open(p)) {
            assertTrue(Examination.examine(ch, 1).clean(), what + " " + name + ": clean after the repair");
        }
    }

    @Test
    void repairsGiveTheGoldenBytesBack() throws IOException {
        for (String name : cases().keySet()) {
            repairs(name, "footer", b -> b[b.length - 20] ^= 0x10, true);
            repairs(name, "header", b -> b[13] ^= 0x01, false);
        }
        repairs("text-store-recovery5.mmh", "block", b -> b[5000] ^= 0x40, false);
        repairs("text-sha256-store-recovery10.mmh", "index", b -> b[b.length - 64 - 50] ^= 0x02, true);
    }

    @Test
    void theGoldensHoldTheirRecoveryDataWhereTheFooterSays() throws IOException {
        for (String name : cases().keySet()) {
            Path p = dir.resolve(name);
            Files.write(p, golden(name));
            try (FileChannel ch = FileChannel.open(p)) {
                Examination e = Examination.examine(ch, 1);
                assertTrue(e.hasRecovery() && e.clean(), name + ": " + e.note());
                assertFalse(e.tailDamaged(), name);
            }
        }
    }

    @Test
    void verifyingPastADamagedFooterSkipsTheRecoverySection() throws IOException {
        byte[] g = golden("text-store-recovery5.mmh");
        g[g.length - 30] ^= 0x08;
        Path p = dir.resolve("footer.mmh");
        Files.write(p, g);
        Verifier.Report r = Verifier.verify(p, dev.mmh.testing.TestData.threads(2));
        assertEquals(1, r.damage().size(), "only the footer: " + r.damage());
        assertTrue(r.damage().get(0).what().contains("footer checksum"), r.damage().toString());
        assertEquals(3, r.blocks());
        assertEquals(10_000, r.rawBytes());
    }

    /** Writes the goldens from the plain ones (run from the mmh-core folder, only on a format change). */
    public static void main(String[] args) throws IOException {
        Path out = Path.of("src/test/resources/golden/v1");
        Path tmp = Files.createTempDirectory("mmh-golden");
        for (Map.Entry<String, Case> e : cases().entrySet()) {
            Files.write(out.resolve(e.getKey()), protect(tmp.resolve(e.getKey()), e.getValue()));
        }
    }
}
