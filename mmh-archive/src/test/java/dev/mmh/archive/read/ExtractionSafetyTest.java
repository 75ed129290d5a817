package dev.mmh.archive.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.CorruptDataException;
import dev.mmh.archive.format.BlobId;
import dev.mmh.archive.format.BlobTable;
import dev.mmh.archive.format.ChunkRef;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.EntryType;
import dev.mmh.archive.format.Ids;
import dev.mmh.archive.format.Trees;
import dev.mmh.archive.write.BlobIndex;
import dev.mmh.archive.write.DirectoryBuilder;
import dev.mmh.archive.write.MetaSink;
import dev.mmh.chunk.IdFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile archives against extraction: each way out of the destination, and each way to make a reader loop, run
 * without end or allocate without bound, as a named case. The blobs are made by hand (trees and data in a map) so
 * that the archive can say anything a writer never would.
 */
class ExtractionSafetyTest {
    @TempDir
    Path tmp;

    /** Blobs by ID, each in a block of its own: an archive that holds exactly what a test puts in it. */
    static final class Blobs implements ArchiveData, MetaSink {
        final Map<BlobId, byte[]> bytes = new HashMap<>();
        final Map<BlobId, Integer> types = new HashMap<>();
        final Map<Long, BlobId> byBlock = new HashMap<>();
        final Ids ids = new Ids(IdFunction.SHA256);

        @Override
        public BlobId put(byte[] blob, int type) {
            return put(ids.of(blob), blob, type);
        }

        BlobId put(BlobId id, byte[] blob, int type) {
            bytes.put(id, blob);
            types.put(id, type);
            byBlock.put((long) byBlock.size(), id);
            return id;
        }

        BlobId data(String s) {
            return put(s.getBytes(StandardCharsets.UTF_8), BlobTable.DATA);
        }

        @Override
        public BlobTable.Location locate(BlobId id) {
            if (!bytes.containsKey(id)) {
                return null;
            }
            long block = byBlock.entrySet().stream().filter(e -> e.getValue().equals(id)).findFirst().orElseThrow()
                    .getKey();
            return new BlobTable.Location(id, types.get(id), block, 0, bytes.get(id).length);
        }

        @Override
        public Block block(long number) {
            byte[] b = bytes.get(byBlock.get(number));
            return new Block(number, b, b.length);
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Entry file(String name, Blobs blobs, String content) {
        BlobId id = blobs.data(content);
        return Entry.builder(b(name), EntryType.FILE).mode(0644)
                .content(content.length(), List.of(new ChunkRef(id, content.length())), false).build();
    }

    static BlobId tree(Blobs blobs, Entry... entries) throws IOException {
        DirectoryBuilder d = new DirectoryBuilder(blobs);
        for (Entry e : entries) {
            d.add(e);
        }
        return d.finish();
    }

    static Entry dir(String name, BlobId tree) {
        return Entry.builder(b(name), EntryType.DIRECTORY).mode(0755).tree(tree).build();
    }

    private Extractor.Result extract(Blobs blobs, BlobId root, Path dest, long declared, boolean force)
            throws IOException {
        FolderView v = new FolderView(blobs, blobs.ids, root, declared);
        return new Extractor(v, blobs, dest, Extractor.Options.defaults(2).withForce(force), n -> { })
                .extract(List.of());
    }

    private static boolean empty(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.findAny().isEmpty();
        }
    }

    @Test
    void hardLinkWithDotDotIsRefused() throws Exception {
        Blobs blobs = new Blobs();
        Path dest = Files.createDirectories(tmp.resolve("a/b/dest"));
        Files.writeString(tmp.resolve("a/secret"), "s");
        Entry link = Entry.builder(b("evil"), EntryType.HARDLINK).mode(0644).target("../../secret").build();
        BlobId root = tree(blobs, dir("top", tree(blobs, link)));
        Extractor.Result r = extract(blobs, root, dest, 100, false);
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertTrue(r.problems().get(0).toString().startsWith("top/evil: "), r.problems().toString());
        assertFalse(Files.exists(dest.resolve("top/evil")));
        assertEquals(1, (int) Files.getAttribute(tmp.resolve("a/secret"), "unix:nlink"));
    }

    @Test
    void absoluteHardLinkTargetIsRefused() throws Exception {
        Blobs blobs = new Blobs();
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        Entry link = Entry.builder(b("evil"), EntryType.HARDLINK).mode(0644).target("/etc/hostname").build();
        Extractor.Result r = extract(blobs, tree(blobs, link), dest, 100, false);
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertFalse(Files.exists(dest.resolve("evil")));
    }

    @Test
    void aSymbolicLinkAlreadyInTheDestinationIsNeverFollowed() throws Exception {
        Blobs blobs = new Blobs();
        Path victim = Files.createDirectories(tmp.resolve("victim"));
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        Files.createSymbolicLink(dest.resolve("sub"), victim);
        BlobId root = tree(blobs, dir("sub", tree(blobs, file("pwned.txt", blobs, "x"))));
        Extractor.Result r = extract(blobs, root, dest, 100, true);
        assertTrue(empty(victim), "wrote through the link");
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertTrue(r.problems().get(0).reason().contains("symbolic link"), r.problems().toString());
    }

    @Test
    void symbolicLinksOfTheArchiveAreMadeAfterTheFiles() throws Exception {
        // a link stored first in name order ("a" -> victim) and a directory "b" holding files: the link exists only
        // after every file is written, so nothing can be written through it even by a racing entry
        Blobs blobs = new Blobs();
        Path victim = Files.createDirectories(tmp.resolve("victim"));
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        Entry link = Entry.builder(b("a"), EntryType.SYMLINK).mode(0777).target(victim.toString()).build();
        BlobId root = tree(blobs, link, dir("b", tree(blobs, file("f", blobs, "data"))));
        Extractor.Result r = extract(blobs, root, dest, 100, false);
        assertTrue(r.ok(), r.problems().toString());
        assertTrue(Files.isSymbolicLink(dest.resolve("a")));
        assertEquals("data", Files.readString(dest.resolve("b/f")));
        assertTrue(empty(victim));
    }

    @Test
    void manyLinksAreMadeAndTheirProblemsReportedInPathOrder() throws Exception {
        // symbolic links are made on the workers: each still made once, with its time, and the refused ones named
        // in path order, whatever order the workers finish in
        Blobs blobs = new Blobs();
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        Entry[] entries = new Entry[302];
        for (int i = 0; i < 300; i++) {
            entries[i] = Entry.builder(b(String.format("l%03d", i)), EntryType.SYMLINK).mode(0777)
                    .mtime(1_000_000 + i, 7).target("target-" + i).build();
        }
        entries[300] = file("m-file", blobs, "data");
        entries[301] = Entry.builder(b("n-hard"), EntryType.HARDLINK).mode(0644).target("m-file").build();
        for (int i : new int[] {250, 17, 133}) {
            Files.writeString(dest.resolve(String.format("l%03d", i)), "mine");
        }
        Extractor.Result r = extract(blobs, tree(blobs, entries), dest, 1000, false);
        assertEquals(List.of("l017", "l133", "l250"), r.problems().stream().map(Extractor.Problem::path).toList());
        assertEquals(297 + 1, r.links());
        for (int i = 0; i < 300; i++) {
            Path l = dest.resolve(String.format("l%03d", i));
            if (i == 17 || i == 133 || i == 250) {
                assertEquals("mine", Files.readString(l));
            } else {
                assertEquals("target-" + i, Files.readSymbolicLink(l).toString());
                assertEquals(1_000_000L + i, ((java.nio.file.attribute.FileTime) Files.getAttribute(l,
                        "lastModifiedTime", java.nio.file.LinkOption.NOFOLLOW_LINKS)).toInstant().getEpochSecond());
            }
        }
        assertEquals(2, (int) Files.getAttribute(dest.resolve("n-hard"), "unix:nlink"));
    }

    @Test
    void emptyFilesAndFilesEndingInAHoleGetTheirSize() throws Exception {
        // a file is reopened after its data only to make it (empty, all holes) or to extend it over a trailing hole
        Blobs blobs = new Blobs();
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        BlobId abc = blobs.data("abc");
        Entry empty = Entry.builder(b("empty"), EntryType.FILE).mode(0644).content(0, List.of(), false).build();
        Entry tail = Entry.builder(b("tail-hole"), EntryType.FILE).mode(0644).content(10_003, List.of(
                new ChunkRef(abc, 3), new ChunkRef(BlobId.HOLE, 10_000)), true).build();
        Entry holes = Entry.builder(b("all-hole"), EntryType.FILE).mode(0644).content(5_000, List.of(
                new ChunkRef(BlobId.HOLE, 5_000)), true).build();
        Extractor.Result r = extract(blobs, tree(blobs, holes, empty, tail, file("whole", blobs, "xyz")), dest, 100,
                false);
        assertTrue(r.ok(), r.problems().toString());
        assertEquals(0, Files.size(dest.resolve("empty")));
        byte[] t = Files.readAllBytes(dest.resolve("tail-hole"));
        assertEquals(10_003, t.length);
        assertEquals("abc", new String(t, 0, 3, StandardCharsets.UTF_8));
        for (int i = 3; i < t.length; i++) {
            assertEquals(0, t[i]);
        }
        assertEquals(5_000, Files.size(dest.resolve("all-hole")));
        assertEquals("xyz", Files.readString(dest.resolve("whole")));
    }

    @Test
    void existingFilesAreKeptWithoutForce() throws Exception {
        Blobs blobs = new Blobs();
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        Files.writeString(dest.resolve("f"), "mine");
        BlobId root = tree(blobs, file("f", blobs, "theirs"), file("g", blobs, "new"));
        Extractor.Result r = extract(blobs, root, dest, 100, false);
        assertEquals("mine", Files.readString(dest.resolve("f")));
        assertEquals("new", Files.readString(dest.resolve("g")));
        assertEquals(1, r.problems().size());
        assertTrue(r.problems().get(0).exists());
        Extractor.Result forced = extract(blobs, root, dest, 100, true);
        assertTrue(forced.ok(), forced.problems().toString());
        assertEquals("theirs", Files.readString(dest.resolve("f")));
        try (var s = Files.list(dest)) {
            assertEquals(2, s.count(), "no temporary file left");
        }
    }

    @Test
    void aChunkThatIsNotInTheArchiveFailsThatFileOnly() throws Exception {
        Blobs blobs = new Blobs();
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        BlobId missing = BlobId.parse("11".repeat(32));
        Entry broken = Entry.builder(b("broken"), EntryType.FILE).mode(0644)
                .content(5, List.of(new ChunkRef(missing, 5)), false).build();
        BlobId root = tree(blobs, broken, file("ok", blobs, "fine"));
        Extractor.Result r = extract(blobs, root, dest, 100, false);
        assertEquals(1, r.problems().size());
        assertEquals("broken", r.problems().get(0).path());
        assertTrue(r.problems().get(0).reason().contains("not in the archive"), r.problems().toString());
        assertEquals("fine", Files.readString(dest.resolve("ok")));
        assertFalse(Files.exists(dest.resolve("broken")));
        try (var s = Files.list(dest)) {
            assertEquals(1, s.count(), "no temporary file left");
        }
    }

    @Test
    void aHugeDeclaredSizeAllocatesNothing() throws Exception {
        Blobs blobs = new Blobs();
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        BlobId id = blobs.data("tiny");
        Entry huge = Entry.builder(b("huge"), EntryType.FILE).mode(0644)
                .content(1L << 50, List.of(new ChunkRef(id, 1L << 50)), false).build();
        Extractor.Result r = extract(blobs, tree(blobs, huge), dest, 100, false);
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertFalse(Files.exists(dest.resolve("huge")));
    }

    @Test
    void aTreeStoredUnderAnotherIdIsRefusedSoNoTreeCanContainItself() throws Exception {
        Blobs blobs = new Blobs();
        BlobId self = BlobId.parse("ab".repeat(32));
        byte[] loop = Trees.encodeEntries(List.of(dir("again", self)));
        blobs.put(self, loop, BlobTable.TREE);
        FolderView v = new FolderView(blobs, blobs.ids, self, Long.MAX_VALUE);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> v.walk(new FolderView.Visitor() {
            @Override
            public void entry(byte[] path, Entry en) {
            }
        }));
        assertTrue(e.getMessage().contains("holds the bytes of"), e.getMessage());
    }

    @Test
    void deepNestingStopsAtTheLimitWithoutExhaustingTheStack() throws Exception {
        Blobs blobs = new Blobs();
        BlobId t = tree(blobs);
        for (int i = 0; i < 1500; i++) {
            t = tree(blobs, dir("d", t));
        }
        FolderView v = new FolderView(blobs, blobs.ids, t, Long.MAX_VALUE);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> v.walk(new FolderView.Visitor() {
            @Override
            public void entry(byte[] path, Entry en) {
            }
        }));
        assertTrue(e.getMessage().contains("deeper than 1024"), e.getMessage());
    }

    @Test
    void sharedSubtreesCannotMultiplyBeyondTheDeclaredEntries() throws Exception {
        // 40 levels of two names for the same subtree: 2^41 entries from 40 tiny trees
        Blobs blobs = new Blobs();
        BlobId t = tree(blobs, file("leaf", blobs, "x"));
        for (int i = 0; i < 40; i++) {
            t = tree(blobs, dir("l", t), dir("r", t));
        }
        FolderView v = new FolderView(blobs, blobs.ids, t, 10_000);
        long[] seen = {0};
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> v.walk(new FolderView.Visitor() {
            @Override
            public void entry(byte[] path, Entry en) {
                seen[0]++;
            }
        }));
        assertEquals(10_000, seen[0]);
        assertTrue(e.getMessage().contains("more entries than the version declares"), e.getMessage());
    }

    @Test
    void aDamagedDirectoryListingSkipsOnlyThatDirectory() throws Exception {
        Blobs blobs = new Blobs();
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        BlobId bad = BlobId.parse("cd".repeat(32));
        blobs.put(bad, new byte[] {0, 5, 1}, BlobTable.TREE); // a tree of 5 entries that stops after one byte
        BlobId root = tree(blobs, dir("broken", bad), file("fine", blobs, "ok"));
        Extractor.Result r = extract(blobs, root, dest, 100, false);
        assertEquals("ok", Files.readString(dest.resolve("fine")));
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertEquals("broken", r.problems().get(0).path());
    }
}
