package dev.mmh.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.engine.CompressOptions;
import dev.mmh.engine.Verifier;
import dev.mmh.hash.ContentHash;
import dev.mmh.hash.MerkleTree;
import dev.mmh.testing.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every limit is enforced as the input goes, and a reader's memory does not grow with the number of blocks
 * (docs/FORMAT.md, "Limits a reader enforces"). The block-count tests run {@link ManyBlocksMain} in a JVM with a
 * 16 MiB heap over a generated archive ({@link EmptyBlocksArchive}): a reader that kept anything per block runs
 * out of memory long before the limit.
 */
class StreamLimitsTest {
    /** Offset of the first entry in an index section (docs/FORMAT.md, "Index section"). */
    private static final int ENTRIES = 24;

    @TempDir
    Path dir;

    private static byte[] golden() throws IOException {
        try (InputStream in = StreamLimitsTest.class.getResourceAsStream("/golden/v1/text-zstd3.mmh")) {
            return in.readAllBytes();
        }
    }

    /** Runs {@link ManyBlocksMain} with {@code args} in a JVM with a {@code heap} heap; returns its output lines. */
    private static List<String> forked(String heap, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), ManyBlocksMain.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(20, TimeUnit.MINUTES), "timed out");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text.lines().toList();
    }

    @Test
    void aStreamOfOneBlockMoreThanTheLimitIsRefusedAtThatBlockInASmallHeap() throws Exception {
        long n = Format.MAX_BLOCKS + 1;
        assertEquals(List.of("blocks " + Format.MAX_BLOCKS,
                "LimitExceededException: archive needs " + n + " blocks, the limit is " + Format.MAX_BLOCKS),
                forked("16m", Long.toString(n)));
    }

    @Test
    void aMillionBlocksAndTheirIndexAreCheckedInASmallHeap() throws Exception {
        int n = 1_000_000; // 48 MB of index entries and 60 MB of blocks through a 16 MiB heap
        MerkleTree m = new MerkleTree();
        byte[] emptyHash = ContentHash.XXH64.hash(new byte[0], 0, 0);
        for (int i = 0; i < n; i++) {
            m.add(0, emptyHash);
        }
        assertEquals(List.of("blocks " + n, "ok " + Format.hex(m.root())), forked("16m", Integer.toString(n), "index"));
    }

    @Test
    void rebuildingAnIndexStopsAtTheMemoryItMayTakeInsteadOfRunningOut() throws Exception {
        List<String> out = forked("32m", Long.toString(Format.MAX_BLOCKS + 1), "rebuild");
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.get(0).startsWith("LimitExceededException: index held in memory needs "), out.get(0));
    }

    @Test
    void theStreamedIndexMustListTheBlocksRead() throws IOException {
        byte[] g = golden();
        int index = GoldenFiles.indexAt(g);
        // one entry changed, checksum fixed: the digest of the entries disagrees
        byte[] entry = GoldenFiles.index(g, (b, at) -> b[at + ENTRIES + 48 + 8] ^= 1);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> TestData.decompress(entry, 1));
        assertEquals("at offset " + (index + ENTRIES) + ": index entries disagree with the block headers",
                e.getMessage());
        // a count that is not the blocks read, checksum fixed
        byte[] count = GoldenFiles.index(g, (b, at) -> LE.put64(b, at + 16, Format.MAX_BLOCKS + 1));
        e = assertThrows(CorruptDataException.class, () -> TestData.decompress(count, 1));
        assertEquals("at offset " + (index + 16) + ": index lists " + (Format.MAX_BLOCKS + 1) + " blocks, 3 were read",
                e.getMessage());
        e = assertThrows(CorruptDataException.class, () -> SeekableArchive.open(file("count.mmh", count)));
        assertEquals("at offset " + index + ": index length and block count disagree", e.getMessage());
        // a length that does not fit the blocks read is refused before anything of the index is read
        byte[] length = g.clone();
        LE.put64(length, index + 8, 1L << 40);
        e = assertThrows(CorruptDataException.class, () -> TestData.decompress(length, 1));
        assertTrue(e.getMessage().startsWith("at offset " + (index + 8) + ": index length 1099511627776 does not fit"),
                e.getMessage());
    }

    private Path file(String name, byte[] b) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    /** A sparse file: the golden's header, then zeros, then a footer claiming an index of {@code indexLength}. */
    private Path claimingAnIndexOf(long indexLength) throws IOException {
        byte[] g = golden();
        long size = Format.HEADER_SIZE + indexLength + Format.FOOTER_SIZE;
        Path p = dir.resolve("sparse.mmh");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
            f.write(g, 0, Format.HEADER_SIZE);
            f.seek(size - Format.FOOTER_SIZE);
            f.write(new Footer(Format.HEADER_SIZE, indexLength, 0, 0, size, 0).encode());
        }
        return p;
    }

    @Test
    void anIndexLargerThanTheLimitsIsRefusedBeforeItIsAllocated() throws IOException {
        long max = Index.size(Format.MAX_BLOCKS, 8);
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> SeekableArchive.open(claimingAnIndexOf(max + 48)));
        assertEquals("index needs " + (max + 48) + " bytes, the limit is " + max, e.getMessage());
        long budget = Math.min(Integer.MAX_VALUE - 16, Runtime.getRuntime().maxMemory() / 4);
        e = assertThrows(LimitExceededException.class, () -> SeekableArchive.open(claimingAnIndexOf(budget + 48)));
        assertEquals("index held in memory needs " + (budget + 48) + " bytes, the limit is " + budget, e.getMessage());
    }

    /** The golden with an unknown, skippable section of {@code length} (as declared) before the index. */
    private static byte[] withSectionLength(long length) throws IOException {
        byte[] s = GoldenFiles.withSection(golden(), 'X', 0);
        LE.put64(s, GoldenFiles.indexAt(golden()) + 8, length);
        return s;
    }

    @Test
    void aSectionDeclaringAHugeLengthIsNeitherAllocatedNorTrusted() throws IOException {
        int at = GoldenFiles.indexAt(golden());
        byte[] huge = withSectionLength(1L << 62);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> TestData.decompress(huge, 1));
        // reported where the section starts: the end of the input is no place to look for the damage
        assertEquals("at offset " + at + ": archive ends inside the section 'X' that starts here (truncated)",
                e.getMessage());
        e = assertThrows(CorruptDataException.class, () -> SeekableArchive.open(file("huge.mmh", huge)));
        assertEquals("at offset " + (at + 8) + ": section 'X' runs past the index", e.getMessage());
        byte[] negative = withSectionLength(1L << 63);
        e = assertThrows(CorruptDataException.class, () -> TestData.decompress(negative, 1));
        assertEquals("at offset " + (at + 8) + ": section 'X' has an impossible length 9223372036854775808",
                e.getMessage());
        e = assertThrows(CorruptDataException.class, () -> SeekableArchive.open(file("neg.mmh", negative)));
        assertEquals("at offset " + (at + 8) + ": section 'X' runs past the index", e.getMessage());
    }

    @Test
    void theScanOfADamagedArchiveStopsAfterAThousandDamagedPlaces() throws IOException {
        byte[] a = TestData.compress(TestData.random(1100 * 1024, 7),
                CompressOptions.builder().blockSize(1024).threads(1).codec("store").build());
        byte[] d = a.clone();
        int blocks = 0;
        for (long pos = Format.HEADER_SIZE; LE.get32(d, (int) pos) == Format.SECTION_BLOCK; blocks++) {
            d[(int) pos + BlockHeader.size(8)] ^= 1; // the first stored byte: its checksum fails
            pos += BlockHeader.size(8) + LE.get64(d, (int) pos + 36) + 4;
        }
        assertEquals(1100, blocks);
        d[d.length - 1] ^= 1; // footer magic: verify scans from the start
        Verifier.Report r = Verifier.verify(file("damaged.mmh", d), dev.mmh.testing.TestData.threads(1));
        assertEquals(1001, r.damage().size());
        assertTrue(r.damage().get(0).what().contains("footer magic missing"), r.damage().get(0).what());
        assertTrue(r.damage().get(1).what().contains("stored data checksum mismatch"), r.damage().get(1).what());
        assertEquals("more than 1000 damaged places: the scan stopped here", r.damage().get(1000).what());
    }
}
