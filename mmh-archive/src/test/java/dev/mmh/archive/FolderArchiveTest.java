package dev.mmh.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.archive.format.Manifest;
import dev.mmh.archive.read.Extractor;
import dev.mmh.archive.write.PackRoundTripTest;
import dev.mmh.engine.CompressOptions;
import dev.mmh.engine.Examination;
import dev.mmh.engine.InPlaceRepair;
import dev.mmh.engine.Verifier;
import dev.mmh.engine.DecompressOptions;
import dev.mmh.format.SeekableArchive;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder archives through the container: create, open, extract, append, verify, protect and repair. */
class FolderArchiveTest {
    @TempDir
    Path tmp;

    static FolderArchive.WriteOptions options(int threads) {
        CompressOptions c = CompressOptions.builder().codec("zstd").level(3).threads(threads).blockSize(256 << 10)
                .build();
        return new FolderArchive.WriteOptions(c, new dev.mmh.chunk.ChunkerParams(2048, 8192, 32768, 0), false, false,
                false, 0, false);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Path tree(long seed) throws Exception {
        Path base = Files.createDirectories(tmp.resolve("src" + seed));
        return PackRoundTripTest.randomTree(base, seed);
    }

    @Test
    void createOpenExtractRoundTripsAndIsTheSameAtAnyThreadCount() throws Exception {
        Path root = tree(1);
        Path a1 = tmp.resolve("a1.mmh");
        Path a2 = tmp.resolve("a2.mmh");
        FolderArchive.WriteSummary s = FolderArchive.create(List.of(FolderArchive.Source.of(root)), a1, false,
                options(1));
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a2, false, options(2));
        assertArrayEquals(Files.readAllBytes(a1), Files.readAllBytes(a2), "same archive at 1 and 2 threads");
        assertEquals(1, s.version());
        assertEquals(Files.size(a1), s.archiveBytes());
        assertTrue(FolderArchive.isFolderArchive(a1));
        // the container's own checks hold: it opens, verifies
        try (SeekableArchive a = SeekableArchive.open(a1)) {
            assertTrue(a.header().folder());
        }
        assertTrue(Verifier.verify(a1, DecompressOptions.builder().threads(2).build()).ok());
        Path out = tmp.resolve("out");
        try (FolderArchive f = FolderArchive.open(a1, FolderArchive.ReadOptions.threads(2))) {
            assertEquals(1, f.latest());
            Extractor.Result r = f.extract(1, List.of(), out, Extractor.Options.defaults(2));
            assertTrue(r.ok(), r.problems().toString());
        }
        assertEquals(PackRoundTripTest.describe(root), PackRoundTripTest.describe(out.resolve("tree")));
    }

    @Test
    void readingOneFileGivesItsBytes() throws Exception {
        Path root = tree(2);
        Path a = tmp.resolve("a.mmh");
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false, options(2));
        List<Path> files = new ArrayList<>();
        try (var st = Files.walk(root)) {
            st.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).forEach(files::add);
        }
        try (FolderArchive f = FolderArchive.open(a, FolderArchive.ReadOptions.threads(2))) {
            for (Path p : files) {
                byte[] rel = dev.mmh.archive.fs.RawNames.bytes(root.getParent().relativize(p));
                try (InputStream in = f.read(1, rel)) {
                    assertArrayEquals(Files.readAllBytes(p), in.readAllBytes(), p.toString());
                }
            }
            assertThrows(java.nio.file.NoSuchFileException.class, () -> f.read(1, b("tree/no-such-file")));
        }
    }

    /**
     * Reading one file decodes only the blocks that hold it: each block is damaged in turn, and a file may become
     * unreadable only through the blocks it needs (its data, the metadata on its path), never through the others.
     */
    @Test
    void readingOneFileDecodesOnlyItsBlocks() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("many/tree"));
        java.util.Random r = new java.util.Random(7);
        int files = 12;
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            byte[] c = new byte[300_000];
            r.nextBytes(c);
            contents.add(c);
            Files.write(root.resolve(String.format("f%02d", i)), c);
        }
        Path a = tmp.resolve("many.mmh");
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false, options(2));
        byte[] intact = Files.readAllBytes(a);
        List<dev.mmh.format.IndexEntry> blocks;
        try (FolderArchive f = FolderArchive.open(a, FolderArchive.ReadOptions.threads(1))) {
            blocks = f.container().index().entries();
        }
        assertTrue(blocks.size() >= 14, "a block count of " + blocks.size() + " leaves nothing to tell apart");
        int[] breaking = new int[files];
        for (dev.mmh.format.IndexEntry e : blocks) {
            byte[] damaged = intact.clone();
            int at = (int) (e.offset() + dev.mmh.format.Format.BLOCK_FIXED + e.storedSize() / 2);
            damaged[at] ^= 0x5a;
            Files.write(a, damaged);
            try (FolderArchive f = FolderArchive.open(a, FolderArchive.ReadOptions.threads(1))) {
                for (int i = 0; i < files; i++) {
                    try (InputStream in = f.read(1, b(String.format("tree/f%02d", i)))) {
                        assertArrayEquals(contents.get(i), in.readAllBytes());
                    } catch (dev.mmh.MmhException x) {
                        breaking[i]++;
                    }
                }
            } catch (dev.mmh.MmhException x) {
                for (int i = 0; i < files; i++) {
                    breaking[i]++; // the catalog itself was in the damaged block
                }
            }
        }
        for (int i = 0; i < files; i++) {
            // 300 KB over 256 KiB blocks: two or three data blocks, one metadata block
            assertTrue(breaking[i] >= 2 && breaking[i] <= 4,
                    "file " + i + " depends on " + breaking[i] + " of " + blocks.size() + " blocks");
        }
    }

    @Test
    void appendingAddsVersionsThatStoreOnlyWhatChanged() throws Exception {
        Path root = tmp.resolve("proj");
        Files.createDirectories(root.resolve("d"));
        byte[] big = new byte[600_000];
        new Random(4).nextBytes(big);
        Files.write(root.resolve("d/big.bin"), big);
        Files.writeString(root.resolve("a.txt"), "first");
        Path a = tmp.resolve("p.mmh");
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false, options(2));
        long one = Files.size(a);
        // the same tree again: nothing new is stored, the archive grows by a manifest and a tail
        FolderArchive.WriteSummary same = FolderArchive.append(a, List.of(FolderArchive.Source.of(root)), options(2));
        assertEquals(2, same.version());
        assertEquals(0, same.newBytes(), "an unchanged tree stores nothing");
        long two = Files.size(a);
        assertTrue(two - one < 1000, "grew by " + (two - one));
        // a changed file
        Files.writeString(root.resolve("a.txt"), "second, longer");
        Files.setLastModifiedTime(root.resolve("a.txt"), java.nio.file.attribute.FileTime.fromMillis(42_000));
        FolderArchive.WriteSummary changed = FolderArchive.append(a, List.of(FolderArchive.Source.of(root)),
                options(2));
        assertEquals(3, changed.version());
        assertTrue(changed.newBytes() < 2000, "stored " + changed.newBytes());
        assertTrue(Verifier.verify(a, DecompressOptions.builder().threads(2).build()).ok());
        try (FolderArchive f = FolderArchive.open(a, FolderArchive.ReadOptions.threads(2))) {
            assertEquals(3, f.latest());
            List<Manifest.Version> vs = f.versions();
            assertEquals(3, vs.size());
            try (InputStream in = f.read(1, b("proj/a.txt"))) {
                assertEquals("first", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            try (InputStream in = f.read(3, b("proj/a.txt"))) {
                assertEquals("second, longer", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            try (InputStream in = f.read(3, b("proj/d/big.bin"))) {
                assertArrayEquals(big, in.readAllBytes());
            }
            List<String> changes = new ArrayList<>();
            f.diff(1, 3, (path, c, x, y) -> changes.add(c.symbol() + " " + new String(path, StandardCharsets.UTF_8)));
            assertTrue(changes.contains("M proj/a.txt"), changes.toString());
        }
    }

    @Test
    void bytesAfterTheCommittedLengthAreAnInterruptedAppendAndAreIgnored() throws Exception {
        Path root = tree(3);
        Path a = tmp.resolve("a.mmh");
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false, options(2));
        FolderArchive.append(a, List.of(FolderArchive.Source.of(root)), options(2));
        byte[] committed = Files.readAllBytes(a);
        // what an append killed midway leaves: new bytes after the end, the header unchanged
        byte[] junk = new byte[100_000];
        new Random(9).nextBytes(junk);
        Files.write(a, junk, StandardOpenOption.APPEND);
        Verifier.Report r = Verifier.verify(a, DecompressOptions.builder().threads(2).build());
        assertTrue(r.ok(), r.damage().toString());
        try (FolderArchive f = FolderArchive.open(a, FolderArchive.ReadOptions.threads(2))) {
            assertEquals(2, f.latest());
            assertEquals(junk.length, f.info().uncommittedBytes());
        }
        // the next append starts by cutting them off
        FolderArchive.append(a, List.of(FolderArchive.Source.of(root)), options(2));
        try (FolderArchive f = FolderArchive.open(a, FolderArchive.ReadOptions.threads(2))) {
            assertEquals(3, f.latest());
            assertEquals(0, f.info().uncommittedBytes());
        }
        assertTrue(Files.size(a) > committed.length);
    }

    @Test
    void anAppendInterruptedAtAnyPointLeavesTheArchiveAsItWas() throws Exception {
        Path root = tree(5);
        Path a = tmp.resolve("a.mmh");
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false, options(2));
        Path full = tmp.resolve("full.mmh");
        Files.copy(a, full);
        Files.writeString(root.resolve("new-file"), "x".repeat(50_000));
        FolderArchive.append(full, List.of(FolderArchive.Source.of(root)), options(2));
        byte[] before = Files.readAllBytes(a);
        byte[] after = Files.readAllBytes(full);
        // every cut point of the append's writes: the old bytes, then some of the new, the header not yet written
        // while an append runs, the header says where the archive it extends ends (its first write)
        byte[] during = dev.mmh.format.FileHeader.parse(before, 48).asFolder(before.length).encode();
        for (int cut = before.length; cut < after.length; cut += Math.max(1, (after.length - before.length) / 37)) {
            Path c = tmp.resolve("cut.mmh");
            byte[] partial = java.util.Arrays.copyOf(after, cut);
            System.arraycopy(during, 0, partial, 0, 48); // the commit (the new header) never happened
            Files.write(c, partial);
            Verifier.Report vr = Verifier.verify(c, DecompressOptions.builder().threads(1).build());
            assertTrue(vr.ok(), "cut at " + cut + " of " + before.length + ".." + after.length + ": " + vr.damage());
            try (FolderArchive f = FolderArchive.open(c, FolderArchive.ReadOptions.threads(1))) {
                assertEquals(1, f.latest(), "cut at " + cut);
            }
        }
    }

    @Test
    void protectAndRepairWorkOnFolderArchivesAndAppendsKeepTheRecoveryDataCurrent() throws Exception {
        Path root = tree(6);
        Path a = tmp.resolve("a.mmh");
        FolderArchive.WriteOptions o = options(2);
        o = new FolderArchive.WriteOptions(o.compress(), o.chunker(), false, false, false, 0.10, false);
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false, o);
        Files.writeString(root.resolve("later"), "y".repeat(30_000));
        FolderArchive.append(a, List.of(FolderArchive.Source.of(root)), options(2));
        try (FolderArchive f = FolderArchive.open(a, FolderArchive.ReadOptions.threads(2))) {
            assertTrue(f.info().recovery(), "the append kept recovery data");
        }
        byte[] good = Files.readAllBytes(a);
        // damage a block of the first version and one of the second, and the header
        byte[] bad = good.clone();
        bad[100] ^= 0x55;
        bad[bad.length / 2] ^= 0x55;
        bad[20] ^= 1;
        Files.write(a, bad);
        try (FileChannel ch = FileChannel.open(a, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Examination e = Examination.examine(ch, 2);
            assertTrue(e.hasRecovery() && e.repairable(), e.toString());
            InPlaceRepair.repair(ch, e, 2);
        }
        try (FolderArchive f = FolderArchive.open(a, FolderArchive.ReadOptions.threads(2))) {
            assertEquals(2, f.latest());
            try (InputStream in = f.read(2, b("tree/later"))) {
                assertEquals(30_000, in.readAllBytes().length);
            }
        }
        assertTrue(Verifier.verify(a, DecompressOptions.builder().threads(2).build()).ok());
    }

    @Test
    void aTarStreamRoundTripsThroughAnArchiveAndBackToGnuTar() throws Exception {
        Path root = tree(7);
        Path tar = tmp.resolve("in.tar");
        run(root.getParent(), "tar", "--format=pax", "-cf", tar.toString(), "tree");
        Path a = tmp.resolve("t.mmh");
        try (InputStream in = Files.newInputStream(tar)) {
            FolderArchive.createFromTar(in, a, null, false, options(2));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FolderArchive f = FolderArchive.open(a, FolderArchive.ReadOptions.threads(2))) {
            f.toTar(1, List.of(), out);
        }
        Path x = Files.createDirectories(tmp.resolve("x"));
        Path t2 = tmp.resolve("out.tar");
        Files.write(t2, out.toByteArray());
        run(x, "tar", "-xpf", t2.toString());
        assertEquals(PackRoundTripTest.describe(root), PackRoundTripTest.describe(x.resolve("tree")));
    }

    @Test
    void aHostileTarWritesNothingOutsideTheDestination() throws Exception {
        Path victim = Files.createDirectories(tmp.resolve("victim"));
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        dev.mmh.archive.tar.TarWriter w = new dev.mmh.archive.tar.TarWriter(t);
        dev.mmh.archive.format.Entry f = dev.mmh.archive.format.Entry.builder(b("f"),
                dev.mmh.archive.format.EntryType.FILE).mode(0644).content(1,
                List.of(new dev.mmh.archive.format.ChunkRef(dev.mmh.archive.format.BlobId.HOLE, 1)), false).build();
        for (String name : new String[] {"ok.txt", "../escape.txt", "/abs-escape.txt"}) {
            w.file(b(name), f, 1);
            w.write(b("x"), 0, 1);
            w.endFile();
        }
        dev.mmh.archive.format.Entry link = dev.mmh.archive.format.Entry.builder(b("link"),
                dev.mmh.archive.format.EntryType.SYMLINK).mode(0777).target(victim.toString()).build();
        w.symlink(b("link"), link);
        w.file(b("link/pwned.txt"), f, 1);
        w.write(b("x"), 0, 1);
        w.endFile();
        w.hardlink(b("hard"), f, b("../../../../etc/hostname"));
        w.finish();
        Path a = tmp.resolve("evil.mmh");
        FolderArchive.WriteSummary s = FolderArchive.createFromTar(new ByteArrayInputStream(t.toByteArray()), a, null,
                false, options(1));
        assertEquals(4, s.problems().size(), s.problems().toString()); // .., below a link, the hard link; '/' dropped
        Path dest = Files.createDirectories(tmp.resolve("h/dest"));
        try (FolderArchive fa = FolderArchive.open(a, FolderArchive.ReadOptions.threads(1))) {
            fa.extract(1, List.of(), dest, Extractor.Options.defaults(1));
        }
        assertFalse(Files.exists(tmp.resolve("h/escape.txt")));
        assertFalse(Files.exists(tmp.resolve("escape.txt")));
        try (var st = Files.list(victim)) {
            assertEquals(0, st.count());
        }
        assertTrue(Files.exists(dest.resolve("ok.txt")));
        assertTrue(Files.exists(dest.resolve("abs-escape.txt")), "a leading '/' is dropped, as GNU tar does");
    }

    @Test
    void aPipeIsReadBySpoolingIt() throws Exception {
        Path root = tree(8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), out, options(2));
        Path dest = tmp.resolve("piped");
        try (FolderArchive f = FolderArchive.open(new ByteArrayInputStream(out.toByteArray()), tmp,
                FolderArchive.ReadOptions.threads(2))) {
            assertTrue(f.extract(1, List.of(), dest, Extractor.Options.defaults(2)).ok());
        }
        assertEquals(PackRoundTripTest.describe(root), PackRoundTripTest.describe(dest.resolve("tree")));
        try (var st = Files.list(tmp)) {
            assertTrue(st.noneMatch(p -> p.getFileName().toString().startsWith(".mmh-spool-")), "spool deleted");
        }
    }

    /**
     * A small file is read from the part of its block up to it, checked against its chunks' IDs: damage later in
     * the block leaves it readable (a whole decode would fail the block's hash), while a file in the damaged part
     * fails with an error, never with wrong bytes.
     */
    @Test
    void aSmallFileIsReadFromItsBlockUpToItOnly() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("text/tree"));
        java.util.Random r = new java.util.Random(11);
        String[] words = {"alpha", "beta", "gamma", "delta", "block", "chunk", "tree", "file", "zstd", "x86"};
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            StringBuilder sb = new StringBuilder();
            while (sb.length() < 6000) {
                sb.append(words[r.nextInt(words.length)]).append(r.nextInt(1000)).append(' ');
            }
            contents.add(b(sb.toString()));
            Files.write(root.resolve(String.format("f%02d.txt", i)), contents.get(i));
        }
        Path a = tmp.resolve("text.mmh");
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false, options(2));
        dev.mmh.format.IndexEntry data;
        int headerSize;
        try (FolderArchive f = FolderArchive.open(a, FolderArchive.ReadOptions.threads(1))) {
            headerSize = dev.mmh.format.BlockHeader.size(f.container().header().hash().length());
            data = f.container().index().entries().stream().max(java.util.Comparator.comparingLong(
                    dev.mmh.format.IndexEntry::rawSize)).orElseThrow();
        }
        assertTrue(data.rawSize() > 200_000 && data.codecId() == dev.mmh.codec.Codecs.ZSTD, data.toString());
        // a byte near the end of the data block's stored bytes
        long at = data.offset() + headerSize + data.storedSize() - 20;
        flip(a, at);
        int read = 0;
        int failed = 0;
        try (FolderArchive f = FolderArchive.open(a, FolderArchive.ReadOptions.threads(1))) {
            for (int i = 0; i < 40; i++) {
                // a fresh archive each time, so that no block decoded for one file serves the next
                try (FolderArchive g = FolderArchive.open(a, FolderArchive.ReadOptions.threads(1));
                     InputStream in = g.read(1, b(String.format("tree/f%02d.txt", i)))) {
                    assertArrayEquals(contents.get(i), in.readAllBytes(), "file " + i);
                    read++;
                } catch (dev.mmh.MmhException x) {
                    failed++;
                }
            }
            // extraction decodes whole blocks: the damage is found there
            assertTrue(!f.extract(1, List.of(), tmp.resolve("x"), Extractor.Options.defaults(1)).ok());
        }
        assertTrue(read >= 10 && failed >= 1, read + " files read, " + failed + " failed");
    }

    private static void run(Path cwd, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + o);
    }

    static void flip(Path f, long at) throws Exception {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 1));
            one.rewind();
            ch.write(one, at);
        }
    }

    @Test
    void aFifoIsRestoredWithItsModeAndTimeWithoutBeingOpened() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Path fifo = root.resolve("pipe");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", "-m", "640", fifo.toString())
                .start().waitFor() == 0, "mkfifo");
        // touch sets the time by path (Files.setLastModifiedTime would open the FIFO and block)
        assertEquals(0, new ProcessBuilder("touch", "-d", "@1600000000.123456789", fifo.toString()).start().waitFor());
        Path a = tmp.resolve("f.mmh");
        FolderArchive.WriteOptions w = options(1);
        w = new FolderArchive.WriteOptions(w.compress(), w.chunker(), false, false, true, 0, false);
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false, w);
        Path out = tmp.resolve("out");
        // JDK 17 sets a mode or time without following links by opening the file: on a FIFO that blocks for ever
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
            try (FolderArchive f = FolderArchive.open(a, FolderArchive.ReadOptions.threads(1))) {
                Extractor.Result r = f.extract(1, List.of(), out, new Extractor.Options(false, false, false, true, 1,
                        65_536));
                assertTrue(r.ok(), r.problems().toString());
            }
        });
        Path back = out.resolve("tree/pipe");
        assertTrue(Files.readAttributes(back, java.nio.file.attribute.BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther(), "not a FIFO");
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(back)));
        assertEquals(Files.getLastModifiedTime(fifo, java.nio.file.LinkOption.NOFOLLOW_LINKS),
                Files.getLastModifiedTime(back, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }
}
