package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mmh command in process: exit codes, messages, files left behind. */
class CliTest extends InProcessCli {
    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        Stdio.redirect(null, null);
    }

    private Path write(String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }

    private static byte[] text(int n) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(n);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) "abcdefgh \n".charAt(r.nextInt(10));
        }
        return b;
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void compressThenDecompressRestoresTheFileAndKeepsTheInput() throws IOException {
        byte[] data = text(200_000);
        Path f = write("data.txt", data);
        assertEquals(0, mmh("compress", "-q", "--block-size", "64K", f.toString()), err);
        assertTrue(Files.exists(dir.resolve("data.txt.mmh")));
        Files.move(f, dir.resolve("orig.txt"));
        assertEquals(0, mmh("decompress", "-q", dir.resolve("data.txt.mmh").toString()), err);
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("data.txt")));
        assertEquals(List.of("data.txt", "data.txt.mmh", "orig.txt"), files());
    }

    @Test
    void refusesToOverwriteWithoutForce() throws IOException {
        Path f = write("a", text(1000));
        Path existing = write("a.mmh", new byte[] {1, 2, 3});
        assertEquals(ExitCode.EXISTS, mmh("compress", "-q", f.toString()));
        assertTrue(err.contains("a.mmh: already exists"), err);
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(existing));
        assertEquals(0, mmh("compress", "-q", "-f", f.toString()), err);
        assertTrue(Files.size(existing) > 3);
        assertEquals(List.of("a", "a.mmh"), files());
    }

    @Test
    void devNullIsAnOutputAndStaysADevice() throws IOException {
        Path dn = Path.of("/dev/null");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(dn) && !Files.isRegularFile(dn), "no /dev/null");
        Path f = write("n.txt", text(100_000));
        // no -f needed: a device has nothing to overwrite, and a rename over it would replace the device
        assertEquals(0, mmh("compress", "-q", f.toString(), "-o", "/dev/null"), err);
        assertEquals(0, mmh("compress", "-q", "-f", "--max", f.toString(), "-o", "/dev/null"), err);
        assertEquals(0, mmh("compress", "-q", f.toString()), err);
        assertEquals(0, mmh("decompress", "-q", dir.resolve("n.txt.mmh").toString(), "-o", "/dev/null"), err);
        assertEquals(0, mmh("decompress", "-q", "-f", dir.resolve("n.txt.mmh").toString(), "-o", "/dev/null"), err);
        assertTrue(Files.exists(dn) && !Files.isRegularFile(dn), "/dev/null was replaced by a file");
        // what needs to read the output back says so, and keeps the input
        assertEquals(ExitCode.IO_ERROR, mmh("compress", "-q", "--rm", f.toString(), "-o", "/dev/null"));
        assertTrue(err.contains("/dev/null is not a regular file"), err);
        assertTrue(Files.exists(f));
        assertTrue(Files.exists(dn) && !Files.isRegularFile(dn), "/dev/null was replaced by a file");
    }

    @Test
    void missingInputAndDirectoryAreIoErrorsNamingTheFile() throws IOException {
        assertEquals(ExitCode.IO_ERROR, mmh("compress", "-q", dir.resolve("nope").toString()));
        assertTrue(err.startsWith("mmh: " + dir.resolve("nope") + ": no such file"), err);
        assertEquals(1, err.lines().count(), "one line, no stack trace: " + err);
        Files.createDirectory(dir.resolve("sub"));
        // (compress packs a directory into a folder archive: FolderCliTest)
        assertEquals(ExitCode.IO_ERROR, mmh("verify", "-q", dir.resolve("sub").toString()));
        assertTrue(err.contains("is a directory"), err);
        assertEquals(ExitCode.IO_ERROR, mmh("info", dir.resolve("nope.mmh").toString()));
    }

    @Test
    void damagedArchiveFailsWithExitCode3AndLeavesNoOutput() throws IOException {
        Path f = write("d", text(100_000));
        assertEquals(0, mmh("compress", "-q", "-B", "16K", f.toString()));
        Files.delete(f);
        byte[] a = Files.readAllBytes(dir.resolve("d.mmh"));
        a[a.length / 2] ^= 0x5a;
        Files.write(dir.resolve("d.mmh"), a);
        assertEquals(ExitCode.DAMAGED, mmh("decompress", "-q", dir.resolve("d.mmh").toString()));
        assertTrue(err.matches("(?s)mmh: .*d\\.mmh: block \\d+ at offset \\d+: .*\\n"), err);
        assertEquals(List.of("d.mmh"), files(), "no output or temporary file left");
        assertEquals(ExitCode.DAMAGED, mmh("verify", dir.resolve("d.mmh").toString()));
        assertTrue(err.contains("1 damaged block of"), err);
        assertTrue(err.contains("damaged, not repairable (no recovery data)"), err);
    }

    @Test
    void foreignFileIsExitCode4() throws IOException {
        Path f = write("x.mmh", text(500));
        assertEquals(ExitCode.NOT_MMH, mmh("decompress", "-q", f.toString()));
        assertEquals(ExitCode.NOT_MMH, mmh("verify", "-q", f.toString()));
        assertEquals(ExitCode.NOT_MMH, mmh("info", f.toString()));
        assertEquals(List.of("x.mmh"), files());
    }

    @Test
    void removeDeletesTheInputOnlyAfterSuccess() throws IOException {
        Path f = write("r", text(50_000));
        assertEquals(0, mmh("compress", "-q", "--rm", f.toString()), err);
        assertFalse(Files.exists(f));
        assertEquals(0, mmh("decompress", "-q", dir.resolve("r.mmh").toString()), err);
        Path g = write("s", text(1000));
        write("s.mmh", new byte[1]);
        assertEquals(ExitCode.EXISTS, mmh("compress", "-q", "--rm", g.toString()));
        assertTrue(Files.exists(g), "input kept when the output could not be written");
    }

    @Test
    void unwritableOutputFolderIsAnIoErrorWithNothingLeft() throws IOException {
        Path f = write("u", text(1000));
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            if (Files.isWritable(ro)) {
                return; // running as root: permissions do not apply; the /dev/full test covers write errors
            }
            assertEquals(ExitCode.IO_ERROR, mmh("compress", "-q", "-o", ro.resolve("u.mmh").toString(), f.toString()));
            assertTrue(err.contains("permission denied"), err);
            try (Stream<Path> s = Files.list(ro)) {
                assertEquals(0, s.count());
            }
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void stdoutAndStdinRoundTrip() throws IOException {
        byte[] data = text(70_000);
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        Stdio.redirect(new ByteArrayInputStream(data), packed);
        assertEquals(0, mmh("compress", "-q", "-B", "8K", "-"), err);
        ByteArrayOutputStream unpacked = new ByteArrayOutputStream();
        Stdio.redirect(new ByteArrayInputStream(packed.toByteArray()), unpacked);
        assertEquals(0, mmh("decompress", "-q", "-c", "-"), err);
        assertArrayEquals(data, unpacked.toByteArray());
        assertEquals(List.of(), files());
    }

    @Test
    void infoJsonDescribesTheArchive() throws IOException {
        Path f = write("j", text(40_000));
        assertEquals(0, mmh("compress", "-q", "-B", "16K", "--codec", "zstd", "-l", "5", f.toString()));
        assertEquals(0, mmh("info", "--json", dir.resolve("j.mmh").toString()), err);
        assertTrue(out.contains("\"codec\": \"zstd\""), out);
        assertTrue(out.contains("\"level\": 5"), out);
        assertTrue(out.contains("\"blocks\": 3"), out);
        assertTrue(out.contains("\"rawSize\": 40000"), out);
        assertTrue(out.matches("(?s).*\"contentId\": \"[0-9a-f]{64}\".*"), out);
        assertEquals(0, mmh("verify", dir.resolve("j.mmh").toString()));
        assertTrue(out.contains("OK, 3 blocks, 40,000 bytes"), out);
        assertEquals(0, mmh("info", dir.resolve("j.mmh").toString()));
        assertTrue(out.contains("3 of up to 16.0 KiB"), out);
    }

    @Test
    void badOptionsAreUsageErrors() throws IOException {
        Path f = write("b", text(100));
        assertEquals(ExitCode.USAGE, mmh("compress", "--codec", "nope", f.toString()));
        assertTrue(err.contains("unknown codec 'nope'"), err);
        assertEquals(ExitCode.USAGE, mmh("compress", "-l", "99", f.toString()));
        assertTrue(err.contains("out of range"), err);
        assertEquals(ExitCode.USAGE, mmh("compress", "-B", "12Q", f.toString()));
        assertEquals(ExitCode.USAGE, mmh("compress", "-B", "100", f.toString()));
        assertEquals(ExitCode.USAGE, mmh("frobnicate"));
        assertEquals(ExitCode.USAGE, mmh("decompress", "-q", f.toString()));
        assertTrue(err.contains("unknown suffix"), err);
        assertEquals(List.of("b"), files());
    }

    @Test
    void helpListsTheExitCodes() {
        assertEquals(0, mmh("--help"));
        for (String line : ExitCode.HELP) {
            String code = line.substring(0, line.indexOf(':'));
            assertTrue(out.matches("(?s).*\\n  " + code + " +" + java.util.regex.Pattern.quote(
                    line.substring(line.indexOf(':') + 1)) + ".*"), code + " missing in\n" + out);
        }
        assertEquals(0, mmh("compress", "--help"));
        assertTrue(out.contains("Exit codes:"), out);
    }

    @Test
    void severalArchivesDecodeOverlappingWithResultsAndMessagesInOrder() throws IOException {
        // many small blocks, one block, empty, damaged, foreign, already there: each its own outcome
        byte[][] data = {text(300_000), text(5_000), new byte[0], text(100_000), text(60_000), text(700), text(900)};
        String[] names = {"a", "b", "c", "d", "e", "f", "g"};
        for (int k = 0; k < names.length; k++) {
            Path f = write(names[k], data[k]);
            assertEquals(0, mmh("compress", "-q", "-B", k == 0 ? "16K" : "64K", "--rm", f.toString()), err);
        }
        byte[] d = Files.readAllBytes(dir.resolve("d.mmh"));
        d[d.length / 2] ^= 0x5a;
        Files.write(dir.resolve("d.mmh"), d);
        Files.write(dir.resolve("e.mmh"), text(500)); // not an archive
        write("f", new byte[] {1}); // f exists: no overwrite without -f
        String[] args = new String[3 + names.length];
        args[0] = "decompress";
        args[1] = "-q";
        args[2] = "-T2";
        for (int k = 0; k < names.length; k++) {
            args[3 + k] = dir.resolve(names[k] + ".mmh").toString();
        }
        assertEquals(ExitCode.DAMAGED, mmh(args), "the first failure's exit code");
        for (int k : new int[] {0, 1, 2, 6}) {
            assertArrayEquals(data[k], Files.readAllBytes(dir.resolve(names[k])), names[k]);
        }
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(dir.resolve("f")));
        assertEquals(List.of("a", "a.mmh", "b", "b.mmh", "c", "c.mmh", "d.mmh", "e.mmh", "f", "f.mmh", "g", "g.mmh"),
                files(), "no output for the failed archives, no temporary file");
        assertLines("d.mmh: block ", "e.mmh: ", "already exists");
    }

    @Test
    void severalFilesCompressOverlappingToTheBytesOfOneByOneWithMessagesInOrder() throws IOException {
        // many blocks, one block (compact), empty, missing, output already there, already an archive
        byte[][] data = {text(300_000), text(5_000), new byte[0], null, text(9_000), null};
        String[] names = {"a", "b", "c", "d", "e", "f.mmh"};
        Path one = dir.resolve("one");
        Files.createDirectories(one);
        for (int k = 0; k < names.length; k++) {
            if (data[k] != null) {
                write(names[k], data[k]);
                Files.write(one.resolve(names[k]), data[k]);
                assertEquals(0, mmh("compress", "-q", "-T2", "-B", "16K", one.resolve(names[k]).toString()), err);
            }
        }
        write("e.mmh", new byte[] {7}); // no overwrite without -f
        write("f.mmh", text(100));
        String[] args = new String[4 + names.length];
        args[0] = "compress";
        args[1] = "-T2";
        args[2] = "-B";
        args[3] = "16K";
        for (int k = 0; k < names.length; k++) {
            args[4 + k] = dir.resolve(names[k]).toString();
        }
        CompressCommand c = new CompressCommand();
        assertTrue(c.mayOverlap(java.util.Arrays.asList(args).subList(4, args.length)), "this run overlaps");
        assertEquals(ExitCode.IO_ERROR, mmh(args), "the first failure's exit code: the missing file");
        for (String n : new String[] {"a", "b", "c"}) {
            assertArrayEquals(Files.readAllBytes(one.resolve(n + ".mmh")), Files.readAllBytes(dir.resolve(n + ".mmh")),
                    n + ": the same archive as compressed alone");
        }
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(dir.resolve("e.mmh")));
        assertEquals(List.of("a", "a.mmh", "b", "b.mmh", "c", "c.mmh", "e", "e.mmh", "f.mmh", "one"), files(),
                "no output for the failed files, no temporary file");
        assertLines(dir.resolve("d") + ": ", "e.mmh: already exists", "f.mmh: already has the .mmh suffix");
    }

    /** Standard error holds exactly one line per part, in order, each containing its part. */
    private void assertLines(String... parts) {
        List<String> lines = err.lines().collect(Collectors.toList());
        assertEquals(parts.length, lines.size(), err);
        for (int i = 0; i < parts.length; i++) {
            assertTrue(lines.get(i).contains(parts[i]), "line " + i + " of\n" + err);
        }
    }

    @Test
    void filesCompressOverlappingOnlyWhenNoneWritesAnotherOnesInputOrOutput() {
        CompressCommand c = new CompressCommand();
        String a = dir.resolve("a").toString();
        String b = dir.resolve("b").toString();
        assertTrue(c.mayOverlap(List.of(a, b)));
        assertFalse(c.mayOverlap(List.of(a, a)), "one output twice");
        assertFalse(c.mayOverlap(List.of(a, dir.resolve("a.mmh").toString())), "the first writes the second's input");
        assertFalse(c.mayOverlap(List.of(a, dir.resolve("sub/../a").toString())), "the same file, spelled apart");
        assertFalse(c.mayOverlap(List.of(a, "-")), "stdin");
        c.dest.output = dir.resolve("x.mmh");
        assertFalse(c.mayOverlap(List.of(a, b)), "-o");
    }

    @Test
    void archivesStartCostliestFirstByCodecAndSize() throws IOException {
        Path f = write("t", text(200_000));
        Path small = write("s", text(20_000));
        for (String codec : new String[] {"zstd", "xz", "bwt"}) {
            assertEquals(0, mmh("compress", "-q", "--codec", codec, f.toString(), "-o", dir.resolve(codec + ".mmh")
                    .toString()), err);
        }
        assertEquals(0, mmh("compress", "-q", "--codec", "bwt", small.toString(), "-o", dir.resolve("s.mmh")
                .toString()), err);
        long zstd = DecompressCommand.decodeCost(dir.resolve("zstd.mmh"));
        long xz = DecompressCommand.decodeCost(dir.resolve("xz.mmh"));
        long bwt = DecompressCommand.decodeCost(dir.resolve("bwt.mmh"));
        long bwtSmall = DecompressCommand.decodeCost(dir.resolve("s.mmh"));
        assertEquals(200_000, zstd);
        assertTrue(zstd < xz && xz < bwt, zstd + " " + xz + " " + bwt);
        assertTrue(bwtSmall < xz, "a tenth of the data in bwt costs less than all of it in xz");
        assertEquals(0, DecompressCommand.decodeCost(f), "not an archive");
        assertEquals(0, DecompressCommand.decodeCost(dir.resolve("missing.mmh")));
    }

    @Test
    void archivesOverlapOnlyWhenNoneWritesAnotherOnesInputOrOutput() throws IOException {
        DecompressCommand c = new DecompressCommand();
        String a = dir.resolve("a.mmh").toString();
        String b = dir.resolve("b.mmh").toString();
        assertTrue(c.mayOverlap(List.of(a, b)));
        assertFalse(c.mayOverlap(List.of(a, a)), "one output twice");
        assertFalse(c.mayOverlap(List.of(dir.resolve("x.mmh.mmh").toString(), dir.resolve("x.mmh").toString())),
                "the first writes the second's input");
        assertFalse(c.mayOverlap(List.of(dir.resolve("x.mmh").toString(), dir.resolve("x.mmh.mmh").toString())),
                "the second writes the first's input");
        assertFalse(c.mayOverlap(List.of(a, dir.resolve("sub/../a.mmh").toString())), "the same file, spelled apart");
        Files.createSymbolicLink(dir.resolve("link"), dir);
        assertFalse(c.mayOverlap(List.of(a, dir.resolve("link/a.mmh").toString())), "the same file through a link");
        assertFalse(c.mayOverlap(List.of(a, "-")), "stdin");
        assertFalse(c.mayOverlap(List.of(a, dir.resolve("c.txt").toString())), "no .mmh suffix");
        c.dest.stdout = true;
        assertFalse(c.mayOverlap(List.of(a, b)), "stdout");
    }

    @Test
    void archiveDecodingIntoAnotherArgumentIsReadAfterItIsWritten() throws IOException {
        // x.mmh.mmh holds x.mmh: decoding "x.mmh.mmh x.mmh" must decode the second only once the first wrote it
        byte[] data = text(50_000);
        Path x = write("x", data);
        assertEquals(0, mmh("compress", "-q", "--rm", x.toString()), err);
        assertEquals(0, mmh("compress", "-q", "-o", dir.resolve("x.mmh.mmh").toString(),
                dir.resolve("x.mmh").toString()), err);
        Files.delete(dir.resolve("x.mmh"));
        assertEquals(0, mmh("decompress", "-q", dir.resolve("x.mmh.mmh").toString(), dir.resolve("x.mmh").toString()),
                err);
        assertArrayEquals(data, Files.readAllBytes(x));
    }

    @Test
    void sizesParseWithBinaryAndDecimalUnits() {
        assertEquals(4L << 20, SizeConverter.parse("4M"));
        assertEquals(1L << 30, SizeConverter.parse("1GiB"));
        assertEquals(512L << 10, SizeConverter.parse("512k"));
        assertEquals(1_000_000L, SizeConverter.parse("1MB"));
        assertEquals(65536L, SizeConverter.parse("65536"));
    }
}
