package dev.mmh.archive.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.archive.format.BlobId;
import dev.mmh.archive.format.Ids;
import dev.mmh.archive.format.Names;
import dev.mmh.archive.write.BlobIndex;
import dev.mmh.archive.write.Hashing;
import dev.mmh.archive.write.MemoryStore;
import dev.mmh.archive.write.Packer;
import dev.mmh.chunk.ChunkerParams;
import dev.mmh.chunk.IdFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two versions packed into one store (the second reusing the first's blobs), then compared. */
class TreeDiffTest {
    @TempDir
    Path tmp;

    private static Packer.Outcome pack(Path root, BlobIndex index, MemoryStore store) throws Exception {
        Packer.Options o = Packer.Options.defaults(new ChunkerParams(1024, 4096, 16384, 0));
        try (dev.mmh.work.WorkerPool wp = new dev.mmh.work.WorkerPool(2); Hashing h = new Hashing(IdFunction.SHA256, wp, 128 << 10)) {
            Packer p = new Packer(o, index, store, h, n -> { });
            Packer.Outcome out = p.pack(List.of(new Packer.Source(root, "proj".getBytes())));
            p.close();
            return out;
        }
    }

    @Test
    void reportsEveryKindOfChangeInPathOrderAndStoresOnlyWhatIsNew() throws Exception {
        Path root = tmp.resolve("proj");
        Files.createDirectories(root.resolve("a/deep"));
        Files.createDirectories(root.resolve("same"));
        Files.createDirectories(root.resolve("gone-dir"));
        Files.writeString(root.resolve("a/deep/edit.txt"), "one");
        Files.writeString(root.resolve("a/touch.txt"), "t");
        Files.writeString(root.resolve("a/chmod.txt"), "c");
        Files.writeString(root.resolve("remove.txt"), "r");
        Files.writeString(root.resolve("same/s.txt"), "s");
        Files.writeString(root.resolve("gone-dir/x"), "x");
        byte[] big = new byte[200_000];
        new java.util.Random(1).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        for (Path p : List.of(root.resolve("a/touch.txt"), root.resolve("same/s.txt"), root.resolve("same"))) {
            Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000));
        }
        BlobIndex index = new BlobIndex();
        MemoryStore store = new MemoryStore(1 << 20, index);
        Packer.Outcome v1 = pack(root, index, store);

        Files.writeString(root.resolve("a/deep/edit.txt"), "two");
        Files.setLastModifiedTime(root.resolve("a/touch.txt"), FileTime.fromMillis(2_000_000));
        Files.setAttribute(root.resolve("a/chmod.txt"), "unix:mode", 0600);
        Files.delete(root.resolve("remove.txt"));
        Files.writeString(root.resolve("new.txt"), "n");
        Files.delete(root.resolve("gone-dir/x"));
        Files.delete(root.resolve("gone-dir"));
        Files.writeString(root.resolve("gone-dir"), "now a file");
        // the directories' own times change as files come and go; pin them so only the listed changes remain
        for (Path d : List.of(root, root.resolve("a"), root.resolve("a/deep"))) {
            Files.setLastModifiedTime(d, FileTime.fromMillis(5_000_000));
        }
        int blocksBefore = store.blocks().size();
        Packer.Outcome v2 = pack(root, index, store);
        // the big file and every unchanged tree were not stored again: only a few small blobs
        assertTrue(v2.newBytes() < 4_000, "version 2 stored " + v2.newBytes() + " bytes");
        assertTrue(store.blocks().size() - blocksBefore <= 2);

        List<String> seen = new ArrayList<>();
        try (Ids ids = new Ids(IdFunction.SHA256)) {
            FolderView a = new FolderView(store, ids, v1.root(), Long.MAX_VALUE);
            FolderView b = new FolderView(store, ids, v2.root(), Long.MAX_VALUE);
            TreeDiff.diff(a, b, (path, change, before, after) -> seen.add(change.symbol() + " "
                    + Names.display(path)));
            assertEquals(List.of("m proj", "m proj/a", "m proj/a/chmod.txt", "m proj/a/deep", "M proj/a/deep/edit.txt",
                    "m proj/a/touch.txt", "M proj/gone-dir", "+ proj/new.txt", "- proj/remove.txt"), seen);
            seen.clear();
            TreeDiff.diff(a, a, (path, change, before, after) -> seen.add(Names.display(path)));
            assertEquals(List.of(), seen);
            assertTrue(!v1.root().equals(BlobId.HOLE));
        }
    }
}
