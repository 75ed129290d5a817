package dev.mmh.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.CorruptDataException;
import dev.mmh.MmhException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.EntryType;
import dev.mmh.archive.format.Manifest;
import dev.mmh.archive.read.Extractor;
import dev.mmh.archive.read.FolderView;
import dev.mmh.archive.write.PackRoundTripTest;
import dev.mmh.engine.DecompressOptions;
import dev.mmh.engine.Verifier;
import dev.mmh.format.Format;
import dev.mmh.format.LE;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden folder archives of format version 3 (src/test/resources/golden/v3, made by {@link
 * FolderGoldenFiles#main}): the writer still makes exactly these bytes (a changed byte is a format change: bump the
 * version and say so in docs/FORMAT.md, "Folder archives (version 3)"), they read back to the trees they were made
 * from, and the negative goldens ({@link FolderNegatives}) get the exception and message the format documents.
 */
class FolderGoldenFilesTest {
    @TempDir
    Path tmp;

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = FolderGoldenFilesTest.class.getResourceAsStream("/golden/v3/" + name)) {
            if (in == null) {
                throw new IOException("golden file missing: " + name);
            }
            return in.readAllBytes();
        }
    }

    private Path file(String name, byte[] b) throws IOException {
        Path p = tmp.resolve(name.replace('/', '_'));
        Files.write(p, b);
        return p;
    }

    @Test
    void writerStillProducesTheGoldenBytes() throws IOException {
        Map<String, byte[]> made = FolderGoldenFiles.make(Files.createDirectories(tmp.resolve("work")));
        assertEquals(3, made.size());
        for (Map.Entry<String, byte[]> e : made.entrySet()) {
            assertArrayEquals(golden(e.getKey()), e.getValue(), e.getKey() + " changed: that is a format change");
        }
    }

    /** The trees as restored: every entry's type, mode, time, size, content and link, by path. */
    private TreeMap<String, String> restored(byte[] archive, int version) throws IOException {
        Path a = file("r" + version + "-" + Arrays.hashCode(archive) + ".mmh", archive);
        Path out = tmp.resolve("out-" + version + "-" + Arrays.hashCode(archive));
        try (FolderArchive f = FolderArchive.open(a, FolderArchive.ReadOptions.threads(1))) {
            Extractor.Result r = f.extract(version, List.of(), out, Extractor.Options.defaults(1));
            assertTrue(r.ok(), r.problems().toString());
        }
        return PackRoundTripTest.describe(out.resolve("tree"));
    }

    @Test
    void goldensReadBackToTheTreesTheyWereMadeFrom() throws IOException {
        Path t1 = FolderGoldenFiles.tree(Files.createDirectories(tmp.resolve("t1")), 1);
        Path t2 = FolderGoldenFiles.tree(Files.createDirectories(tmp.resolve("t2")), 2);
        TreeMap<String, String> one = PackRoundTripTest.describe(t1);
        TreeMap<String, String> two = PackRoundTripTest.describe(t2);
        assertNotEquals(one, two);
        assertEquals(one, restored(golden(FolderGoldenFiles.ONE), 1));
        assertEquals(one, restored(golden(FolderGoldenFiles.TWO), 1));
        assertEquals(two, restored(golden(FolderGoldenFiles.TWO), 2));
        assertEquals(one, restored(golden(FolderGoldenFiles.RECOVERY), 1));
        assertEquals(two, restored(golden(FolderGoldenFiles.RECOVERY), 2));
    }

    @Test
    void goldensHoldWhatTheFormatSays() throws IOException {
        byte[] g = golden(FolderGoldenFiles.ONE);
        assertEquals(Format.FOLDER_VERSION, LE.get16(g, 8), "format version");
        assertEquals(0, LE.get64(g, 32), "committed length of an archive never appended to");
        int f = g.length - Format.FOLDER_FOOTER_SIZE;
        assertEquals(g.length, LE.get64(g, f + 48), "footer: archive length");
        assertEquals(3, LE.get16(g, f + 64), "footer: format version");
        byte[] two = golden(FolderGoldenFiles.TWO);
        assertEquals(two.length, LE.get64(two, 32), "an append records the committed length");
        assertArrayEquals(Arrays.copyOfRange(g, 48, f), Arrays.copyOfRange(two, 48, f),
                "an append leaves the first version's bytes as they were");
        byte[] r = golden(FolderGoldenFiles.RECOVERY);
        assertNotEquals(0, LE.get64(r, r.length - Format.FOLDER_FOOTER_SIZE + 16), "recovery section");
        assertTrue(Verifier.verify(file("rec.mmh", r), DecompressOptions.builder().threads(1).build()).ok());
        try (FolderArchive a = FolderArchive.open(file("two.mmh", two), FolderArchive.ReadOptions.threads(1))) {
            assertEquals(2, a.latest());
            Manifest.Version v1 = a.versions().get(0);
            assertEquals("tree", new String(v1.label(), StandardCharsets.UTF_8));
            // the hard link: README holds the content, docs/hard-readme names it
            Entry link = a.lookup(1, "tree/docs/hard-readme".getBytes(StandardCharsets.UTF_8));
            assertEquals(EntryType.HARDLINK, link.type());
            assertEquals("tree/README", new String(link.target(), StandardCharsets.UTF_8));
            Entry big = a.lookup(1, "tree/big.txt".getBytes(StandardCharsets.UTF_8));
            assertTrue(big.chunks() == null && big.chunkList() != null, "big.txt's chunks are in a chunk-list blob");
            Entry copy = a.lookup(1, "tree/docs/copy-of-big.txt".getBytes(StandardCharsets.UTF_8));
            assertEquals(big.chunkList(), copy.chunkList(), "the copy is deduplicated");
            byte[] path = ("tree/" + new String(FolderGoldenFiles.NON_UTF8, StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.ISO_8859_1);
            try (InputStream in = a.read(1, path)) {
                assertEquals("not UTF-8 in its name\n", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            }
            assertEquals(1_700_000_700L, a.lookup(1, "tree/link".getBytes(StandardCharsets.UTF_8)).mtimeSeconds());
            assertEquals(700_007_000, a.lookup(1, "tree/link".getBytes(StandardCharsets.UTF_8)).mtimeNanos());
        }
    }

    @Test
    void oneOpenArchiveCanBeWalkedAgainAndThenExtracted() throws IOException {
        // each walk counts its entries against the version's declared count from 0, not from the last walk's total
        try (FolderArchive a = FolderArchive.open(file("walks.mmh", golden(FolderGoldenFiles.ONE)),
                FolderArchive.ReadOptions.threads(1))) {
            long[] n = new long[1];
            FolderView.Visitor count = (path, e) -> n[0]++;
            a.view(1).walk(count);
            a.view(1).walk(count);
            assertEquals(2 * (a.versions().get(0).files() + a.versions().get(0).directories()
                    + a.versions().get(0).others()), n[0]);
            assertTrue(a.extract(1, List.of(), tmp.resolve("walked"), Extractor.Options.defaults(1)).ok());
        }
    }

    @Test
    void rewritingWithoutAChangeGivesTheGoldenBack() throws IOException {
        byte[] g = golden(FolderGoldenFiles.ONE);
        assertArrayEquals(g, FolderNegatives.rewrite(g, b -> null, true));
    }

    @Test
    void committedNegativesAreTheGeneratedOnes() throws IOException {
        Map<String, byte[]> made = FolderNegatives.make(FolderGoldenFilesTest::golden);
        for (Map.Entry<String, byte[]> e : made.entrySet()) {
            assertArrayEquals(golden("negative/" + e.getKey()), e.getValue(), e.getKey());
        }
    }

    /**
     * Runs every reader on {@code archive}: open, walk version 1, read every file, extract, write a tar. Returns
     * the first exception.
     */
    private IOException firstFailure(String name) throws IOException {
        Path a = file(name, golden("negative/" + name));
        try (FolderArchive f = FolderArchive.open(a, FolderArchive.ReadOptions.threads(1))) {
            List<byte[]> files = new ArrayList<>();
            f.view(1).walk(new FolderView.Visitor() {
                @Override
                public void entry(byte[] path, Entry e) {
                    if (e.type() == EntryType.FILE) {
                        files.add(path);
                    }
                }
            });
            for (byte[] p : files) {
                try (InputStream in = f.read(1, p)) {
                    in.readAllBytes();
                }
            }
            f.toTar(1, List.of(), new ByteArrayOutputStream());
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError(name + " was read without an error");
    }

    private void refused(String name, Class<? extends MmhException> type, String message) throws IOException {
        IOException e = firstFailure(name);
        assertEquals(type, e.getClass(), name + ": " + e);
        assertEquals(message, e.getMessage(), name);
    }

    @Test
    void whatOnlyANewerWriterMakesIsUnsupported() throws IOException {
        refused("entry-type.mmh", UnsupportedFormatException.class,
                "tree 55a6eb130be8: empty: unknown entry type 9");
        refused("entry-field-flags.mmh", UnsupportedFormatException.class,
                "tree 21ed28cbacf3: empty: unknown field flags 0x8");
        refused("tree-kind.mmh", UnsupportedFormatException.class,
                "tree d7076b705e84: unknown tree kind 2");
        refused("chunk-list-kind.mmh", UnsupportedFormatException.class,
                "chunk list e8f5aec17a97 of big.txt: unknown chunk list kind 2");
        refused("manifest-version.mmh", UnsupportedFormatException.class,
                "manifest at offset 23112: manifest version 2");
        refused("manifest-id-function.mmh", UnsupportedFormatException.class,
                "manifest at offset 23112: ID function 3");
        refused("blob-table-reserved.mmh", UnsupportedFormatException.class,
                "blob table at offset 15308: entry 0 of page 0 has its reserved bytes set");
        refused("blob-table-type.mmh", UnsupportedFormatException.class,
                "blob table at offset 15308: entry 0 of page 0 has the unknown blob type 9");
        refused("footer-flags.mmh", UnsupportedFormatException.class,
                "at offset 23546: unknown bits 0x1 in the footer flags: not supported by this version of mmh");
        refused("header-reserved.mmh", UnsupportedFormatException.class,
                "at offset 40: unknown bits 0x1 in the reserved field of the file header: not supported by this "
                        + "version of mmh");
    }

    @Test
    void treeBytesChangedUnderTheirIdAreCaughtByTheId() throws IOException {
        refused("damaged-tree-bytes.mmh", CorruptDataException.class,
                "tree 5c7bcdbd2315 holds the bytes of 8f37e6604261");
    }
}
