package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands as a user runs them: files, exit codes, stderr lines, no partial or overwritten output. */
class GzipCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final byte[] data = text(300_000);

    private static byte[] text(int n) {
        StringBuilder s = new StringBuilder();
        Random r = new Random(4);
        while (s.length() < n) {
            s.append("line ").append(r.nextInt(1000)).append(" of the test file\n");
        }
        return s.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    private int gzip(byte[] stdin, String... args) {
        return new CommandLine(new GzipCommand(new ByteArrayInputStream(stdin), out, new PrintStream(err, true)))
                .execute(args);
    }

    private int gzip(String... args) {
        return gzip(new byte[0], args);
    }

    private int gunzip(String... args) {
        return new CommandLine(new GunzipCommand(new ByteArrayInputStream(new byte[0]), out,
                new PrintStream(err, true))).execute(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static byte[] jdkGunzip(Path p) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void compressesAFileInPlaceAndGunzipRestoresIt() throws IOException {
        Path f = Files.write(dir.resolve("a.txt"), data);
        assertEquals(0, gzip("-p", "2", f.toString()), stderr());
        assertEquals(List.of("a.txt.gz"), names(), "input removed, like gzip");
        assertArrayEquals(data, jdkGunzip(dir.resolve("a.txt.gz")));
        assertEquals(0, gunzip(dir.resolve("a.txt.gz").toString()), stderr());
        assertEquals(List.of("a.txt"), names());
        assertArrayEquals(data, Files.readAllBytes(f));
    }

    @Test
    void keepsTheInputWithK() throws IOException {
        Path f = Files.write(dir.resolve("a.txt"), data);
        assertEquals(0, gzip("-k", "-9", f.toString()), stderr());
        assertEquals(List.of("a.txt", "a.txt.gz"), names());
    }

    @Test
    void neverOverwritesWithoutForce() throws IOException {
        Path f = Files.write(dir.resolve("a.txt"), data);
        Path gz = Files.write(dir.resolve("a.txt.gz"), "precious".getBytes(StandardCharsets.US_ASCII));
        assertEquals(GzipTool.WARNING, gzip(f.toString()));
        assertTrue(stderr().contains("already exists; not overwritten"), stderr());
        assertEquals("precious", Files.readString(gz));
        assertTrue(Files.exists(f));
        assertEquals(0, gzip("-f", f.toString()), stderr());
        assertArrayEquals(data, jdkGunzip(gz));
    }

    /** As GNU gzip: a usage error exits 1 (2 is gzip's warning), through the mmh command as in the class alone. */
    @Test
    void usageErrorsExitOne() throws IOException {
        Path f = Files.write(dir.resolve("a.txt"), data);
        assertEquals(GzipTool.ERROR, gzip("--no-such-option", f.toString()));
        assertEquals(GzipTool.ERROR, gunzip("-p"), "an option without its value");
        for (String cmd : new String[] {"gzip", "gunzip"}) {
            java.io.StringWriter e = new java.io.StringWriter();
            int code = Main.execute(new String[] {cmd, "--no-such-option", f.toString()},
                    new java.io.PrintWriter(java.io.Writer.nullWriter()), new java.io.PrintWriter(e, true));
            assertEquals(GzipTool.ERROR, code, cmd + ": " + e);
            assertTrue(e.toString().contains("Unknown option: '--no-such-option'"), e.toString());
        }
        assertEquals(ExitCode.USAGE, Main.execute(new String[] {"compress", "--no-such-option", f.toString()},
                new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter())), "mmh's own commands keep 2");
        assertEquals(List.of("a.txt"), names(), "nothing written");
    }

    /**
     * A target that appears while the output is being written is not replaced without -f: the output is renamed
     * only if the name is still free (the old check-then-move replaced it).
     */
    @Test
    void aTargetCreatedWhileWritingIsNotReplaced() throws Exception {
        byte[] random = new byte[24 << 20];
        new Random(9).nextBytes(random);
        Path f = Files.write(dir.resolve("r.bin"), random);
        Path gz = dir.resolve("r.bin.gz");
        Thread other = new Thread(() -> {
            try {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (System.nanoTime() < deadline) {
                    try (Stream<Path> s = Files.list(dir)) {
                        if (s.anyMatch(x -> x.getFileName().toString().endsWith(".mmh-tmp"))) {
                            Files.writeString(gz, "written meanwhile");
                            return;
                        }
                    }
                    Thread.sleep(1);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        other.start();
        int code = gzip("-9", "-p", "1", f.toString());
        other.join();
        assertEquals(GzipTool.WARNING, code, stderr());
        assertTrue(stderr().contains(gz + " already exists; not overwritten"), stderr());
        assertEquals("written meanwhile", Files.readString(gz));
        assertEquals(List.of("r.bin", "r.bin.gz"), names(), "input kept, no temporary file left");
        assertArrayEquals(random, Files.readAllBytes(f));
    }

    @Test
    void theOutputGetsTheInputsPermissionsAndTime() throws IOException {
        Path f = Files.write(dir.resolve("a.txt"), data);
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        java.nio.file.attribute.FileTime t = java.nio.file.attribute.FileTime.fromMillis(1_500_000_000_000L);
        Files.setLastModifiedTime(f, t);
        assertEquals(0, gzip(f.toString()), stderr());
        Path gz = dir.resolve("a.txt.gz");
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(gz)));
        assertEquals(t, Files.getLastModifiedTime(gz));
        assertEquals(0, gunzip(gz.toString()), stderr());
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(f)));
        assertEquals(t, Files.getLastModifiedTime(f));
        assertArrayEquals(data, Files.readAllBytes(f));
    }

    @Test
    void corruptInputLeavesNoOutputAndKeepsTheInput() throws IOException {
        Path f = Files.write(dir.resolve("a.txt"), data);
        assertEquals(0, gzip("-b", "16K", f.toString()), stderr());
        Path gz = dir.resolve("a.txt.gz");
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertEquals(GzipTool.ERROR, gunzip(gz.toString()));
        String e = stderr();
        assertTrue(e.startsWith("mmh gunzip: " + gz + ": "), e);
        assertTrue(e.contains("offset"), e);
        assertFalse(e.contains("\tat "), "no stack trace without -v: " + e);
        assertEquals(List.of("a.txt.gz"), names(), "no partial output, no temp file, input kept");
    }

    @Test
    void trailingGarbageWarnsAndKeepsTheData() throws IOException {
        Path f = Files.write(dir.resolve("a.txt"), data);
        assertEquals(0, gzip(f.toString()), stderr());
        Path gz = dir.resolve("a.txt.gz");
        Files.write(gz, "junk".getBytes(StandardCharsets.US_ASCII), java.nio.file.StandardOpenOption.APPEND);
        long size = Files.size(gz);
        assertEquals(GzipTool.WARNING, gunzip(gz.toString()));
        assertTrue(stderr().contains("trailing garbage ignored (at offset " + (size - 4) + ")"), stderr());
        assertArrayEquals(data, Files.readAllBytes(f));
    }

    @Test
    void testsAndListsFiles() throws IOException {
        Path f = Files.write(dir.resolve("a.txt"), data);
        assertEquals(0, gzip("-k", "-b", "32K", f.toString()), stderr());
        Path gz = dir.resolve("a.txt.gz");
        assertEquals(0, gzip("-t", gz.toString()), stderr());
        assertEquals(0, gzip("-l", gz.toString()), stderr());
        String listing = out.toString(StandardCharsets.UTF_8);
        assertTrue(listing.contains(" " + Files.size(gz) + " "), listing);
        assertTrue(listing.contains(" " + data.length + " "), listing);
        byte[] bytes = Files.readAllBytes(gz);
        bytes[bytes.length - 40] ^= 0x55;
        Files.write(gz, bytes);
        assertEquals(GzipTool.ERROR, gzip("-t", gz.toString()));
    }

    @Test
    void writesToStdoutWithC() throws IOException {
        Path f = Files.write(dir.resolve("a.txt"), data);
        assertEquals(0, gzip("-c", "-1", f.toString()), stderr());
        Path gz = Files.write(dir.resolve("copy.gz"), out.toByteArray());
        assertArrayEquals(data, jdkGunzip(gz));
        assertTrue(Files.exists(f), "-c keeps the input");
        out.reset();
        assertEquals(0, gunzip("-c", gz.toString()), stderr());
        assertArrayEquals(data, out.toByteArray());
    }

    @Test
    void compressesStdinToStdoutAndBack() {
        assertEquals(0, gzip(data, "-6"), stderr());
        byte[] gz = out.toByteArray();
        out.reset();
        assertEquals(0, gzip(gz, "-d"), stderr());
        assertArrayEquals(data, out.toByteArray());
    }

    @Test
    void walksFoldersOnlyWithR() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("d/e"));
        Files.write(sub.resolve("x"), data);
        Files.write(dir.resolve("d/y"), data);
        assertEquals(GzipTool.WARNING, gzip(dir.resolve("d").toString()));
        assertTrue(stderr().contains("is a directory -- ignored"), stderr());
        assertEquals(0, gzip("-r", dir.resolve("d").toString()), stderr());
        assertTrue(Files.exists(sub.resolve("x.gz")));
        assertTrue(Files.exists(dir.resolve("d/y.gz")));
    }

    @Test
    void storesAndRestoresTheNameWithCapitalN() throws IOException {
        Path f = Files.write(dir.resolve("original.txt"), data);
        assertEquals(0, gzip("-N", "-c", f.toString()), stderr());
        Path renamed = Files.write(dir.resolve("renamed.gz"), out.toByteArray());
        Files.delete(f);
        assertEquals(0, gunzip("-N", renamed.toString()), stderr());
        assertArrayEquals(data, Files.readAllBytes(f), "restored under the stored name");
    }

    @Test
    void rejectsNonGzipAndUnknownSuffixes() throws IOException {
        Path notGz = Files.write(dir.resolve("b.gz"), data);
        assertEquals(GzipTool.ERROR, gunzip(notGz.toString()));
        assertTrue(stderr().contains("not in gzip format"), stderr());
        Path odd = Files.write(dir.resolve("c.bin"), data);
        err.reset();
        assertEquals(GzipTool.WARNING, gunzip(odd.toString()));
        assertTrue(stderr().contains("unknown suffix"), stderr());
        assertEquals(GzipTool.ERROR, gzip(dir.resolve("missing").toString()));
    }

    @Test
    void parsesPigzStyleBlockSizes() {
        assertEquals(128 << 10, GzipTool.parseBlockSize("128"));
        assertEquals(1 << 20, GzipTool.parseBlockSize("1M"));
        assertEquals(65280, GzipTool.parseBlockSize("64K"));
        assertEquals(5000, GzipTool.parseBlockSize("5000B"));
        assertEquals(GzipTool.ERROR, gzip("-b", "99M", "-c", "x"));
    }
}
