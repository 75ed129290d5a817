package dev.mmh.format;

import dev.mmh.engine.ArchiveProtection;
import dev.mmh.engine.CompressOptions;
import dev.mmh.hash.ContentHash;
import dev.mmh.testing.TestData;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The golden archives of format versions 1 and 2 and the options that made them, and the negative goldens made
 * from them ({@link #negatives}). Run {@link #main} (from the mmh-core
 * folder: {@code mvn -q test-compile exec:java} is not needed, any IDE run works) only when the format version
 * changes: a changed golden byte is a format change.
 */
public final class GoldenFiles {
    private GoldenFiles() {
    }

    /** Input of every golden: 10,000 bytes of seeded pseudo-text, committed as text.bin. */
    static byte[] input() {
        return TestData.text(10_000, 42);
    }

    /** Golden name to the options that made it (all with 4 KiB blocks, so each has three blocks). */
    static Map<String, CompressOptions> cases() {
        Map<String, CompressOptions> m = new LinkedHashMap<>();
        CompressOptions.Builder b = CompressOptions.builder().blockSize(4096).threads(1);
        m.put("text-store.mmh", b.codec("store").level(0).build());
        m.put("text-zstd3.mmh", b.codec("zstd").level(3).build());
        m.put("text-zstd-fast.mmh", b.codec("zstd").level(-5).build());
        m.put("text-bwt.mmh", b.codec("bwt").level(1).build());
        m.put("text-sha256-store.mmh", CompressOptions.builder().blockSize(4096).threads(1).codec("store").level(0)
                .hash(ContentHash.SHA256).build());
        return m;
    }

    /**
     * Golden name to the options that made it in the compact layout (format version 2): 16 KiB blocks, so the
     * input is one block.
     */
    static Map<String, CompressOptions> compactCases() {
        Map<String, CompressOptions> m = new LinkedHashMap<>();
        CompressOptions.Builder b = CompressOptions.builder().blockSize(16384).threads(1);
        m.put("text-compact-zstd3.mmh", b.codec("zstd").level(3).build());
        m.put("text-compact-store.mmh", b.codec("store").level(0).build());
        m.put("text-compact-sha256-bwt.mmh", b.codec("bwt").level(1).hash(ContentHash.SHA256).build());
        return m;
    }

    static Path dir() {
        return Path.of("src/test/resources/golden/v1");
    }

    static Path compactDir() {
        return Path.of("src/test/resources/golden/v2");
    }

    static Path negativeDir() {
        return Path.of("src/test/resources/golden/negative");
    }

    /** Name of the golden with recovery data in {@link #dir()}: text-zstd3.mmh with 5% recovery data added. */
    static final String RECOVERY = "text-zstd3-recovery5.mmh";

    /** {@code archive} with recovery data added as {@code mmh compress --recovery 5} adds it. */
    static byte[] withRecovery(byte[] archive) throws IOException {
        Path tmp = Files.createTempFile("golden", ".mmh");
        try {
            Files.write(tmp, archive);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ArchiveProtection.addRecovery(ch, 0.05, 1);
            }
            return Files.readAllBytes(tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    /** Reads a committed golden by its path under golden/, e.g. "v1/text-zstd3.mmh". */
    interface Source {
        byte[] read(String path) throws IOException;
    }

    /**
     * The negative goldens (golden/negative/), by name: what only a writer newer than this version could make,
     * one case of the rule in docs/FORMAT.md ("Principles") each, made from the committed goldens by setting a
     * reserved field, a flag bit or an id this version does not know and fixing the checksums, so that every
     * structure is intact. {@code GoldenFilesTest} holds the exception each one gets. Names ending in
     * {@code -skipped} are the rule's other side: what a reader accepts (an unknown section without
     * MUST_UNDERSTAND, informative fields with any value); they decode to text.bin.
     */
    static Map<String, byte[]> negatives(Source golden) throws IOException {
        byte[] full = golden.read("v1/text-zstd3.mmh");
        byte[] compact = golden.read("v2/text-compact-zstd3.mmh");
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("header-version.mmh", header(full, b -> LE.put16(b, 8, 4)));
        m.put("header-flags.mmh", header(full, b -> LE.put16(b, 10, 2))); // bit 0 is ENCRYPTED since issue 16
        m.put("header-reserved.mmh", header(full, b -> LE.put32(b, 32, 1)));
        m.put("header-hash-id.mmh", header(full, b -> b[12] = 3));
        m.put("header-codec-flags.mmh", header(full, b -> LE.put32(b, 20, 4)));
        m.put("compact-header-flags.mmh", header(compact, b -> LE.put16(b, 10, 0x8000)));
        m.put("block-codec-id.mmh", firstBlock(full, 4, 32, 200));
        m.put("block-transform-id.mmh", firstBlock(full, 6, 34, 99));
        m.put("index-flags.mmh", index(full, (b, at) -> LE.put32(b, at + 4, 1)));
        m.put("footer-flags.mmh", footer(full, (b, at) -> LE.put16(b, at + 50, 1)));
        m.put("footer-version.mmh", footer(full, (b, at) -> LE.put16(b, at + 48, 2)));
        m.put("section-flags.mmh", withSection(full, 'X', 4));
        m.put("section-must-understand.mmh", withSection(full, 'X', Format.SECTION_MUST_UNDERSTAND));
        m.put("section-encryption.mmh", withSection(full, 'E', 0));
        m.put("recovery-envelope-flags.mmh", recoveryEnvelope(golden.read("v1/" + RECOVERY), 4));
        byte[] sidecar = golden.read("../dev/mmh/recovery/golden-v1.mmhr");
        m.put("recovery-header-reserved.mmhr", recoveryHeaders(sidecar, 72, 1));
        m.put("recovery-header-flags.mmhr", recoveryHeaders(sidecar, 11, 3));
        m.put("section-skipped.mmh", withSection(full, 'X', 0));
        m.put("section-self-checked-skipped.mmh", withSection(full, 'X', Format.SECTION_SELF_CHECKED));
        m.put("header-informative-skipped.mmh", header(full, b -> {
            b[13] = (byte) 200; // codec id: the codec the writer was asked for
            b[15] = 9; // goal
            LE.put32(b, 16, 99); // level
        }));
        return m;
    }

    interface Patch {
        void apply(byte[] b);
    }

    interface PatchAt {
        void apply(byte[] b, int at);
    }

    /** A copy of {@code g} with its file header changed and its header CRC fixed (either layout). */
    static byte[] header(byte[] g, Patch p) {
        byte[] b = g.clone();
        p.apply(b);
        int crcAt = LE.get16(g, 8) == Format.COMPACT_VERSION ? Format.COMPACT_HEADER_SIZE - 4 : Format.HEADER_SIZE - 4;
        LE.put32(b, crcAt, Format.crc(b, 0, crcAt));
        return b;
    }

    static int footerAt(byte[] g) {
        return g.length - Format.FOOTER_SIZE;
    }

    static int indexAt(byte[] g) {
        return (int) LE.get64(g, footerAt(g));
    }

    /** A copy of full-layout {@code g} with its index changed ({@code at} = the index's offset), index CRC fixed. */
    static byte[] index(byte[] g, PatchAt p) {
        byte[] b = g.clone();
        int at = indexAt(g);
        int len = (int) LE.get64(g, footerAt(g) + 8);
        p.apply(b, at);
        LE.put32(b, at + len - 4, Format.crc(b, at, len - 4));
        return b;
    }

    /** A copy of {@code g} with its footer changed ({@code at} = the footer's offset), footer CRC fixed. */
    static byte[] footer(byte[] g, PatchAt p) {
        byte[] b = g.clone();
        int at = footerAt(g);
        p.apply(b, at);
        LE.put32(b, at + 52, Format.crc(b, at, 52));
        return b;
    }

    /**
     * Block 0 of an XXH64 archive with the byte at {@code blockField} of its header set to {@code value}, and its
     * index entry's byte at {@code entryField} too: a consistent archive from a writer that knows that value.
     */
    static byte[] firstBlock(byte[] g, int blockField, int entryField, int value) {
        byte[] b = g.clone();
        int h = Format.HEADER_SIZE;
        b[h + blockField] = (byte) value;
        LE.put32(b, h + Format.BLOCK_FIXED + 8, Format.crc(b, h, Format.BLOCK_FIXED + 8));
        return index(b, (x, at) -> x[at + 24 + entryField] = (byte) value);
    }

    /**
     * {@code g} with a section of {@code type} and {@code flags} (body "newer writer", CRC by the envelope rule)
     * between the last block and the index, the footer moved along.
     */
    static byte[] withSection(byte[] g, char type, int flags) {
        byte[] body = "newer writer".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] s = new byte[Format.SECTION_ENVELOPE + body.length + 4];
        LE.put32(s, 0, Format.magic(type));
        LE.put32(s, 4, flags);
        LE.put64(s, 8, s.length);
        System.arraycopy(body, 0, s, Format.SECTION_ENVELOPE, body.length);
        int covered = (flags & Format.SECTION_SELF_CHECKED) != 0 ? Format.SECTION_ENVELOPE : s.length - 4;
        LE.put32(s, s.length - 4, Format.crc(s, 0, covered));
        int at = indexAt(g);
        byte[] b = new byte[g.length + s.length];
        System.arraycopy(g, 0, b, 0, at);
        System.arraycopy(s, 0, b, at, s.length);
        System.arraycopy(g, at, b, at + s.length, g.length - at);
        return footer(b, (x, f) -> {
            LE.put64(x, f, at + s.length);
            LE.put64(x, f + 32, x.length);
        });
    }

    /** {@code g} (with recovery data) with {@code bits} added to the recovery section's envelope flags, CRC fixed. */
    static byte[] recoveryEnvelope(byte[] g, int bits) {
        byte[] b = g.clone();
        int r = (int) LE.get64(g, footerAt(g) + 16);
        int len = (int) LE.get64(g, footerAt(g) + 24);
        LE.put32(b, r + 4, LE.get32(b, r + 4) | bits);
        LE.put32(b, r + len - 4, Format.crc(b, r, Format.SECTION_ENVELOPE));
        return b;
    }

    /** A recovery sidecar with {@code value} at {@code field} of both header copies, their CRCs fixed. */
    static byte[] recoveryHeaders(byte[] sidecar, int field, int value) {
        byte[] b = sidecar.clone();
        for (int at : new int[] {0, b.length - 128}) {
            b[at + field] = (byte) value;
            LE.put32(b, at + 124, Format.crc(b, at, 124));
        }
        return b;
    }

    public static void main(String[] args) throws IOException {
        Files.createDirectories(dir());
        Files.write(dir().resolve("text.bin"), input());
        for (Map.Entry<String, CompressOptions> e : cases().entrySet()) {
            Files.write(dir().resolve(e.getKey()), TestData.compress(input(), e.getValue()));
        }
        Files.createDirectories(compactDir());
        for (Map.Entry<String, CompressOptions> e : compactCases().entrySet()) {
            Files.write(compactDir().resolve(e.getKey()), TestData.compress(input(), e.getValue()));
        }
        Files.write(dir().resolve("empty-zstd3.mmh"), TestData.compress(new byte[0],
                CompressOptions.builder().blockSize(4096).threads(1).codec("zstd").level(3).build()));
        Files.write(dir().resolve(RECOVERY), withRecovery(Files.readAllBytes(dir().resolve("text-zstd3.mmh"))));
        Files.createDirectories(negativeDir());
        Path resources = Path.of("src/test/resources/golden");
        for (Map.Entry<String, byte[]> e : negatives(p -> Files.readAllBytes(resources.resolve(p))).entrySet()) {
            Files.write(negativeDir().resolve(e.getKey()), e.getValue());
        }
    }
}
