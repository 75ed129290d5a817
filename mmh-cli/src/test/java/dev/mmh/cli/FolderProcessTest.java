package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.archive.fs.RawNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folder archives through separate processes, as the launcher runs them (its JVM options: the opened
 * {@code sun.nio.fs} that keeps names byte for byte): a folder archive piped from one mmh into another, and
 * {@code mmh cat} writing to a real pipe.
 */
class FolderProcessTest {
    @TempDir
    Path dir;

    /** The JVM options of the launcher that matter here. */
    static final List<String> JVM = List.of("--enable-native-access=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED");

    private static ProcessBuilder mmh(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.mmh.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    private static Path tree(Path dir) throws IOException {
        Path top = Files.createDirectories(dir.resolve("t").resolve("src"));
        Files.write(top.resolve("a.txt"), "alpha\n".repeat(10_000).getBytes(StandardCharsets.UTF_8));
        Files.write(RawNames.resolve(top, new byte[] {'b', (byte) 0xe9, '.', 't', 'x', 't'}),
                "latin-1 name\n".getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(top.resolve("empty"));
        Files.createSymbolicLink(top.resolve("l"), Path.of("a.txt"));
        // a link's time in whole microseconds (what NIO can set on a link): FolderCliTest holds nanoseconds
        Files.getFileAttributeView(top.resolve("l"), java.nio.file.attribute.BasicFileAttributeView.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).setTimes(java.nio.file.attribute.FileTime.from(
                        java.time.Instant.ofEpochSecond(1_700_000_000L, 123_456_000)), null, null);
        return top.getParent();
    }

    @Test
    void compressToStdoutPipesIntoDecompressFromStdin() throws Exception {
        Path t = tree(dir);
        Path dest = dir.resolve("dest");
        Process from = mmh("compress", "-q", "-c", t.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Process to = mmh("decompress", "-q", "-", "-C", dest.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        }
        assertTrue(from.waitFor(120, TimeUnit.SECONDS) && to.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, from.exitValue());
        assertEquals(0, to.exitValue());
        assertEquals(FolderCliTest.meta(t), FolderCliTest.meta(dest.resolve("t")));
    }

    @Test
    void catWritesTheFileToAPipe() throws Exception {
        Path t = tree(dir);
        Path a = dir.resolve("t.mmh");
        Process c = mmh("compress", "-q", t.toString(), "-o", a.toString()).inheritIO().start();
        assertTrue(c.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, c.exitValue());
        Process cat = mmh("cat", a.toString(), "t/src/b\\xe9.txt", "t/src/a.txt")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] got = cat.getInputStream().readAllBytes();
        assertTrue(cat.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, cat.exitValue());
        assertArrayEquals(("latin-1 name\n" + "alpha\n".repeat(10_000)).getBytes(StandardCharsets.UTF_8), got);
    }

    /**
     * A folder of more files than the process may open at once (ulimit -n 256, under the usual 1,024) extracts
     * whole: the extraction keeps a file open only while it writes one block's pieces of it.
     */
    @Test
    void aFolderOfMoreFilesThanTheOpenFileLimitExtracts() throws Exception {
        Path top = Files.createDirectories(dir.resolve("many").resolve("d"));
        for (int i = 0; i < 1_500; i++) {
            Files.write(top.resolve("f" + i), ("file " + i + "\n").repeat(1 + i % 7).getBytes(StandardCharsets.UTF_8));
        }
        Path a = dir.resolve("many.mmh");
        Process c = mmh("compress", "-q", dir.resolve("many").toString(), "-o", a.toString()).inheritIO().start();
        assertTrue(c.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, c.exitValue());
        Path dest = dir.resolve("dest");
        List<String> line = new ArrayList<>(mmh("decompress", "-q", "-T2", a.toString(), "-C", dest.toString())
                .command());
        StringBuilder sh = new StringBuilder("ulimit -n 256 && exec");
        for (String w : line) {
            sh.append(" '").append(w.replace("'", "'\\''")).append('\'');
        }
        Process d = new ProcessBuilder("bash", "-c", sh.toString()).redirectErrorStream(true).start();
        String out = new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(d.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, d.exitValue(), out);
        assertEquals(FolderCliTest.meta(dir.resolve("many")), FolderCliTest.meta(dest.resolve("many")));
    }
}
