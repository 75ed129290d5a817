package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmh.archive.fs.RawNames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands of folder archives in process, through {@link Main#execute} with captured streams: compress DIR,
 * decompress -C, list, cat, diff, info, --append and versions, tar in and out checked against GNU tar, a hostile tar,
 * pipes, existing files, and usage errors.
 */
class FolderCliTest extends InProcessCli {
    /** A byte that is not valid UTF-8 anywhere: names with it must round-trip byte for byte. */
    private static final byte[] ODD_NAME = {'n', 'a', 'm', 'e', '-', (byte) 0xff, '.', 'b', 'i', 'n'};

    @TempDir
    Path dir;

    private byte[] stdout;

    @BeforeEach
    void noBars() {
        Progress.delayNanos = 1_000_000_000L;
    }

    @AfterEach
    void restore() {
        Stdio.redirect(null, null);
        Errors.verbose = false;
    }

    /** Runs mmh with {@code stdin} as standard input, keeping what it writes to standard output in {@link #stdout}. */
    private int mmhPiped(byte[] stdin, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Stdio.redirect(new ByteArrayInputStream(stdin == null ? new byte[0] : stdin), bytes);
        try {
            return mmh(args);
        } finally {
            Stdio.redirect(null, null);
            stdout = bytes.toByteArray();
        }
    }

    private static byte[] text(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        String words = "folder archive chunk block version catalog tree entry ";
        for (int i = 0; i < n; i++) {
            b[i] = (byte) words.charAt(r.nextInt(words.length()));
        }
        return b;
    }

    private static void time(Path p, long seconds, int nanos) throws IOException {
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(Instant.ofEpochSecond(seconds, nanos)), null, null);
    }

    private static void mode(Path p, String perms) throws IOException {
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
    }

    /**
     * A tree with every kind of entry the tests restore: files (one of them twice, for deduplication), an empty
     * folder, nested folders, a symbolic link, a hard link, a name that is not UTF-8, several modes, and times with
     * nanoseconds (folders' set last, deepest first).
     */
    private Path tree(Path parent, String name) throws IOException {
        Path top = parent.resolve(name);
        Path src = Files.createDirectories(top.resolve("src"));
        Path lib = Files.createDirectories(src.resolve("lib"));
        Path empty = Files.createDirectories(top.resolve("empty"));
        Files.write(top.resolve("README"), "a folder archive test\n".getBytes(StandardCharsets.UTF_8));
        Files.write(src.resolve("a.c"), text(40_000, 1));
        Files.write(lib.resolve("big.bin"), text(300_000, 2));
        Files.write(lib.resolve("copy.bin"), text(300_000, 2));
        Files.write(top.resolve("run.sh"), "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8));
        Files.write(RawNames.resolve(top, ODD_NAME), text(1000, 3));
        Files.createSymbolicLink(top.resolve("link"), Path.of("src/a.c"));
        Files.createLink(src.resolve("hard"), src.resolve("a.c"));
        mode(top.resolve("README"), "rw-------");
        mode(src.resolve("a.c"), "rw-r-----");
        mode(top.resolve("run.sh"), "rwxr-xr-x");
        mode(src, "rwxr-x---");
        long t = 1_700_000_000L;
        int i = 0;
        for (Path p : List.of(top.resolve("README"), src.resolve("a.c"), lib.resolve("big.bin"),
                lib.resolve("copy.bin"), top.resolve("run.sh"), RawNames.resolve(top, ODD_NAME), top.resolve("link"))) {
            time(p, t + i, 123_456_789 * (i % 2) + i);
            i++;
        }
        time(lib, t + 100, 5);
        time(src, t + 101, 0);
        time(empty, t + 102, 999_999_999);
        time(top, t + 103, 42);
        return top;
    }

    /**
     * What the acceptance check compares, and more: for every entry below {@code top} (not following links), its path
     * bytes, type, permissions, size, modification time in nanoseconds, link target, a CRC of a file's content, and
     * which files are one inode (hard links); sorted by path.
     */
    static List<String> meta(Path top) throws IOException {
        Map<String, String> lines = new TreeMap<>();
        Map<Object, String> inodes = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        try (Stream<Path> s = Files.walk(top)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(top)) {
                    continue;
                }
                String rel = dev.mmh.archive.format.Names.display(RawNames.bytes(top.relativize(p)));
                int m = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                long ns = ((FileTime) Files.getAttribute(p, "unix:lastModifiedTime", LinkOption.NOFOLLOW_LINKS))
                        .to(TimeUnit.NANOSECONDS);
                String type = Files.isSymbolicLink(p) ? "l" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "d"
                        : "f";
                StringBuilder b = new StringBuilder(rel).append('|').append(type).append('|')
                        .append(Integer.toOctalString(m & 07777)).append('|').append(ns);
                if (type.equals("l")) {
                    b.append("|-> ").append(dev.mmh.archive.format.Names.display(RawNames.bytes(
                            Files.readSymbolicLink(p))));
                } else if (type.equals("f")) {
                    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
                    c.update(Files.readAllBytes(p));
                    b.append('|').append(Files.size(p)).append('|').append(Long.toHexString(c.getValue()));
                    Object ino = Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
                    String first = inodes.putIfAbsent(ino, rel);
                    b.append("|nlink ").append(Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS));
                    if (first != null) {
                        b.append("|same file as ").append(first);
                    }
                }
                lines.put(rel, b.toString());
            }
        }
        return new ArrayList<>(lines.values());
    }

    private static byte[] bytes(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    @Test
    void compressDirMakesDirMmhBesideItAndDecompressRecreatesItWithItsMetadata() throws IOException {
        Path top = tree(dir, "proj");
        List<String> before = meta(top);
        assertEquals(0, mmh("compress", "-q", top.toString()), err);
        assertEquals("", err);
        Path archive = dir.resolve("proj.mmh");
        assertTrue(Files.isRegularFile(archive), "DIR.mmh beside DIR");
        Path dest = dir.resolve("out");
        assertEquals(0, mmh("decompress", "-q", archive.toString(), "-C", dest.toString()), err);
        assertEquals("", err);
        assertTrue(Files.isDirectory(dest.resolve("proj")), "the top name is recreated under DEST");
        assertEquals(before, meta(dest.resolve("proj")));
        // the hard link is one file again, not two copies
        assertEquals(Files.getAttribute(dest.resolve("proj/src/a.c"), "unix:ino"),
                Files.getAttribute(dest.resolve("proj/src/hard"), "unix:ino"));
        assertTrue(Files.isSymbolicLink(dest.resolve("proj/link")));
        assertTrue(Files.exists(RawNames.resolve(dest.resolve("proj"), ODD_NAME), LinkOption.NOFOLLOW_LINKS),
                "a name that is not UTF-8 comes back byte for byte");
        assertEquals(0, mmh("verify", "-q", archive.toString()), err);
    }

    @Test
    void aSymbolicLinksTimeKeepsItsNanoseconds() throws Exception {
        Path top = Files.createDirectories(dir.resolve("links"));
        Files.write(top.resolve("f"), new byte[] {1});
        Files.createSymbolicLink(top.resolve("l"), Path.of("f"));
        // NIO sets a link's time in microseconds (lutimes); touch -h uses utimensat, to the nanosecond
        run(dir, "touch", "-h", "-d", "2024-01-01 00:00:00.123456789 UTC", top.resolve("l").toString());
        List<String> before = meta(top);
        assertTrue(before.toString().contains("|1704067200123456789|"), before.toString());
        Path a = dir.resolve("links.mmh");
        assertEquals(0, mmh("compress", "-q", top.toString(), "-o", a.toString()), err);
        assertEquals(0, mmh("list", "-l", a.toString(), "links/l"), err);
        assertTrue(out.contains(" 2024-01-01T00:00:00.123456789Z links/l -> f"), out);
        Path dest = dir.resolve("out");
        assertEquals(0, mmh("decompress", "-q", a.toString(), "-C", dest.toString()), err);
        assertEquals(before, meta(dest.resolve("links")));
    }

    @Test
    void severalPathsNeedOutputAndEachIsStoredUnderItsLastName() throws IOException {
        Path a = tree(dir, "a");
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.write(b.resolve("f"), text(5000, 9));
        assertEquals(ExitCode.USAGE, mmh("compress", "-q", a.toString(), b.toString()));
        assertTrue(err.contains("-o X.mmh"), err);
        assertFalse(Files.exists(dir.resolve("a.mmh")));
        Path ab = dir.resolve("ab.mmh");
        assertEquals(0, mmh("compress", "-q", a.toString(), b.toString(), "-o", ab.toString()), err);
        assertEquals(0, mmh("list", ab.toString()), err);
        List<String> top = out.lines().filter(l -> !l.substring(0, l.length() - 1).contains("/")).toList();
        assertEquals(List.of("a/", "b/"), top, "each path under its last name: " + out);
    }

    @Test
    void archivesAreIdenticalWhateverTheThreadCount() throws IOException {
        Path top = tree(dir, "proj");
        Files.write(top.resolve("more.txt"), text(3_000_000, 7));
        Path one = dir.resolve("t1.mmh");
        Path two = dir.resolve("t2.mmh");
        assertEquals(0, mmh("compress", "-q", "-T1", "-B", "256K", top.toString(), "-o", one.toString()), err);
        assertEquals(0, mmh("compress", "-q", "-T2", "-B", "256K", top.toString(), "-o", two.toString()), err);
        assertArrayEquals(bytes(one), bytes(two));
    }

    @Test
    void listShowsPathsInOrderWithSlashesAfterFolders() throws IOException {
        Path top = tree(dir, "proj");
        Path a = dir.resolve("p.mmh");
        assertEquals(0, mmh("compress", "-q", top.toString(), "-o", a.toString()), err);
        assertEquals(0, mmh("list", a.toString()), err);
        List<String> expected = List.of("proj/", "proj/README", "proj/empty/", "proj/link", "proj/name-\\xff.bin",
                "proj/run.sh", "proj/src/", "proj/src/a.c", "proj/src/hard", "proj/src/lib/", "proj/src/lib/big.bin",
                "proj/src/lib/copy.bin");
        assertEquals(expected, out.lines().toList());
        // named paths: that entry and everything below it; the listing's own form (trailing /, \xNN) is accepted
        assertEquals(0, mmh("list", a.toString(), "proj/src/lib/", "proj/name-\\xff.bin"), err);
        assertEquals(List.of("proj/src/lib/", "proj/src/lib/big.bin", "proj/src/lib/copy.bin", "proj/name-\\xff.bin"),
                out.lines().toList());
        assertEquals(ExitCode.IO_ERROR, mmh("list", a.toString(), "proj/nope"));
        assertTrue(err.contains("proj/nope: not in the archive"), err);
        assertEquals(ExitCode.USAGE, mmh("list", a.toString(), "proj/../etc"));
        assertTrue(err.contains("not a path in an archive"), err);
    }

    @Test
    void longListingShowsModeSizeTimeAndTargets() throws IOException {
        Path top = tree(dir, "proj");
        Path a = dir.resolve("p.mmh");
        assertEquals(0, mmh("compress", "-q", top.toString(), "-o", a.toString()), err);
        assertEquals(0, mmh("list", "-l", a.toString()), err);
        Map<String, String> byPath = new TreeMap<>();
        for (String l : out.lines().toList()) {
            String[] f = l.split(" +");
            byPath.put(f[3], l);
        }
        assertTrue(byPath.get("proj/src/").startsWith("drwxr-x--- "), byPath.get("proj/src/"));
        assertTrue(byPath.get("proj/README").startsWith("-rw------- "), byPath.get("proj/README"));
        assertTrue(byPath.get("proj/README").contains(" 22 2023-11-14T22:13:20Z proj/README"),
                byPath.get("proj/README"));
        assertTrue(byPath.get("proj/src/a.c").contains(" 40000 2023-11-14T22:13:21.123456790Z proj/src/a.c"),
                byPath.get("proj/src/a.c"));
        assertTrue(byPath.get("proj/link").startsWith("lrwxrwxrwx "), byPath.get("proj/link"));
        assertTrue(byPath.get("proj/link").endsWith(" proj/link -> src/a.c"), byPath.get("proj/link"));
        assertTrue(byPath.get("proj/src/hard").endsWith(" -> proj/src/a.c")
                        || byPath.get("proj/src/a.c").endsWith(" -> proj/src/hard"),
                "one of the two names is the hard link: " + out);
        assertTrue(byPath.get("proj/run.sh").startsWith("-rwxr-xr-x "), byPath.get("proj/run.sh"));
    }

    @Test
    void listJsonIsOneDocumentWithRawBytesOfNamesThatAreNotUtf8() throws IOException {
        Path top = tree(dir, "proj");
        Path a = dir.resolve("p.mmh");
        assertEquals(0, mmh("compress", "-q", top.toString(), "-o", a.toString()), err);
        assertEquals(0, mmh("list", "--json", a.toString()), err);
        JsonNode doc = new ObjectMapper().readTree(out);
        assertTrue(doc.isArray(), out);
        assertEquals(12, doc.size());
        Map<String, JsonNode> byPath = new TreeMap<>();
        for (JsonNode e : doc) {
            byPath.put(e.get("path").asText(), e);
        }
        JsonNode readme = byPath.get("proj/README");
        assertEquals("file", readme.get("type").asText());
        assertEquals(0600, readme.get("mode").asInt());
        assertEquals(22, readme.get("size").asLong());
        assertEquals("2023-11-14T22:13:20Z", readme.get("mtime").asText());
        assertFalse(readme.has("pathBase64"), "a UTF-8 name needs no raw bytes");
        assertEquals("directory", byPath.get("proj/src").get("type").asText());
        assertEquals("symlink", byPath.get("proj/link").get("type").asText());
        assertEquals("src/a.c", byPath.get("proj/link").get("target").asText());
        JsonNode odd = byPath.get("proj/name-\\xff.bin");
        byte[] raw = Base64.getDecoder().decode(odd.get("pathBase64").asText());
        byte[] expected = new byte[5 + ODD_NAME.length];
        System.arraycopy("proj/".getBytes(StandardCharsets.US_ASCII), 0, expected, 0, 5);
        System.arraycopy(ODD_NAME, 0, expected, 5, ODD_NAME.length);
        assertArrayEquals(expected, raw);
    }

    @Test
    void catWritesOneFileAndRefusesWhatIsNotOne() throws IOException {
        Path top = tree(dir, "proj");
        Path a = dir.resolve("p.mmh");
        assertEquals(0, mmh("compress", "-q", top.toString(), "-o", a.toString()), err);
        assertEquals(0, mmhPiped(null, "cat", a.toString(), "proj/src/lib/big.bin"), err);
        assertArrayEquals(bytes(top.resolve("src/lib/big.bin")), stdout);
        assertEquals(0, mmhPiped(null, "cat", a.toString(), "proj/src/hard"), err);
        assertArrayEquals(bytes(top.resolve("src/a.c")), stdout, "a hard link gives its file");
        assertEquals(0, mmhPiped(null, "cat", a.toString(), "proj/README", "proj/run.sh"), err);
        assertEquals("a folder archive test\n#!/bin/sh\necho hi\n", new String(stdout, StandardCharsets.UTF_8));
        assertEquals(0, mmhPiped(null, "cat", a.toString(), "proj/name-\\xff.bin"), err);
        assertArrayEquals(bytes(RawNames.resolve(top, ODD_NAME)), stdout);

        assertEquals(ExitCode.IO_ERROR, mmhPiped(null, "cat", a.toString(), "proj/README", "proj/src"));
        assertTrue(err.contains("proj/src: is a directory"), err);
        assertEquals(0, stdout.length, "nothing is written when one of the paths is refused");
        assertEquals(ExitCode.IO_ERROR, mmhPiped(null, "cat", a.toString(), "proj/link"));
        assertTrue(err.contains("proj/link: is a symbolic link to src/a.c"), err);
        assertEquals(ExitCode.IO_ERROR, mmhPiped(null, "cat", a.toString(), "proj/missing"));
        assertTrue(err.contains("proj/missing: not in the archive"), err);
        assertEquals(1, err.lines().count(), err);
        assertEquals(0, stdout.length);
    }

    @Test
    void appendAddsAVersionThatListDiffCatAndDecompressReach() throws IOException {
        Path top = tree(dir, "proj");
        Path a = dir.resolve("p.mmh");
        assertEquals(0, mmh("compress", "-q", top.toString(), "-o", a.toString()), err);
        long one = Files.size(a);
        List<String> v1 = meta(top);
        byte[] oldA = bytes(top.resolve("src/a.c"));
        Files.delete(top.resolve("run.sh"));
        Files.write(top.resolve("NEW"), text(2000, 11));
        // content changes at the end: the chunks before are shared with version 1
        Files.write(top.resolve("src/lib/big.bin"), "appended".getBytes(StandardCharsets.UTF_8),
                java.nio.file.StandardOpenOption.APPEND);
        mode(top.resolve("README"), "rw-r--r--"); // metadata only
        time(top, 1_700_000_500L, 0);
        List<String> v2 = meta(top);
        assertEquals(0, mmh("compress", "-q", "--append", top.toString(), "-o", a.toString()), err);
        assertTrue(Files.size(a) > one);
        assertTrue(Files.size(a) - one < one, "the unchanged files are not stored again");

        assertEquals(0, mmh("list", "--versions", a.toString()), err);
        List<String> lines = out.lines().toList();
        assertEquals(3, lines.size(), out);
        assertTrue(lines.get(1).trim().startsWith("1 "), out);
        assertTrue(lines.get(2).trim().startsWith("2 "), out);
        assertEquals(0, mmh("list", "--versions", "--json", a.toString()), err);
        JsonNode vs = new ObjectMapper().readTree(out);
        assertEquals(2, vs.size());
        assertEquals(1, vs.get(0).get("version").asInt());
        assertEquals(2, vs.get(1).get("version").asInt());
        assertEquals(6, vs.get(1).get("files").asLong(), out);
        assertTrue(vs.get(1).get("newBytes").asLong() < vs.get(0).get("newBytes").asLong(), out);

        assertEquals(0, mmh("diff", a.toString(), "1", "2"), err);
        assertEquals(List.of("m proj/", "+ proj/NEW", "m proj/README", "- proj/run.sh", "M proj/src/lib/big.bin"),
                out.lines().toList());
        assertEquals(0, mmh("diff", "--json", a.toString(), "1", "2"), err);
        JsonNode d = new ObjectMapper().readTree(out);
        assertEquals(5, d.size());
        assertEquals("added", d.get(1).get("change").asText());
        assertEquals("proj/NEW", d.get(1).get("path").asText());

        assertEquals(0, mmh("list", "--version", "1", a.toString(), "proj/run.sh"), err);
        assertEquals("proj/run.sh\n", out);
        assertEquals(ExitCode.IO_ERROR, mmh("list", a.toString(), "proj/run.sh"));
        assertEquals(0, mmhPiped(null, "cat", "--version", "1", a.toString(), "proj/src/lib/big.bin"), err);
        assertArrayEquals(text(300_000, 2), stdout);
        assertEquals(0, mmhPiped(null, "cat", a.toString(), "proj/src/a.c"), err);
        assertArrayEquals(oldA, stdout);

        Path d1 = dir.resolve("v1");
        assertEquals(0, mmh("decompress", "-q", "--version", "1", a.toString(), "-C", d1.toString()), err);
        assertEquals(v1, meta(d1.resolve("proj")));
        Path d2 = dir.resolve("v2");
        assertEquals(0, mmh("decompress", "-q", a.toString(), "-C", d2.toString()), err);
        assertEquals(v2, meta(d2.resolve("proj")));

        assertEquals(ExitCode.USAGE, mmh("list", "--version", "3", a.toString()));
        assertTrue(err.contains("no version 3 (it has versions 1 to 2)"), err);
        assertEquals(ExitCode.USAGE, mmh("diff", a.toString(), "1", "two"));
        assertEquals(ExitCode.USAGE, mmh("diff", a.toString(), "0", "2"));
    }

    @Test
    void infoOfAFolderArchiveAddsVersionsDedupAndBlobs() throws IOException {
        Path top = tree(dir, "proj");
        Path a = dir.resolve("p.mmh");
        assertEquals(0, mmh("compress", "-q", top.toString(), "-o", a.toString()), err);
        assertEquals(0, mmh("compress", "-q", "--append", top.toString(), "-o", a.toString()), err);
        assertEquals(0, mmh("info", a.toString()), err);
        assertTrue(out.contains("  versions     2; the latest: 6 files, 4 directories, 2 others, 641,040 bytes"),
                out);
        assertTrue(out.contains("  dedup        "), out);
        assertTrue(out.contains("  format       mmh version 3 (folder layout)"), out);
        assertEquals(0, mmh("info", "--json", a.toString()), err);
        JsonNode f = new ObjectMapper().readTree(out).get("folder");
        assertEquals(2, f.get("versions").asInt());
        long all = f.get("allVersionsBytes").asLong();
        long stored = f.get("storedBytes").asLong();
        assertTrue(stored < all / 2, "the second version and the copy are deduplicated: " + f);
        assertEquals((double) all / stored, f.get("dedupRatio").asDouble(), 1e-9);
        assertTrue(f.get("blobs").asLong() > 0);
    }

    @Test
    void namedPathsAloneAreRestored() throws IOException {
        Path top = tree(dir, "proj");
        Path a = dir.resolve("p.mmh");
        assertEquals(0, mmh("compress", "-q", top.toString(), "-o", a.toString()), err);
        Path dest = dir.resolve("some");
        assertEquals(0, mmh("decompress", "-q", a.toString(), "-C", dest.toString(), "proj/src/lib", "proj/README"),
                err);
        assertArrayEquals(bytes(top.resolve("src/lib/big.bin")), bytes(dest.resolve("proj/src/lib/big.bin")));
        assertArrayEquals(bytes(top.resolve("README")), bytes(dest.resolve("proj/README")));
        assertFalse(Files.exists(dest.resolve("proj/src/a.c")));
        assertFalse(Files.exists(dest.resolve("proj/run.sh")));
        assertEquals(ExitCode.IO_ERROR, mmh("decompress", "-q", a.toString(), "-C", dest.toString(), "proj/nope"));
        assertTrue(err.contains("proj/nope: not in the archive"), err);
    }

    @Test
    void existingFilesAreKeptWithoutForce() throws IOException {
        Path top = tree(dir, "proj");
        Path a = dir.resolve("p.mmh");
        assertEquals(0, mmh("compress", "-q", top.toString(), "-o", a.toString()), err);
        Path dest = dir.resolve("out");
        assertEquals(0, mmh("decompress", "-q", a.toString(), "-C", dest.toString()), err);
        Files.write(dest.resolve("proj/README"), "mine".getBytes(StandardCharsets.UTF_8));
        assertEquals(ExitCode.EXISTS, mmh("decompress", "-q", a.toString(), "-C", dest.toString()));
        assertTrue(err.contains("mmh: " + a + ": proj/README: already exists"), err);
        assertEquals("mine", Files.readString(dest.resolve("proj/README")));
        assertEquals(0, mmh("decompress", "-q", "-f", a.toString(), "-C", dest.toString()), err);
        assertArrayEquals(bytes(top.resolve("README")), bytes(dest.resolve("proj/README")));
        assertEquals(meta(top), meta(dest.resolve("proj")));
        // and an archive is not replaced without -f either
        byte[] before = bytes(a);
        assertEquals(ExitCode.EXISTS, mmh("compress", "-q", top.toString(), "-o", a.toString()));
        assertArrayEquals(before, bytes(a));
    }

    @Test
    void aTarMadeByGnuTarIsPackedAndTheToTarStreamIsReadByGnuTar() throws Exception {
        Path top = tree(dir, "proj");
        Path tar = dir.resolve("proj.tar");
        run(dir, "tar", "--format=pax", "-C", dir.toString(), "-cf", tar.toString(), "proj");
        assertEquals(0, mmh("compress", "-q", "--from-tar", tar.toString()), err);
        Path a = dir.resolve("proj.mmh");
        assertTrue(Files.isRegularFile(a), "NAME.tar packs into NAME.mmh");
        Path dest = dir.resolve("from-tar");
        assertEquals(0, mmh("decompress", "-q", a.toString(), "-C", dest.toString()), err);
        assertEquals(meta(top), meta(dest.resolve("proj")));
        // and from standard input
        assertEquals(0, mmhPiped(bytes(tar), "compress", "-q", "--from-tar", "-", "-o", dir.resolve("s.mmh")
                .toString()), err);
        assertEquals(0, mmh("list", dir.resolve("s.mmh").toString()), err);
        assertTrue(out.contains("proj/src/lib/copy.bin\n"), out);

        Path back = dir.resolve("back.tar");
        assertEquals(0, mmh("decompress", "-q", "--to-tar", a.toString(), "-o", back.toString()), err);
        String listing = run(dir, "tar", "-tvf", back.toString());
        assertTrue(listing.contains("proj/src/lib/big.bin"), listing);
        assertTrue(listing.contains("proj/link -> src/a.c"), listing);
        Path x = Files.createDirectories(dir.resolve("gnu-x"));
        run(dir, "tar", "-C", x.toString(), "-xf", back.toString());
        assertEquals(meta(top), meta(x.resolve("proj")));
        // to standard output, named paths only
        assertEquals(0, mmhPiped(null, "decompress", "-q", "--to-tar", a.toString(), "proj/src/lib"), err);
        Path part = dir.resolve("part.tar");
        Files.write(part, stdout);
        List<String> names = run(dir, "tar", "-tf", part.toString()).lines().toList();
        assertTrue(names.containsAll(List.of("proj/src/lib/", "proj/src/lib/big.bin", "proj/src/lib/copy.bin")),
                names.toString());
        assertFalse(names.contains("proj/README"), names.toString());
    }

    @Test
    void aHostileTarWritesNothingOutsideTheDestination() throws Exception {
        Path h = Files.createDirectories(dir.resolve("h"));
        Path victim = Files.createDirectories(h.resolve("victim"));
        Path evil = h.resolve("evil.tar");
        String script = String.join("\n",
                "import io, sys, tarfile",
                "out, victim = sys.argv[1], sys.argv[2]",
                "with tarfile.open(out, 'w', format=tarfile.PAX_FORMAT) as t:",
                "    def add(name, data=b'x'):",
                "        i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))",
                "    add('ok.txt', b'fine')",
                "    add('../escape.txt')",
                "    add('/abs-escape.txt')",
                "    l = tarfile.TarInfo('link'); l.type = tarfile.SYMTYPE; l.linkname = victim; t.addfile(l)",
                "    add('link/pwned.txt')",
                "    k = tarfile.TarInfo('hard'); k.type = tarfile.LNKTYPE; k.linkname = '../../../../etc/hostname'",
                "    t.addfile(k)",
                "");
        run(h, "python3", "-c", script, evil.toString(), victim.toString());
        Path archive = h.resolve("evil.mmh");
        int packed = mmhPiped(bytes(evil), "compress", "-q", "--from-tar", "-", "-o", archive.toString());
        assertTrue(packed == 0 || packed == ExitCode.IO_ERROR, "packed, perhaps with warnings: " + err);
        for (String l : err.lines().toList()) {
            assertTrue(l.startsWith("mmh: "), "one line per refused entry: " + err);
        }
        Path dest = Files.createDirectories(h.resolve("dest"));
        int code = mmh("decompress", "-q", "-f", archive.toString(), "-C", dest.toString());
        assertTrue(code == 0 || code == ExitCode.DAMAGED, code + ": " + err);
        try (Stream<Path> s = Files.list(victim)) {
            assertEquals(0, s.count(), "nothing written through the stored symbolic link");
        }
        assertFalse(Files.exists(dir.resolve("escape.txt")));
        assertFalse(Files.exists(h.resolve("escape.txt")));
        assertFalse(Files.exists(Path.of("/abs-escape.txt")));
        assertEquals("fine", Files.readString(dest.resolve("ok.txt")));
        if (Files.exists(dest.resolve("hard"), LinkOption.NOFOLLOW_LINKS)) {
            assertNotEquals(Files.getAttribute(Path.of("/etc/hostname"), "unix:ino"),
                    Files.getAttribute(dest.resolve("hard"), "unix:ino"), "a hard link to a file outside DEST");
        }
        if (packed == 0 && code == 0) {
            throw new AssertionError("the hostile entries were neither refused when packed nor when extracted");
        }
    }

    @Test
    void aFolderArchiveGoesThroughAPipe() throws IOException {
        Path top = tree(dir, "proj");
        assertEquals(0, mmhPiped(null, "compress", "-q", "-c", top.toString()), err);
        byte[] archive = stdout;
        assertTrue(archive.length > 0);
        assertFalse(Files.exists(dir.resolve("proj.mmh")), "-c writes no file");
        Path dest = dir.resolve("piped");
        assertEquals(0, mmhPiped(archive, "decompress", "-q", "-", "-C", dest.toString()), err);
        assertEquals(meta(top), meta(dest.resolve("proj")));
        try (Stream<Path> s = Files.list(dest)) {
            assertEquals(List.of("proj"), s.map(p -> p.getFileName().toString()).toList(),
                    "the spooled copy of the archive is gone");
        }
        // named paths after -
        Path some = dir.resolve("some");
        assertEquals(0, mmhPiped(archive, "decompress", "-q", "-", "proj/README", "-C", some.toString()), err);
        assertTrue(Files.exists(some.resolve("proj/README")));
        assertFalse(Files.exists(some.resolve("proj/src")));
    }

    @Test
    void whatCannotBeStoredIsOneWarningLineAndExitOne() throws Exception {
        Path top = tree(dir, "proj");
        run(dir, "mkfifo", top.resolve("pipe").toString());
        Path a = dir.resolve("p.mmh");
        assertEquals(ExitCode.IO_ERROR, mmh("compress", "-q", top.toString(), "-o", a.toString()));
        assertTrue(Files.isRegularFile(a), "the archive is written nonetheless");
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("mmh: ") && err.contains("pipe"), err);
        assertEquals(0, mmh("compress", "-q", "-f", "--special", top.toString(), "-o", a.toString()), err);
        assertEquals(0, mmh("list", "-l", a.toString(), "proj/pipe"), err);
        assertTrue(out.startsWith("prw-"), out);
    }

    @Test
    void aSingleFileArchiveListsAndCatsItsOneFile() throws IOException {
        Path f = dir.resolve("data.txt");
        byte[] data = text(100_000, 5);
        Files.write(f, data);
        assertEquals(0, mmh("compress", "-q", f.toString()), err);
        Path a = dir.resolve("data.txt.mmh");
        assertFalse(FolderHead.is(a), "a file still makes a single-file archive");
        assertEquals(0, mmh("list", a.toString()), err);
        assertEquals("data.txt\n", out);
        assertEquals(0, mmh("list", "-l", a.toString()), err);
        assertEquals("      100000 data.txt\n", out);
        assertEquals(0, mmhPiped(null, "cat", a.toString(), "data.txt"), err);
        assertArrayEquals(data, stdout);
        assertEquals(ExitCode.IO_ERROR, mmhPiped(null, "cat", a.toString(), "other"));
        assertEquals(ExitCode.USAGE, mmh("list", "--versions", a.toString()));
        assertEquals(ExitCode.USAGE, mmh("decompress", "-q", a.toString(), "-C", dir.resolve("x").toString()));
        assertTrue(err.contains("not a folder archive"), err);
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void usageErrorsAreExitTwoAndWriteNothing() throws IOException {
        Path top = tree(dir, "proj");
        Path f = dir.resolve("file.txt");
        Files.write(f, text(1000, 4));
        assertEquals(ExitCode.USAGE, mmh("compress", "-q", "--rm", top.toString()));
        assertTrue(err.contains("--rm"), err);
        assertTrue(Files.isDirectory(top));
        assertEquals(ExitCode.USAGE, mmh("compress", "-q", "--owner", f.toString()));
        assertEquals(ExitCode.USAGE, mmh("compress", "-q", "--rehash", top.toString()));
        assertEquals(ExitCode.USAGE, mmh("compress", "-q", "--from-tar", "x.tar", top.toString()));
        assertEquals(ExitCode.USAGE, mmh("compress", "-q", "--append", "-c", top.toString()));
        assertEquals(ExitCode.USAGE, mmh("compress", "-q", "--recovery", "5%", "-c", top.toString()));
        assertFalse(Files.exists(dir.resolve("proj.mmh")));
        assertEquals(0, mmh("compress", "-q", f.toString()), err);
        assertEquals(ExitCode.USAGE, mmh("compress", "-q", "--append", top.toString(), "-o", f + ".mmh"));
        assertTrue(err.contains("not a folder archive"), err);
        assertEquals(0, mmh("compress", "-q", top.toString()), err);
        Path a = dir.resolve("proj.mmh");
        assertEquals(ExitCode.USAGE, mmh("decompress", "-q", "-c", a.toString()));
        assertTrue(err.contains("--to-tar"), err);
        assertEquals(ExitCode.USAGE, mmh("decompress", "-q", "--to-tar", "-C", "x", a.toString()));
        assertEquals(ExitCode.USAGE, mmh("decompress", "-q", "--version", "2", a.toString(), "-C", "x"));
        assertFalse(Files.exists(Path.of("x")));
        assertEquals(ExitCode.USAGE, mmh("cat", "--version", "0", a.toString(), "proj/README"));
        assertEquals(ExitCode.USAGE, mmh("diff", a.toString(), "1"));
        // -V alone is mmh's version where --version N picks an archive's
        assertEquals(0, mmh("list", "-V"), err);
        assertTrue(out.startsWith("mmh "), out);
    }

    /** Runs a tool from the system, failing the test if it fails; returns its standard output. */
    static String run(Path cwd, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        byte[] o = p.getInputStream().readAllBytes();
        byte[] e = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + new String(e, StandardCharsets.UTF_8));
        return new String(o, StandardCharsets.UTF_8);
    }
}
