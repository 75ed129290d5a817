package dev.mmh.archive.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.CorruptDataException;
import dev.mmh.archive.format.ChunkRef;
import dev.mmh.archive.format.BlobId;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.EntryType;
import dev.mmh.archive.format.Names;
import dev.mmh.archive.format.Owner;
import dev.mmh.archive.format.Xattr;
import dev.mmh.archive.fs.RawNames;
import dev.mmh.archive.fs.Scan;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar reader and writer against GNU tar, the real one, in both directions. */
class TarInteropTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void namesAreExact() {
        assertTrue(RawNames.exact(), "the test JVM must open java.base/sun.nio.fs: " + RawNames.why());
    }

    static int run(Path cwd, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        assertEquals(0, rc, String.join(" ", cmd) + ": " + out);
        return rc;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A tree with every kind of entry GNU tar stores, with awkward names and times. */
    private Path makeTree() throws Exception {
        Path root = dir.resolve("src/proj");
        Files.createDirectories(root.resolve("sub/deeper"));
        Files.writeString(root.resolve("plain.txt"), "hello\n");
        Path nano = root.resolve("nano");
        Files.writeString(nano, "n");
        Files.setLastModifiedTime(nano, FileTime.from(Instant.ofEpochSecond(1_600_000_000L, 123_456_789)));
        Path old = root.resolve("before-1970");
        Files.writeString(old, "o");
        Files.setLastModifiedTime(old, FileTime.from(Instant.ofEpochSecond(-100_000, 0)));
        String longName = "d".repeat(120);
        Path longDir = root.resolve(longName).resolve("e".repeat(200));
        Files.createDirectories(longDir);
        Files.writeString(longDir.resolve("f".repeat(150)), "deep");
        Files.write(RawNames.resolve(root, new byte[] {'b', 'a', 'd', (byte) 0xff, (byte) 0xfe}), b("latin"));
        Files.writeString(root.resolve("caf\u00e9 \u2603"), "utf8");
        Files.createSymbolicLink(root.resolve("link"), Path.of("sub/../plain.txt"));
        Files.createSymbolicLink(root.resolve("longlink"), Path.of("x".repeat(180)));
        Files.createLink(root.resolve("sub/hard"), root.resolve("plain.txt"));
        Files.setAttribute(root.resolve("sub/deeper"), "unix:mode", 0750);
        Files.setAttribute(root.resolve("plain.txt"), "unix:mode", 04711);
        Path big = root.resolve("sparse.bin");
        try (FileChannel ch = FileChannel.open(big, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(b("start")), 0);
            ch.write(java.nio.ByteBuffer.wrap(b("middle")), 3 << 20);
            ch.write(java.nio.ByteBuffer.wrap(b("end")), (8 << 20) - 3);
        }
        new ProcessBuilder("mkfifo", root.resolve("fifo").toString()).start().waitFor();
        try {
            Files.getFileAttributeView(root.resolve("plain.txt"),
                    java.nio.file.attribute.UserDefinedFileAttributeView.class)
                    .write("mmh.test", java.nio.ByteBuffer.wrap(new byte[] {1, 2, 0, 3}));
        } catch (IOException unsupported) {
            // a file system without user xattrs: the other checks still run
        }
        return root;
    }

    private record Seen(EntryType type, int mode, long sec, int nanos, long size, String link, byte[] data,
            Map<String, String> xattrs) {
    }

    /** Reads a tar stream with TarReader into path -> what it says. */
    private static TreeMap<String, Seen> read(InputStream in) throws IOException {
        TarReader r = new TarReader(in);
        TreeMap<String, Seen> m = new TreeMap<>();
        TarReader.Header h;
        while ((h = r.next()) != null) {
            byte[] data = r.content().readAllBytes();
            if (h.sparse()) {
                byte[] full = new byte[(int) h.realSize()];
                long[] map = r.sparseMap();
                int at = 0;
                for (int i = 0; i < map.length; i += 2) {
                    System.arraycopy(data, at, full, (int) map[i], (int) map[i + 1]);
                    at += (int) map[i + 1];
                }
                data = full;
            }
            String p = Names.display(h.path());
            if (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            if (p.startsWith("./")) {
                p = p.substring(2);
            }
            Map<String, String> xs = new TreeMap<>();
            h.xattrs().forEach((k, v) -> xs.put(k, java.util.HexFormat.of().formatHex(v)));
            m.put(p, new Seen(h.type(), h.mode(), h.mtimeSeconds(), h.mtimeNanos(), h.size(),
                    h.linkTarget() == null ? null : Names.display(h.linkTarget()),
                    h.type() == EntryType.FILE ? data : null, xs));
        }
        return m;
    }

    /** What the file system holds under {@code root}, keyed as tar would name it. */
    private static TreeMap<String, Seen> scan(Path base, String top) throws IOException {
        TreeMap<String, Seen> m = new TreeMap<>();
        List<Path> all = new ArrayList<>();
        try (var s = Files.walk(base.resolve(top))) {
            s.forEach(all::add);
        }
        for (Path p : all) {
            Scan.Info i = Scan.read(p, false, true);
            String rel = Names.display(RawNames.bytes(base.relativize(p)));
            byte[] data = i.type() == EntryType.FILE ? Files.readAllBytes(p) : null;
            Map<String, String> xs = new TreeMap<>();
            for (Xattr x : i.xattrs()) {
                xs.put(new String(x.name(), StandardCharsets.UTF_8), java.util.HexFormat.of().formatHex(x.value()));
            }
            m.put(rel, new Seen(i.type(), i.mode(), i.mtimeSeconds(), i.mtimeNanos(), i.type() == EntryType.FILE
                    ? i.size() : 0, i.target() == null ? null : Names.display(i.target()), data, xs));
        }
        return m;
    }

    @Test
    void readsWhatGnuTarWritesInPaxAndGnuFormats() throws Exception {
        Path root = makeTree();
        TreeMap<String, Seen> fs = scan(root.getParent(), "proj");
        for (String format : new String[] {"pax", "gnu"}) {
            Path t = dir.resolve("t-" + format + ".tar");
            run(root.getParent(), "tar", "--format=" + format, "--sparse", "--xattrs", "--xattrs-include=user.*",
                    "-cf", t.toString(), "proj");
            TreeMap<String, Seen> tar;
            try (InputStream in = Files.newInputStream(t)) {
                tar = read(in);
            }
            assertEquals(fs.keySet(), tar.keySet(), format);
            for (String k : fs.keySet()) {
                Seen a = fs.get(k);
                Seen e = tar.get(k);
                String what = format + " " + k;
                if (e.type() == EntryType.HARDLINK) {
                    // GNU tar stores the second name of a file (in its walk order) as a link to the first
                    assertTrue(java.util.Set.of("proj/plain.txt", "proj/sub/hard").contains(k), what);
                    assertTrue(java.util.Set.of("proj/plain.txt", "proj/sub/hard").contains(e.link()), what);
                    assertTrue(!e.link().equals(k) && tar.get(e.link()).type() == EntryType.FILE, what);
                    continue;
                }
                assertEquals(a.type(), e.type(), what);
                assertEquals(a.mode(), e.mode(), what);
                assertEquals(a.sec(), e.sec(), what);
                if (format.equals("pax")) {
                    assertEquals(a.nanos(), e.nanos(), what); // the gnu format keeps whole seconds only
                }
                assertEquals(a.link(), e.link(), what);
                if (a.type() == EntryType.FILE) {
                    assertArrayEquals(a.data(), e.data(), what);
                }
                if (format.equals("pax")) {
                    assertEquals(a.xattrs(), e.xattrs(), what);
                }
            }
        }
    }

    @Test
    void gnuTarExtractsWhatTheWriterWrites() throws Exception {
        Path root = makeTree();
        TreeMap<String, Seen> fs = scan(root.getParent(), "proj");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(bytes);
        String firstOfHardLink = null;
        for (Map.Entry<String, Seen> e : fs.entrySet()) {
            Seen s = e.getValue();
            Path p = RawNames.path(unescape(e.getKey(), root.getParent()));
            byte[] rel = RawNames.bytes(root.getParent().relativize(p));
            Scan.Info info = Scan.read(p, true, true);
            Entry.Builder eb = Entry.builder(RawNames.name(p), s.type() == EntryType.FILE && info.links() > 1
                    && firstOfHardLink != null ? EntryType.HARDLINK : s.type()).mode(s.mode()).mtime(s.sec(), s.nanos())
                    .owner(info.owner()).xattrs(info.xattrs());
            switch (s.type()) {
                case DIRECTORY -> w.directory(rel, eb.tree(BlobId.HOLE).build());
                case SYMLINK -> w.symlink(rel, eb.target(info.target()).build());
                case FIFO -> w.special(rel, eb.build());
                case FILE -> {
                    if (info.links() > 1 && firstOfHardLink != null) {
                        w.hardlink(rel, eb.target("x").build(), b(firstOfHardLink));
                        break;
                    }
                    if (info.links() > 1) {
                        firstOfHardLink = Names.display(rel);
                    }
                    Entry meta = eb.content(s.size(), s.size() == 0 ? List.of()
                            : List.of(new ChunkRef(BlobId.HOLE, s.size())), false).build();
                    if (e.getKey().endsWith("sparse.bin")) {
                        long[] regions = {0, 5, 3 << 20, 6, (8 << 20) - 3, 3};
                        w.sparseFile(rel, meta, s.size(), regions);
                        for (int i = 0; i < regions.length; i += 2) {
                            w.write(s.data(), (int) regions[i], (int) regions[i + 1]);
                        }
                    } else {
                        w.file(rel, meta, s.size());
                        w.write(s.data(), 0, s.data().length);
                    }
                    w.endFile();
                }
                default -> throw new AssertionError(s.type());
            }
        }
        w.finish();
        Path tar = dir.resolve("ours.tar");
        Files.write(tar, bytes.toByteArray());
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        run(out, "tar", "--xattrs", "--xattrs-include=user.*", "-xpf", tar.toString());
        TreeMap<String, Seen> back = scan(out, "proj");
        assertEquals(fs.keySet(), back.keySet());
        for (String k : fs.keySet()) {
            Seen a = fs.get(k);
            Seen e = back.get(k);
            if (a.type() == EntryType.DIRECTORY) {
                assertEquals(a.mode(), e.mode(), k);
                continue; // GNU tar sets directory times too, but after we compare is fine either way
            }
            assertEquals(a.type(), e.type(), k);
            assertEquals(a.mode(), e.mode(), k);
            assertEquals(a.sec(), e.sec(), k);
            assertEquals(a.nanos(), e.nanos(), k);
            assertEquals(a.link(), e.link(), k);
            if (a.type() == EntryType.FILE) {
                assertArrayEquals(a.data(), e.data(), k);
            }
            assertEquals(a.xattrs(), e.xattrs(), k);
        }
        assertEquals(0, bytes.size() % 10240, "whole 10 KiB records, as tar writes");
    }

    /** The path under {@code base} whose display form is {@code shown}. */
    private static byte[] unescape(String shown, Path base) throws IOException {
        try (var s = Files.walk(base)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                byte[] rel = RawNames.bytes(base.relativize(p));
                if (Names.display(rel).equals(shown)) {
                    return RawNames.bytes(p);
                }
            }
        }
        throw new IOException("no " + shown);
    }

    @Test
    void damagedHeadersAndTruncationAreReportedWithTheirOffset() throws Exception {
        Path root = dir.resolve("small");
        Files.createDirectories(root);
        Files.writeString(root.resolve("a"), "a".repeat(1000));
        Files.writeString(root.resolve("b"), "b");
        Path t = dir.resolve("s.tar");
        run(dir, "tar", "--format=pax", "-cf", t.toString(), "small");
        byte[] ok = Files.readAllBytes(t);
        Random r = new Random(5);
        for (int round = 0; round < 200; round++) {
            byte[] d = ok.clone();
            int at = r.nextInt(2048 + 1024);
            d[at] ^= (byte) (1 + r.nextInt(255));
            try {
                read(new ByteArrayInputStream(d));
            } catch (dev.mmh.MmhException expected) {
                assertTrue(expected.getMessage().contains("offset") || expected.getMessage().contains("tar"),
                        expected.getMessage());
            }
        }
        for (int len : new int[] {100, 512, 700, 1536, 2000}) {
            byte[] cut = java.util.Arrays.copyOf(ok, len);
            assertThrows(CorruptDataException.class, () -> read(new ByteArrayInputStream(cut)), "cut at " + len);
        }
        // not a tar at all: a block of text
        assertThrows(CorruptDataException.class, () -> read(padded()));
    }

    private static InputStream padded() {
        byte[] b = new byte[512];
        java.util.Arrays.fill(b, (byte) 'z');
        return new ByteArrayInputStream(b);
    }

    @Test
    void ownerFieldsRoundTripThroughTheWriterAndReader() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(bytes);
        Entry meta = Entry.builder(b("f"), EntryType.FILE).mode(0640).mtime(5, 0)
                .owner(Owner.of(3_000_000, 70_000, "a-very-long-user-name-of-more-than-31-bytes", "grp"))
                .content(3, List.of(new ChunkRef(BlobId.HOLE, 3)), false).build();
        w.file(b("f"), meta, 3);
        w.write(b("abc"), 0, 3);
        w.endFile();
        w.finish();
        TarReader r = new TarReader(new ByteArrayInputStream(bytes.toByteArray()));
        TarReader.Header h = r.next();
        assertEquals(3_000_000, h.uid());
        assertEquals(70_000, h.gid());
        assertEquals("a-very-long-user-name-of-more-than-31-bytes", h.uname());
        assertEquals("grp", h.gname());
        assertArrayEquals(b("abc"), r.content().readAllBytes());
        assertEquals(null, r.next());
    }
}
