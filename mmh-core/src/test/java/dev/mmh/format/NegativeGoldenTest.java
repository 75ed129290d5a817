package dev.mmh.format;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.MmhException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.engine.Verifier;
import dev.mmh.recovery.RecoveryData;
import dev.mmh.testing.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule for reserved fields, flag bits and ids a newer writer may set (docs/FORMAT.md, "Principles"), held
 * to the negative goldens in src/test/resources/golden/negative (made by {@link GoldenFiles#negatives}): each is
 * an intact archive (every checksum fixed) that this version must refuse as unsupported, with the same message
 * from the reader that streams ({@code decompress}) and the one that seeks ({@code verify}); the {@code -skipped}
 * ones are what the rule lets through. The same change without its checksum fixed is damage, not "unsupported".
 */
class NegativeGoldenTest {
    private static final String NOT_SUPPORTED = ": not supported by this version of mmh";

    @TempDir
    Path dir;

    private static byte[] resource(String path) throws IOException {
        String name = Path.of("/golden").resolve(path).normalize().toString();
        try (InputStream in = NegativeGoldenTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("golden file missing: " + name);
            }
            return in.readAllBytes();
        }
    }

    private static byte[] negative(String name) throws IOException {
        return resource("negative/" + name);
    }

    /** The message each negative golden gets, from both readers. */
    private static Map<String, String> expected() throws IOException {
        byte[] g = resource("v1/text-zstd3.mmh");
        int index = GoldenFiles.indexAt(g);
        int footer = GoldenFiles.footerAt(g);
        byte[] r = resource("v1/" + GoldenFiles.RECOVERY);
        long recovery = LE.get64(r, GoldenFiles.footerAt(r) + 16);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("header-version.mmh", "at offset 8: unknown format version 4");
        m.put("header-flags.mmh", "at offset 10: unknown bits 0x2 in the header flags");
        m.put("header-reserved.mmh", "at offset 32: unknown bits 0x1 in the reserved field of the file header");
        m.put("header-hash-id.mmh", "at offset 12: unknown hash algorithm id 3");
        m.put("header-codec-flags.mmh", "at offset 20: unknown bits 0x4 in the codec flags");
        m.put("compact-header-flags.mmh", "at offset 10: unknown bits 0x8000 in the header flags");
        m.put("block-codec-id.mmh", "block 0 at offset 40: unknown codec id 200");
        m.put("block-transform-id.mmh", "block 0 at offset 40: unknown transform id 99");
        m.put("index-flags.mmh", "at offset " + (index + 4) + ": unknown bits 0x1 in the index flags");
        m.put("footer-flags.mmh", "at offset " + (footer + 50) + ": unknown bits 0x1 in the footer flags");
        m.put("footer-version.mmh", "at offset " + (footer + 48) + ": unknown footer format version 2");
        m.put("section-flags.mmh", "at offset " + (index + 4) + ": unknown bits 0x4 in the flags of section 'X'");
        m.put("section-must-understand.mmh", "at offset " + index
                + ": unknown section type 'X' marked must-understand");
        m.put("section-encryption.mmh", "at offset " + index + ": section type 'E' (encryption)");
        m.put("recovery-envelope-flags.mmh", "at offset " + (recovery + 4)
                + ": unknown bits 0x4 in the flags of section 'R'");
        m.replaceAll((k, v) -> v + NOT_SUPPORTED);
        return m;
    }

    private static final Set<String> SKIPPED = Set.of("section-skipped.mmh", "section-self-checked-skipped.mmh",
            "header-informative-skipped.mmh");

    @Test
    void generatorStillMakesTheCommittedNegativeGoldens() throws IOException {
        Map<String, byte[]> made = GoldenFiles.negatives(NegativeGoldenTest::resource);
        for (Map.Entry<String, byte[]> e : made.entrySet()) {
            assertArrayEquals(negative(e.getKey()), e.getValue(), e.getKey());
        }
        Set<String> covered = new java.util.HashSet<>(expected().keySet());
        covered.addAll(SKIPPED);
        covered.add("recovery-header-reserved.mmhr");
        covered.add("recovery-header-flags.mmhr");
        assertEquals(made.keySet(), covered, "every negative golden has its expectation here");
    }

    @Test
    void theGoldenWithRecoveryDataIsWhatTheWriterMakesAndItDecodes() throws IOException {
        byte[] r = resource("v1/" + GoldenFiles.RECOVERY);
        assertArrayEquals(r, GoldenFiles.withRecovery(resource("v1/text-zstd3.mmh")),
                GoldenFiles.RECOVERY + " changed: that is a format change");
        assertArrayEquals(GoldenFiles.input(), TestData.decompress(r, 2));
        Verifier.Report v = Verifier.verify(file("recovery.mmh", r), dev.mmh.testing.TestData.threads(1));
        assertTrue(v.ok(), v.damage().toString());
        assertEquals(3, v.blocks());
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void everyNegativeGoldenIsUnsupportedWithOneMessageFromBothReaders() throws IOException {
        List<Executable> checks = new ArrayList<>();
        for (Map.Entry<String, String> e : expected().entrySet()) {
            byte[] g = negative(e.getKey());
            Path p = file(e.getKey(), g);
            checks.add(() -> {
                UnsupportedFormatException stream = assertThrows(UnsupportedFormatException.class,
                        () -> TestData.decompress(g, 1), e.getKey() + " (decompress)");
                assertEquals(e.getValue(), stream.getMessage(), e.getKey() + " (decompress)");
            });
            checks.add(() -> {
                UnsupportedFormatException seek = assertThrows(UnsupportedFormatException.class,
                        () -> Verifier.verify(p, dev.mmh.testing.TestData.threads(1)), e.getKey() + " (verify)");
                assertEquals(e.getValue(), seek.getMessage(), e.getKey() + " (verify)");
            });
        }
        assertAll(checks);
    }

    @Test
    void whatTheRuleLetsThroughDecodesWithBothReaders() throws IOException {
        for (String name : SKIPPED) {
            byte[] g = negative(name);
            assertArrayEquals(GoldenFiles.input(), TestData.decompress(g, 1), name);
            Verifier.Report v = Verifier.verify(file(name, g), dev.mmh.testing.TestData.threads(1));
            assertTrue(v.ok(), name + ": " + v.damage());
            assertEquals(GoldenFiles.input().length, v.rawBytes(), name);
        }
    }

    @Test
    void recoveryHeaderWithAReservedByteOrUnknownFlagIsUnsupported() throws IOException {
        byte[] reserved = negative("recovery-header-reserved.mmhr");
        byte[] flags = negative("recovery-header-flags.mmhr");
        long lastCopy = reserved.length - 128; // found first: the scan goes from the end
        assertEquals("at offset " + (lastCopy + 72) + ": unknown bits 0x1 in the reserved bytes of the recovery header"
                + NOT_SUPPORTED, readRecovery(reserved).getMessage());
        assertEquals("at offset " + (lastCopy + 11) + ": unknown bits 0x2 in the recovery header flags"
                + NOT_SUPPORTED, readRecovery(flags).getMessage());
    }

    private UnsupportedFormatException readRecovery(byte[] sidecar) throws IOException {
        Path p = file("r.mmhr", sidecar);
        try (FileChannel ch = FileChannel.open(p)) {
            return assertThrows(UnsupportedFormatException.class, () -> RecoveryData.read(ch, -1));
        }
    }

    /** The same changes with the checksum left as it was: damage, reported as such by both readers. */
    @Test
    void theSameChangeWithoutItsChecksumIsDamage() throws IOException {
        byte[] g = resource("v1/text-zstd3.mmh");
        int index = GoldenFiles.indexAt(g);
        int footer = GoldenFiles.footerAt(g);
        Map<String, byte[]> damaged = new LinkedHashMap<>();
        damaged.put("file header checksum", set(g, 32, 1));
        damaged.put("index checksum", set(g, index + 4, 1));
        damaged.put("footer checksum", set(g, footer + 50, 1));
        byte[] s = negative("section-skipped.mmh");
        damaged.put("section 'X' checksum", set(s, index + 4, 4));
        damaged.put("section 'E' checksum", set(s, index + 3, 'E'));
        for (Map.Entry<String, byte[]> e : damaged.entrySet()) {
            ChecksumMismatchException stream = assertThrows(ChecksumMismatchException.class,
                    () -> TestData.decompress(e.getValue(), 1), e.getKey());
            assertTrue(stream.reason().startsWith(e.getKey() + " mismatch"), stream.getMessage());
            MmhException seek = firstFailure(file("d.mmh", e.getValue()));
            assertTrue(seek.getMessage().contains(e.getKey() + " mismatch"), e.getKey() + ": " + seek.getMessage());
        }
    }

    /**
     * With the footer damaged, {@code verify} scans from the start: it skips the intact recovery section like any
     * section, and a damaged one is one damaged place, whether opening or the scan met it first.
     */
    @Test
    void theScanSkipsAnIntactRecoverySectionAndNamesADamagedOneOnce() throws IOException {
        byte[] r = resource("v1/" + GoldenFiles.RECOVERY);
        int footer = GoldenFiles.footerAt(r);
        long recovery = LE.get64(r, footer + 16);
        byte[] noFooter = set(r, r.length - 1, 0);
        Verifier.Report v = Verifier.verify(file("nofooter.mmh", noFooter), dev.mmh.testing.TestData.threads(1));
        assertEquals(3, v.blocks());
        assertEquals(1, v.damage().size(), v.damage().toString());
        assertTrue(v.damage().get(0).what().contains("footer magic missing"), v.damage().toString());
        byte[] envelope = set(r, (int) recovery + 5, 0x10); // a flag bit: the envelope's CRC fails
        v = Verifier.verify(file("envelope.mmh", envelope), dev.mmh.testing.TestData.threads(1));
        assertEquals(1, v.damage().size(), v.damage().toString());
        assertTrue(v.damage().get(0).what().startsWith("at offset " + recovery + ": section 'R' checksum mismatch"),
                v.damage().toString());
        assertEquals(3, v.blocks());
    }

    private static byte[] set(byte[] g, int at, int value) {
        byte[] b = g.clone();
        b[at] = (byte) value;
        return b;
    }

    /** What {@code verify} finds first: the exception it throws, or its first damage as a checksum mismatch. */
    private static MmhException firstFailure(Path p) throws IOException {
        try {
            Verifier.Report r = Verifier.verify(p, dev.mmh.testing.TestData.threads(1));
            assertTrue(!r.ok(), "verify found no damage");
            return new MmhException(r.damage().get(0).what());
        } catch (UnsupportedFormatException e) {
            throw new AssertionError("damage reported as unsupported: " + e.getMessage(), e);
        }
    }
}
