package dev.mmh.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NativeFiles} against the kernel and coreutils: sparse files written at known offsets (regions exact),
 * FIFOs and device files checked with {@code stat}, names that are not UTF-8 made and read by bash, refusals as
 * another user through {@code setpriv}, and the switch in a JVM of its own. Skipped only where
 * {@code libmmhcore.so} was not built; built but not loading is a failure.
 */
class NativeFilesTest {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * 1024;
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    @TempDir
    Path dir;

    @BeforeEach
    void libraryBuilt() {
        Assumptions.assumeTrue(NativeFiles.class.getResource(NativeLibraries.CORE) != null,
                "libmmhcore.so was not built (no gcc or JDK headers at build time)");
        assertNull(NativeFiles.loadError(), "libmmhcore.so was built but NativeFiles is not in use");
        assertTrue(NativeFiles.available());
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] bytes(Path p) {
        return p.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code dir/name} as bytes, whatever the name's bytes. */
    private static byte[] join(Path dir, byte[] name) {
        byte[] d = bytes(dir);
        byte[] p = Arrays.copyOf(d, d.length + 1 + name.length);
        p[d.length] = '/';
        System.arraycopy(name, 0, p, d.length + 1, name.length);
        return p;
    }

    /** Bytes as a bash ANSI-C string ({@code $'\x..'}), so a command line of ASCII names any file. */
    private static String bashQuoted(byte[] b) {
        StringBuilder s = new StringBuilder("$'");
        for (byte x : b) {
            s.append(String.format("\\x%02x", x & 0xff));
        }
        return s.append('\'').toString();
    }

    /** Runs a command, returns its standard output (trimmed); fails on a non-zero exit or after 60 s. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Path err = Files.createTempFile("mmh-nativefiles", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
            String text = out.toString(StandardCharsets.UTF_8).trim();
            assertEquals(0, p.exitValue(), command + " failed: " + text + " " + Files.readString(err));
            return text;
        } finally {
            Files.delete(err);
        }
    }

    private static String bash(String script) throws IOException, InterruptedException {
        return run(List.of("bash", "-c", script));
    }

    /** coreutils' {@code stat -c FORMAT} of the file at these bytes. */
    private static String stat(String format, byte[] path) throws IOException, InterruptedException {
        return bash("stat -c '" + format + "' -- " + bashQuoted(path));
    }

    private static int umask() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Umask:")) {
                return Integer.parseInt(line.substring(6).trim(), 8);
            }
        }
        throw new AssertionError("no Umask line in /proc/self/status");
    }

    private static boolean root() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
    }

    /** A file of {@code size} bytes with {@code data} written at each of {@code at}, the rest never written. */
    private static Path sparse(Path p, long size, long[] at, int[] len) throws IOException {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int k = 0; k < at.length; k++) {
                byte[] b = new byte[len[k]];
                Arrays.fill(b, (byte) ('a' + k));
                ByteBuffer buf = ByteBuffer.wrap(b);
                long pos = at[k];
                while (buf.hasRemaining()) {
                    pos += c.write(buf, pos);
                }
            }
            c.force(false);
        }
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size); // ftruncate: the file's end without writing
        }
        return p;
    }

    /** Skips unless the file system of {@link #dir} keeps holes, by coreutils' count of a hole-only file's blocks. */
    private void assumeHoles() throws IOException, InterruptedException {
        Path probe = sparse(dir.resolve("probe"), 8 * MIB, new long[0], new int[0]);
        String blocks = stat("%b", bytes(probe));
        Files.delete(probe);
        Assumptions.assumeTrue(blocks.equals("0"), "the file system of " + dir + " does not keep holes (an 8 MiB "
                + "hole-only file occupies " + blocks + " blocks)");
    }

    // ---------------------------------------------------------------- dataRegions, allocatedBytes

    @Test
    void findsTheDataRegionsOfASparseFileExactly() throws Exception {
        assumeHoles();
        Path p = sparse(dir.resolve("s"), 10 * MIB, new long[] {0, MIB, 5 * MIB}, new int[] {64 * KIB, 128 * KIB,
            64 * KIB});
        assertArrayEquals(new long[] {0, 64 * KIB, MIB, 128 * KIB, 5 * MIB, 64 * KIB},
                NativeFiles.dataRegions(bytes(p)));
        // starts with a hole, ends with data
        Path q = sparse(dir.resolve("t"), 3 * MIB + 4 * KIB, new long[] {2 * MIB, 3 * MIB},
                new int[] {8 * KIB, 4 * KIB});
        assertArrayEquals(new long[] {2 * MIB, 8 * KIB, 3 * MIB, 4 * KIB}, NativeFiles.dataRegions(bytes(q)));
    }

    @Test
    void aFileWithoutHolesIsOneRegion() throws Exception {
        Path p = dir.resolve("dense");
        byte[] b = new byte[300_001];
        Arrays.fill(b, (byte) 7);
        Files.write(p, b);
        assertArrayEquals(new long[] {0, 300_001}, NativeFiles.dataRegions(bytes(p)));
        assertTrue(NativeFiles.allocatedBytes(bytes(p)) >= 300_001);
    }

    @Test
    void emptyAndHoleOnlyFilesHaveNoRegions() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty"));
        assertArrayEquals(new long[0], NativeFiles.dataRegions(bytes(empty)));
        assertEquals(0, NativeFiles.allocatedBytes(bytes(empty)));
        assumeHoles();
        Path hole = sparse(dir.resolve("hole"), 3 * MIB, new long[0], new int[0]);
        assertArrayEquals(new long[0], NativeFiles.dataRegions(bytes(hole)));
        assertEquals(0, NativeFiles.allocatedBytes(bytes(hole)));
    }

    @Test
    void allocatedBytesIsBelowTheSizeOfASparseFileAndIsStatsBlockCount() throws Exception {
        assumeHoles();
        Path p = sparse(dir.resolve("s"), 64 * MIB, new long[] {7 * MIB}, new int[] {64 * KIB});
        long allocated = NativeFiles.allocatedBytes(bytes(p));
        assertTrue(allocated >= 64 * KIB && allocated < 64 * MIB, "allocated " + allocated);
        assertEquals(Long.parseLong(stat("%b", bytes(p))) * Long.parseLong(stat("%B", bytes(p))), allocated);
    }

    @Test
    void theLastRegionAllowedRunsToTheEnd() throws Exception {
        assumeHoles();
        Path p = sparse(dir.resolve("s"), 10 * MIB, new long[] {0, MIB, 5 * MIB}, new int[] {64 * KIB, 64 * KIB,
            64 * KIB});
        assertArrayEquals(new long[] {0, 64 * KIB, MIB, 9 * MIB}, NativeFiles.dataRegions(bytes(p), 2));
        assertArrayEquals(new long[] {0, 10 * MIB}, NativeFiles.dataRegions(bytes(p), 1));
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.dataRegions(bytes(p), 0));
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        byte[] fifo = join(dir, "fifo".getBytes(StandardCharsets.US_ASCII));
        NativeFiles.mkfifo(fifo, 0600);
        FileSystemException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(FileSystemException.class, () -> NativeFiles.dataRegions(fifo)));
        assertEquals(dir + "/fifo: not a regular file (a FIFO)", e.getMessage());
        assertEquals(0, NativeFiles.allocatedBytes(fifo));
    }

    /**
     * What takes a regular file's name between the name's check and its opening is refused by the open's own
     * checks: a FIFO without blocking in open (O_NONBLOCK), a device or a folder by fstat, a symbolic link by
     * O_NOFOLLOW. The name's check is skipped here to reach them.
     */
    @Test
    void theOpenItselfRefusesWithoutBlocking() throws Exception {
        byte[] fifo = join(dir, "fifo".getBytes(StandardCharsets.US_ASCII));
        NativeFiles.mkfifo(fifo, 0600);
        FileSystemException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(FileSystemException.class, () -> NativeFiles.dataRegions0(fifo, 1, false)));
        assertEquals(dir + "/fifo: not a regular file (a FIFO)", e.getMessage());
        e = assertThrows(FileSystemException.class, () -> NativeFiles.dataRegions0(bytes(Path.of("/dev/null")), 1,
                false));
        assertEquals("/dev/null: not a regular file (a character device)", e.getMessage());
        e = assertThrows(FileSystemException.class, () -> NativeFiles.dataRegions0(bytes(dir), 1, false));
        assertEquals(dir + ": not a regular file (a directory)", e.getMessage());
        Path link = Files.createSymbolicLink(dir.resolve("link"), Files.write(dir.resolve("f"), new byte[] {1}));
        e = assertThrows(FileSystemException.class, () -> NativeFiles.dataRegions0(bytes(link), 1, false));
        assertEquals(link + ": Too many levels of symbolic links", e.getMessage());
        assertArrayEquals(new long[] {0, 1}, NativeFiles.dataRegions0(bytes(dir.resolve("f")), 1, false));
    }

    @Test
    void directoriesAndSymbolicLinksAreRefused() throws Exception {
        Path target = Files.write(dir.resolve("target"), new byte[] {1});
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        FileSystemException e = assertThrows(FileSystemException.class, () -> NativeFiles.dataRegions(bytes(link)));
        assertEquals(link + ": not a regular file (a symbolic link)", e.getMessage());
        e = assertThrows(FileSystemException.class, () -> NativeFiles.dataRegions(bytes(dir)));
        assertEquals(dir + ": not a regular file (a directory)", e.getMessage());
        // the link's own blocks, not its target's: a short link's text lives in its inode
        assertEquals(0, NativeFiles.allocatedBytes(bytes(link)));
        assertTrue(NativeFiles.allocatedBytes(bytes(target)) > 0);
    }

    @Test
    void aMissingFileIsNoSuchFile() throws Exception {
        byte[] missing = join(dir, "missing".getBytes(StandardCharsets.US_ASCII));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> NativeFiles.dataRegions(missing));
        assertEquals(dir + "/missing: No such file or directory", e.getMessage());
        assertEquals(dir + "/missing", e.getFile());
        assertEquals("No such file or directory", e.getReason());
        assertThrows(NoSuchFileException.class, () -> NativeFiles.allocatedBytes(missing));
        byte[] inMissing = join(dir, "missing/fifo".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(NoSuchFileException.class, () -> NativeFiles.mkfifo(inMissing, 0600));
        assertEquals(dir + "/missing/fifo: No such file or directory", e.getMessage());
    }

    // ---------------------------------------------------------------- times

    @Test
    void aSymbolicLinksTimeIsSetToTheNanosecondAndItsTargetIsLeftAlone() throws Exception {
        Path target = Files.write(dir.resolve("target"), new byte[] {1});
        Path link = Files.createSymbolicLink(dir.resolve("link"), target.getFileName());
        String targetBefore = stat("%.9Y", bytes(target));
        NativeFiles.setModifiedTime(bytes(link), 1_704_067_200L, 123_456_789);
        assertEquals("1704067200.123456789", stat("%.9Y", bytes(link)));
        assertEquals(targetBefore, stat("%.9Y", bytes(target)), "the link was followed");
        NativeFiles.setModifiedTime(bytes(target), 5L, 7);
        assertEquals("5.000000007", stat("%.9Y", bytes(target)));
        assertThrows(NoSuchFileException.class,
                () -> NativeFiles.setModifiedTime(bytes(dir.resolve("missing")), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.setModifiedTime(bytes(link), 0, 1_000_000_000));
    }

    // ---------------------------------------------------------------- mkfifo, mknod

    @Test
    void makesAFifoWithTheModeLessTheUmask() throws Exception {
        for (int mode : new int[] {0600, 0640, 0777}) {
            Path p = dir.resolve("fifo" + Integer.toOctalString(mode));
            NativeFiles.mkfifo(bytes(p), mode);
            int st = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            assertEquals(S_IFIFO, st & S_IFMT, "type of " + p);
            assertEquals(mode & ~umask(), st & 07777, "mode of " + p);
            assertEquals("fifo", stat("%F", bytes(p)));
        }
    }

    @Test
    void anExistingNameIsNeverReplaced() throws Exception {
        Path file = Files.write(dir.resolve("file"), new byte[] {1});
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        for (Path p : new Path[] {file, dangling}) {
            FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                    () -> NativeFiles.mkfifo(bytes(p), 0600));
            assertEquals(p + ": File exists", e.getMessage());
            assertThrows(FileAlreadyExistsException.class,
                    () -> NativeFiles.mknod(bytes(p), 0600, NativeFiles.CHAR_DEVICE, 1, 3));
        }
        assertTrue(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isSymbolicLink(dangling));
        assertFalse(Files.exists(dir.resolve("nowhere"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void makesDeviceFilesAsRoot() throws Exception {
        Assumptions.assumeTrue(root(), "making device files needs root (CAP_MKNOD); this test runs as another user");
        Path nul = dir.resolve("null");
        NativeFiles.mknod(bytes(nul), 0666, NativeFiles.CHAR_DEVICE, 1, 3);
        assertEquals("character special file 1 3", stat("%F %t %T", bytes(nul)));
        int st = (Integer) Files.getAttribute(nul, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertEquals(S_IFCHR, st & S_IFMT);
        assertEquals(0666 & ~umask(), st & 07777);
        assertEquals((1 << 8) | 3, ((Number) Files.getAttribute(nul, "unix:rdev")).longValue());
        Path loop = dir.resolve("loop");
        NativeFiles.mknod(bytes(loop), 0600, NativeFiles.BLOCK_DEVICE, 7, 0);
        assertEquals("block special file 7 0", stat("%F %t %T", bytes(loop)));
        assertEquals(S_IFBLK, (Integer) Files.getAttribute(loop, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT);
        // the largest numbers Linux takes round-trip
        Path big = dir.resolve("big");
        NativeFiles.mknod(bytes(big), 0600, NativeFiles.CHAR_DEVICE, NativeFiles.MAX_MAJOR, NativeFiles.MAX_MINOR);
        assertEquals("fff fffff", stat("%t %T", bytes(big)));
        // a twin of /dev/null: writes vanish, reads are empty (unless the file system is mounted nodev)
        try {
            Files.write(nul, "gone".getBytes(StandardCharsets.US_ASCII));
        } catch (AccessDeniedException e) {
            Assumptions.abort("the file system of " + dir + " is mounted nodev: " + e.getMessage());
        }
        assertEquals(0, Files.readAllBytes(nul).length);
        assertThrows(FileSystemException.class, () -> NativeFiles.dataRegions(bytes(nul)));
    }

    /**
     * Without the privilege, making a device is refused (EPERM), while a FIFO may be made; run in-process as a user
     * other than root, else in a JVM started as nobody by util-linux's setpriv.
     */
    @Test
    void aDeviceIsRefusedWithoutThePrivilege() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        byte[] dev = bytes(open.resolve("null"));
        byte[] fifo = bytes(open.resolve("fifo"));
        byte[] denied = bytes(dir.resolve("fifo")); // dir is not writable by another user
        if (!root()) {
            AccessDeniedException e = assertThrows(AccessDeniedException.class,
                    () -> NativeFiles.mknod(dev, 0600, NativeFiles.CHAR_DEVICE, 1, 3));
            assertEquals(open + "/null: Operation not permitted", e.getMessage());
            NativeFiles.mkfifo(fifo, 0600);
            return;
        }
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "running as root, and no /usr/bin/setpriv to run the check as nobody");
        List<String> nobody = List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        assertEquals("AccessDeniedException|" + open + "/null: Operation not permitted",
                child(nobody, List.of(), "mknod", dev));
        assertFalse(Files.exists(open.resolve("null"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("ok", child(nobody, List.of(), "mkfifo", fifo));
        assertEquals(65534, (Integer) Files.getAttribute(open.resolve("fifo"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals("AccessDeniedException|" + dir + "/fifo: Permission denied",
                child(nobody, List.of(), "mkfifo", denied));
    }

    /** Runs {@link NativeFilesChild} with mmh-core's classes, behind {@code prefix}, with JVM options. */
    private static String child(List<String> prefix, List<String> jvmOptions, String op, byte[] path)
            throws IOException, InterruptedException {
        String cp = Path.of(NativeFiles.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                + java.io.File.pathSeparator
                + Path.of(NativeFilesChild.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-cp", cp,
                NativeFilesChild.class.getName(), op));
        if (path != null) {
            cmd.add(HexFormat.of().formatHex(path));
        }
        return run(cmd);
    }

    // ---------------------------------------------------------------- names and paths

    @Test
    void namesThatAreNotUtf8() throws Exception {
        byte[] name = new byte[128];
        for (int i = 0; i < name.length; i++) {
            name[i] = (byte) (0x80 + i);
        }
        byte[] file = join(dir, name);
        bash("printf 'hello' > " + bashQuoted(file));
        assertArrayEquals(new long[] {0, 5}, NativeFiles.dataRegions(file));
        assertEquals(Long.parseLong(stat("%b", file)) * Long.parseLong(stat("%B", file)),
                NativeFiles.allocatedBytes(file));

        byte[] reversed = name.clone();
        for (int i = 0; i < reversed.length; i++) {
            reversed[i] = name[name.length - 1 - i];
        }
        byte[] fifo = join(dir, reversed);
        NativeFiles.mkfifo(fifo, 0600);
        assertEquals("fifo", stat("%F", fifo));

        byte[] missing = join(dir, Arrays.copyOf(name, 64));
        StringBuilder shown = new StringBuilder(dir + "/");
        for (int i = 0; i < 64; i++) {
            shown.append(String.format("\\x%02x", 0x80 + i));
        }
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> NativeFiles.dataRegions(missing));
        assertEquals(shown + ": No such file or directory", e.getMessage());
        FileAlreadyExistsException x = assertThrows(FileAlreadyExistsException.class,
                () -> NativeFiles.mkfifo(file, 0600));
        assertEquals(NativeFiles.display(file) + ": File exists", x.getMessage());
        assertTrue(x.getMessage().contains("\\x80\\x81\\x82"), x.getMessage());
    }

    @Test
    void utf8NamesWorkAndShowAsThemselves() throws Exception {
        String name = "données-日本-😀";
        byte[] p = join(dir, name.getBytes(StandardCharsets.UTF_8));
        NativeFiles.mkfifo(p, 0600);
        assertTrue(Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS));
        FileSystemException e = assertThrows(FileSystemException.class, () -> NativeFiles.dataRegions(p));
        assertEquals(dir + "/" + name + ": not a regular file (a FIFO)", e.getMessage());
    }

    @Test
    void displayEscapesWhatIsNotPrintableUtf8() {
        assertEquals("a/é/日本/😀", show("a/é/日本/😀".getBytes(StandardCharsets.UTF_8)));
        assertEquals("a\\\\b", show("a\\b".getBytes(StandardCharsets.UTF_8)));
        assertEquals("\\\\x80", show("\\x80".getBytes(StandardCharsets.UTF_8)), "text that looks like an escape");
        assertEquals("\\x80", show(0x80));
        assertEquals("a\\x0ab\\x09\\x7f", show('a', '\n', 'b', '\t', 0x7f));
        assertEquals("\\xc2\\x85", show(0xc2, 0x85), "C1 control NEL");
        assertEquals("\u00a0", show(0xc2, 0xa0), "the first code point past C1 is shown");
        assertEquals("\\xc0\\xaf", show(0xc0, 0xaf), "overlong '/'");
        assertEquals("\\xe0\\x80\\xaf", show(0xe0, 0x80, 0xaf), "overlong, three bytes");
        assertEquals("\\xed\\xa0\\x80", show(0xed, 0xa0, 0x80), "surrogate");
        assertEquals("\\xf4\\x90\\x80\\x80", show(0xf4, 0x90, 0x80, 0x80), "past U+10FFFF");
        assertEquals("\\xf0\\x80\\x80\\x80", show(0xf0, 0x80, 0x80, 0x80), "overlong, four bytes");
        assertEquals("\\xe6\\x97x", show(0xe6, 0x97, 'x'), "cut short");
        assertEquals("\\xe6\\x97", show(0xe6, 0x97), "cut short at the end");
        assertEquals("\\xff\\xfe", show(0xff, 0xfe));
        assertEquals("\\x00", show(0));
    }

    private static String show(int... b) {
        byte[] x = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            x[i] = (byte) b[i];
        }
        return show(x);
    }

    private static String show(byte[] b) {
        return NativeFiles.display(b);
    }

    @Test
    void aPathWithNulIsRejectedInJava() {
        byte[] p = join(dir, new byte[] {'a', 0, 'b'});
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> NativeFiles.dataRegions(p), () -> NativeFiles.allocatedBytes(p),
                () -> NativeFiles.mkfifo(p, 0600), () -> NativeFiles.mknod(p, 0600, NativeFiles.CHAR_DEVICE, 1, 3))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertEquals(dir + "/a\\x00b: a path cannot hold a NUL byte", e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("a")));
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.dataRegions(new byte[0]));
        assertThrows(NullPointerException.class, () -> NativeFiles.allocatedBytes(null));
    }

    @Test
    void badArgumentsAreRejectedInJava() {
        byte[] p = join(dir, "dev".getBytes(StandardCharsets.US_ASCII));
        String d = dir + "/dev: ";
        assertEquals(d + "mode 010000 has bits beyond 07777", assertThrows(IllegalArgumentException.class,
                () -> NativeFiles.mkfifo(p, 010000)).getMessage());
        assertEquals(d + "mode 037777777777 has bits beyond 07777", assertThrows(IllegalArgumentException.class,
                () -> NativeFiles.mknod(p, -1, NativeFiles.CHAR_DEVICE, 1, 3)).getMessage());
        assertEquals(d + "device type 010000 is neither CHAR_DEVICE (020000) nor BLOCK_DEVICE (060000)",
                assertThrows(IllegalArgumentException.class, () -> NativeFiles.mknod(p, 0600, S_IFIFO, 1, 3))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.mknod(p, 0600, 0, 1, 3));
        assertEquals(d + "device 4096:0 out of range (major 0-4095, minor 0-1048575)",
                assertThrows(IllegalArgumentException.class, () -> NativeFiles.mknod(p, 0600,
                        NativeFiles.CHAR_DEVICE, NativeFiles.MAX_MAJOR + 1, 0)).getMessage());
        assertEquals(d + "device 0:1048576 out of range (major 0-4095, minor 0-1048575)",
                assertThrows(IllegalArgumentException.class, () -> NativeFiles.mknod(p, 0600,
                        NativeFiles.CHAR_DEVICE, 0, NativeFiles.MAX_MINOR + 1)).getMessage());
        assertEquals(d + "device -1:0 out of range (major 0-4095, minor 0-1048575)",
                assertThrows(IllegalArgumentException.class, () -> NativeFiles.mknod(p, 0600,
                        NativeFiles.BLOCK_DEVICE, -1, 0)).getMessage());
        assertFalse(Files.exists(dir.resolve("dev"), LinkOption.NOFOLLOW_LINKS));
    }

    /** The C entry points check their arguments again: a bad call is an exception, never a crash. */
    @Test
    void theNativeEntryPointsCheckTheirArgumentsToo() {
        byte[] p = join(dir, "dev".getBytes(StandardCharsets.US_ASCII));
        byte[] nul = {'a', 0};
        assertEquals("path holds a NUL byte", assertThrows(IllegalArgumentException.class,
                () -> NativeFiles.dataRegions0(nul, 1, true)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.allocatedBytes0(nul));
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.mkfifo0(nul, 0600));
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.mknod0(nul, 0600, S_IFCHR, 1, 3));
        assertThrows(NullPointerException.class, () -> NativeFiles.dataRegions0(null, 1, true));
        assertThrows(NullPointerException.class, () -> NativeFiles.mknod0(null, 0600, S_IFCHR, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.mkfifo0(new byte[0], 0600));
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.dataRegions0(p, 0, true));
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.mkfifo0(p, 010000));
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.mknod0(p, 010000, S_IFCHR, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.mknod0(p, 0600, S_IFIFO, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.mknod0(p, 0600, S_IFCHR, 0x1000, 3));
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.mknod0(p, 0600, S_IFCHR, 1, 0x100000));
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.mknod0(p, 0600, S_IFCHR, -1, 3));
        assertFalse(Files.exists(dir.resolve("dev"), LinkOption.NOFOLLOW_LINKS));
        byte[] tooLong = new byte[5000];
        Arrays.fill(tooLong, (byte) 'a');
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> NativeFiles.dataRegions0(tooLong, 1, true));
        assertEquals("File name too long", e.getReason());
    }

    // ---------------------------------------------------------------- the switch

    @Test
    void theSwitchKeepsTheNativeCallsOut() throws Exception {
        List<String> off = List.of("-D" + NativeFiles.DISABLE_PROPERTY + "=false");
        assertEquals("false|disabled by -Dmmh.files.native=false", child(List.of(), off, "status", null));
        Path f = Files.write(dir.resolve("f"), new byte[] {1});
        assertEquals("UnsupportedOperationException|native file-system calls are not available: disabled by "
                + "-Dmmh.files.native=false", child(List.of(), off, "regions", bytes(f)));
        assertEquals("ok [0, 1]", child(List.of(), List.of(), "regions", bytes(f)));
        // the arguments are checked in Java, before the native call and whether or not it would be made
        assertEquals("IllegalArgumentException|a\\x00: a path cannot hold a NUL byte",
                child(List.of(), off, "regions", new byte[] {'a', 0}));
    }
}
