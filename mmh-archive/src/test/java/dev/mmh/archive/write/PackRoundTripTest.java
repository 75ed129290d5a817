package dev.mmh.archive.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.archive.format.BlobId;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.EntryType;
import dev.mmh.archive.format.Ids;
import dev.mmh.archive.format.Names;
import dev.mmh.archive.fs.RawNames;
import dev.mmh.archive.fs.Scan;
import dev.mmh.archive.read.Extractor;
import dev.mmh.archive.read.FolderView;
import dev.mmh.chunk.ChunkerParams;
import dev.mmh.chunk.IdFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trees packed into blobs and restored from them, compared entry by entry with what the file system held. */
public class PackRoundTripTest {
    @TempDir
    Path tmp;

    static final ChunkerParams SMALL = new ChunkerParams(1024, 4096, 16384, 0);

    /** A random tree (seeded) with every kind of entry the packer stores without --special. */
    public static Path randomTree(Path base, long seed) throws IOException {
        Random r = new Random(seed);
        Path root = base.resolve("tree");
        Files.createDirectories(root);
        List<Path> dirs = new ArrayList<>(List.of(root));
        List<Path> files = new ArrayList<>();
        byte[] shared = new byte[50_000];
        r.nextBytes(shared);
        for (int i = 0; i < 60; i++) {
            Path parent = dirs.get(r.nextInt(dirs.size()));
            byte[] name = ("n" + i + (r.nextInt(5) == 0 ? "\u00e9" : "")).getBytes(StandardCharsets.UTF_8);
            if (r.nextInt(10) == 0) {
                name = new byte[] {'x', (byte) (0x80 + r.nextInt(0x40)), (byte) i};
                name[2] = (byte) ('a' + i % 26);
            }
            Path p = RawNames.resolve(parent, name);
            switch (r.nextInt(6)) {
                case 0 -> {
                    Files.createDirectory(p);
                    dirs.add(p);
                }
                case 1, 2, 3 -> {
                    int size = switch (r.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> r.nextInt(100);
                        case 2 -> r.nextInt(40_000);
                        default -> 100_000 + r.nextInt(200_000);
                    };
                    byte[] b = new byte[size];
                    if (r.nextBoolean()) {
                        r.nextBytes(b);
                    } else {
                        // text-like and partly shared with other files, so dedup and similarity have work to do
                        for (int k = 0; k < size; k++) {
                            b[k] = k < shared.length && r.nextInt(3) > 0 ? shared[k] : (byte) ('a' + r.nextInt(4));
                        }
                    }
                    Files.write(p, b);
                    files.add(p);
                }
                case 4 -> Files.createSymbolicLink(p, Path.of(r.nextBoolean() ? "../somewhere" : "/etc/hostname"));
                default -> {
                    if (!files.isEmpty()) {
                        Files.createLink(p, files.get(r.nextInt(files.size())));
                    }
                }
            }
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(p)) {
                Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(1_500_000_000L + r.nextInt(1 << 20),
                        r.nextInt(1_000_000_000))));
                if (!Files.isDirectory(p)) {
                    Files.setAttribute(p, "unix:mode", new int[] {0644, 0600, 0755, 0444, 04755}[r.nextInt(5)]);
                }
            }
        }
        // an exact copy of one file elsewhere, and an empty directory
        if (!files.isEmpty()) {
            Files.copy(files.get(0), root.resolve("copy-of-first"));
        }
        Files.createDirectories(root.resolve("empty-dir"));
        for (Path d : dirs) {
            Files.setLastModifiedTime(d, FileTime.from(Instant.ofEpochSecond(1_400_000_000L, r.nextInt(1000))));
        }
        return root;
    }

    /** Every entry under {@code root}: type, mode, time, size, content hash, link target, hard-link group. */
    public static TreeMap<String, String> describe(Path root) throws IOException {
        TreeMap<String, String> m = new TreeMap<>();
        TreeMap<String, String> inodes = new TreeMap<>();
        List<Path> all = new ArrayList<>();
        try (var s = Files.walk(root)) {
            s.forEach(all::add);
        }
        for (Path p : all) {
            String rel = Names.display(RawNames.bytes(root.relativize(p)));
            Scan.Info i = Scan.read(p, false, false);
            StringBuilder d = new StringBuilder().append(i.type()).append(' ').append(Integer.toOctalString(i.mode()));
            if (i.type() != EntryType.DIRECTORY && i.type() != EntryType.SYMLINK) {
                d.append(' ').append(i.mtimeSeconds()).append('.').append(i.mtimeNanos());
            }
            if (i.type() == EntryType.DIRECTORY && !rel.isEmpty()) {
                d.append(' ').append(i.mtimeSeconds()).append('.').append(i.mtimeNanos());
            }
            if (i.type() == EntryType.FILE) {
                d.append(' ').append(i.size()).append(' ').append(java.util.Arrays.hashCode(Files.readAllBytes(p)));
                if (i.links() > 1) {
                    String key = i.dev() + ":" + i.ino();
                    inodes.putIfAbsent(key, rel);
                    d.append(" linked-with ").append(inodes.get(key));
                }
            }
            if (i.target() != null) {
                d.append(" -> ").append(Names.display(i.target()));
            }
            m.put(rel, d.toString());
        }
        return m;
    }

    private record Packed(MemoryStore store, Packer.Outcome outcome) {
    }

    static Packed pack(Path root, int threads, int blockSize) throws IOException {
        BlobIndex index = new BlobIndex();
        MemoryStore store = new MemoryStore(blockSize, index);
        Packer.Options o = new Packer.Options(SMALL, IdFunction.SHA256, false, false, false, 7, 1 << 20);
        try (dev.mmh.work.WorkerPool wp = new dev.mmh.work.WorkerPool(threads); Hashing h = new Hashing(IdFunction.SHA256, wp, 256 << 10)) {
            Packer p = new Packer(o, index, store, h, n -> { });
            Packer.Outcome out = p.pack(List.of(new Packer.Source(root, RawNames.name(root))));
            p.close();
            return new Packed(store, out);
        }
    }

    static Extractor.Result extract(Packed p, Path dest, List<byte[]> paths) throws IOException {
        try (Ids ids = new Ids(IdFunction.SHA256)) {
            FolderView v = new FolderView(p.store(), ids, p.outcome().root(), p.outcome().files()
                    + p.outcome().directories() + p.outcome().others());
            return new Extractor(v, p.store(), dest, Extractor.Options.defaults(2), n -> { }).extract(paths);
        }
    }

    @Test
    void randomTreesRoundTripWithTheirMetadata() throws Exception {
        for (long seed = 1; seed <= 6; seed++) {
            Path base = Files.createDirectories(tmp.resolve("s" + seed));
            Path root = randomTree(base, seed);
            Packed p = pack(root, 2, 64 << 10);
            assertTrue(p.outcome().problems().isEmpty(), p.outcome().problems().toString());
            Path dest = base.resolve("out");
            Extractor.Result r = extract(p, dest, List.of());
            assertTrue(r.ok(), r.problems().toString());
            assertEquals(describe(root), describe(dest.resolve("tree")), "seed " + seed);
        }
    }

    @Test
    void theSameTreeGivesTheSameBlocksWhateverTheThreadCount() throws Exception {
        Path root = randomTree(tmp, 11);
        Packed a = pack(root, 1, 64 << 10);
        Packed b = pack(root, 3, 64 << 10);
        assertEquals(a.outcome().root(), b.outcome().root());
        assertEquals(a.store().blocks.size(), b.store().blocks.size());
        for (int i = 0; i < a.store().blocks.size(); i++) {
            assertArrayEquals(a.store().blocks.get(i), b.store().blocks.get(i), "block " + i);
        }
    }

    @Test
    void identicalContentIsStoredOnce() throws Exception {
        Path root = tmp.resolve("dups");
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("b"));
        byte[] big = new byte[300_000];
        new Random(3).nextBytes(big);
        Files.write(root.resolve("a/one.bin"), big);
        Files.write(root.resolve("b/two.bin"), big);
        Files.write(root.resolve("b/three.bin"), big);
        Packed p = pack(root, 2, 1 << 20);
        long dataBytes = 0;
        for (int i = 0; i < p.store().blocks.size(); i++) {
            if (!p.store().meta.get(i)) {
                dataBytes += p.store().blocks.get(i).length;
            }
        }
        assertEquals(big.length, dataBytes, "three copies, one stored");
        assertEquals(3 * big.length, p.outcome().bytes());
        assertEquals(big.length, p.outcome().newBytes() - metaBytes(p));
    }

    private static long metaBytes(Packed p) {
        long n = 0;
        for (int i = 0; i < p.store().blocks.size(); i++) {
            if (p.store().meta.get(i)) {
                n += p.store().blocks.get(i).length;
            }
        }
        return n;
    }

    @Test
    void oneFileIsRestoredFromItsBlocksOnly() throws Exception {
        Path root = tmp.resolve("many");
        Files.createDirectories(root);
        Random r = new Random(9);
        for (int i = 0; i < 40; i++) {
            byte[] b = new byte[30_000];
            r.nextBytes(b);
            Files.write(root.resolve(String.format("f%02d", i)), b);
        }
        Packed p = pack(root, 2, 64 << 10);
        int metaBlocks = (int) p.store().meta.stream().filter(x -> x).count();
        assertTrue(p.store().blocks.size() - metaBlocks >= 15, "the data spans many blocks");
        p.store().reads.set(0);
        Path dest = tmp.resolve("one");
        Extractor.Result res = extract(p, dest, List.of("many/f17".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(res.ok(), res.problems().toString());
        assertArrayEquals(Files.readAllBytes(root.resolve("f17")), Files.readAllBytes(dest.resolve("many/f17")));
        assertNull(Files.list(dest.resolve("many")).filter(x -> !x.getFileName().toString().equals("f17"))
                .findAny().orElse(null));
        // the metadata blocks, plus the one or two data blocks that hold f17's 30,000 bytes
        assertTrue(p.store().reads.get() <= metaBlocks + 2, "blocks read: " + p.store().reads.get());
    }

    @Test
    void aChangedFileSharesTheChunksItKept() throws Exception {
        Path root = tmp.resolve("versions");
        Files.createDirectories(root);
        byte[] v1 = new byte[400_000];
        new Random(5).nextBytes(v1);
        byte[] v2 = v1.clone();
        for (int i = 200_000; i < 200_100; i++) {
            v2[i] ^= 0x55; // a small change in the middle
        }
        Files.write(root.resolve("v1.bin"), v1);
        Files.write(root.resolve("v2.bin"), v2);
        Packed p = pack(root, 2, 1 << 20);
        long data = p.outcome().newBytes() - metaBytes(p);
        assertTrue(data < v1.length + 5 * SMALL.max(), "stored " + data + " of two 400 KB files that differ in 100 B");
        assertNotEquals(BlobId.HOLE, p.outcome().root());
    }

    @Test
    void entriesAreListedInNameOrder() throws Exception {
        Path root = randomTree(tmp, 21);
        Packed p = pack(root, 2, 64 << 10);
        List<String> walked = new ArrayList<>();
        try (Ids ids = new Ids(IdFunction.SHA256)) {
            FolderView v = new FolderView(p.store(), ids, p.outcome().root(), Long.MAX_VALUE);
            v.walk(new FolderView.Visitor() {
                @Override
                public void entry(byte[] path, Entry e) {
                    walked.add(Names.display(path));
                }
            });
            Entry e = v.lookup("tree/copy-of-first".getBytes(StandardCharsets.US_ASCII));
            assertEquals(EntryType.FILE, e.type());
        }
        assertEquals(describe(root).size(), walked.size());
        assertEquals("tree", walked.get(0));
    }
}
