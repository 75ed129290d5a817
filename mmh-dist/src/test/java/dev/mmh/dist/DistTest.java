package dev.mmh.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution that {@code mvn package} made (run in the integration-test phase, after it): the .tar.gz unpacked
 * and its {@code bin/mmh} run with a clean environment (no JAVA_HOME, PATH=/usr/bin:/bin), the .deb's contents, and
 * the Python package's tests against that {@code bin/mmh}. CI also installs the .deb and runs mmh from PATH
 * ({@code .ci/run}).
 */
class DistTest {
    private static final Path TARGET = Path.of(System.getProperty("mmh.dist.target", "target"));
    private static final Path CORPUS = Path.of(System.getProperty("mmh.corpus", "../target/corpus"));

    @TempDir
    static Path tmp;
    static Path home;

    record Run(int code, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    @BeforeAll
    static void unpack() throws Exception {
        Path tgz = only(TARGET, "*.tar.gz");
        Run r = run(tmp, null, Map.of(), "tar", "-xzf", tgz.toString(), "-C", tmp.toString());
        assertEquals(0, r.code(), r.err());
        try (Stream<Path> s = Files.list(tmp)) {
            home = s.filter(p -> p.getFileName().toString().startsWith("mmh-")).findFirst().orElseThrow();
        }
    }

    static Path only(Path dir, String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        try (var s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(found::add);
        }
        assertEquals(1, found.size(), "one " + glob + " in " + dir + ": " + found);
        return found.get(0);
    }

    /** Runs a command with only PATH=/usr/bin:/bin and HOME (and {@code env}) in its environment. */
    static Run run(Path dir, byte[] in, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("HOME", tmp.toString());
        pb.environment().putAll(env);
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectError(err.toFile());
        if (in == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        if (in != null) {
            Thread t = new Thread(() -> {
                try (var o = p.getOutputStream()) {
                    o.write(in);
                } catch (IOException e) {
                    // the process stopped reading: its exit code says why
                }
            });
            t.start();
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + Arrays.toString(cmd));
        return new Run(p.exitValue(), out, Files.readString(err));
    }

    Run mmh(byte[] in, Map<String, String> env, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = home.resolve("bin/mmh").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        return run(tmp, in, env, cmd);
    }

    Run mmh(String... args) throws Exception {
        return mmh(null, Map.of(), args);
    }

    @Test
    void versionNamesTheBundledRuntimeAndNativeCodecs() throws Exception {
        Run r = mmh("--version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.text().startsWith("mmh "), r.text());
        assertTrue(r.text().contains("zstd-jni") && r.text().contains("native"), r.text());
        assertFalse(r.text().contains("pure Java (native library"), r.text());
    }

    @Test
    void roundTripOfCorpusFilesThroughFilesAndPipes() throws Exception {
        Path src = CORPUS.resolve("silesia/xml");
        assumeTrue(Files.isRegularFile(src), "corpus not unpacked at " + CORPUS + " (./run-tests unpacks it)");
        Path packed = tmp.resolve("xml.mmh");
        Path back = tmp.resolve("xml.out");
        assertEquals(0, mmh("compress", "-q", "-f", src.toString(), "-o", packed.toString()).code());
        Run d = mmh("decompress", "-q", "-f", packed.toString(), "-o", back.toString());
        assertEquals(0, d.code(), d.err());
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(back));
        byte[] text = Files.readAllBytes(CORPUS.resolve("canterbury/alice29.txt"));
        Run c = mmh(text, Map.of(), "compress", "-q", "-c", "-");
        assertEquals(0, c.code(), c.err());
        Run u = mmh(c.out(), Map.of(), "decompress", "-q", "-c", "-");
        assertArrayEquals(text, u.out());
    }

    @Test
    void badInputGivesOneLineAndTheExitCode() throws Exception {
        Run r = mmh("not an archive".getBytes(StandardCharsets.UTF_8), Map.of(), "decompress", "-q", "-c", "-");
        assertEquals(4, r.code());
        assertEquals("mmh: stdin: not an mmh archive (no mmh magic at offset 0)", r.err().strip());
    }

    /** X25519 and Ed25519 come from jdk.crypto.ec on JDK 17, which no class names: jdeps alone would leave it out. */
    @Test
    void ageEncryptionAndSignaturesWorkOnTheBundledRuntime() throws Exception {
        Path key = tmp.resolve("key.txt");
        Run k = mmh("keygen", "-o", key.toString());
        assertEquals(0, k.code(), k.err());
        String recipient = k.text().strip();
        byte[] data = "secret text\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        Run e = mmh(data, Map.of(), "encrypt", "-r", recipient);
        assertEquals(0, e.code(), e.err());
        // from a file: decrypt from a pipe fails with "stdin: Illegal seek" (in the checkout's ./mmh too)
        Path age = tmp.resolve("secret.age");
        Files.write(age, e.out());
        Run d = mmh("decrypt", "-q", "-i", key.toString(), "-o", tmp.resolve("secret.out").toString(), age.toString());
        assertEquals(0, d.code(), d.err());
        assertArrayEquals(data, Files.readAllBytes(tmp.resolve("secret.out")));
        Run s = mmh("keygen", "--sign", "-o", tmp.resolve("sign.key").toString());
        assertEquals(0, s.code(), s.err());
    }

    /**
     * The first run of an unpacked .tar.gz dumps the class-data-sharing archive for its folder; later runs map their
     * classes from it; a moved folder gets a new one (the JVM refuses an archive whose jars moved).
     */
    @Test
    void classDataSharingArchiveIsMadeForTheFolderAndUsed() throws Exception {
        Path moved = tmp.resolve("moved");
        Run cp = run(tmp, null, Map.of(), "cp", "-a", home.toString(), moved.toString());
        assertEquals(0, cp.code(), cp.err());
        Run first = run(tmp, null, Map.of(), moved.resolve("bin/mmh").toString(), "--version");
        assertEquals(0, first.code(), first.err());
        assertEquals(moved.toString(), Files.readString(moved.resolve("lib/mmh.jsa.home")).strip());
        Run logged = run(tmp, null, Map.of("MMH_JAVA_OPTS", "-Xlog:class+load=info"), moved.resolve("bin/mmh")
                .toString(), "compress", "-q", "-c", "-");
        assertEquals(0, logged.code(), logged.err());
        long shared = logged.text().lines().filter(l -> l.contains("source: shared objects file")).count();
        long all = logged.text().lines().filter(l -> l.contains("[class,load]")).count();
        assertTrue(shared > 1000 && shared > all * 9 / 10, shared + " of " + all + " classes from the archive");
        Run none = run(tmp, null, Map.of("MMH_JAVA_OPTS", "-Xlog:class+load=info", "MMH_NO_CDS", "1"),
                moved.resolve("bin/mmh").toString(), "compress", "-q", "-c", "-");
        assertEquals(0, none.code(), none.err());
        assertEquals(0, none.text().lines().filter(l -> l.contains("source: shared objects file")).count());
        Path again = tmp.resolve("again");
        assertEquals(0, run(tmp, null, Map.of(), "mv", moved.toString(), again.toString()).code());
        assertEquals(0, run(tmp, null, Map.of(), again.resolve("bin/mmh").toString(), "--version").code());
        assertEquals(again.toString(), Files.readString(again.resolve("lib/mmh.jsa.home")).strip());
    }

    /** A dump that fails is recorded for the folder, so that later runs start without one instead of retrying. */
    @Test
    void failedArchiveDumpIsNotRetriedAtEveryStart() throws Exception {
        Path broken = tmp.resolve("broken");
        assertEquals(0, run(tmp, null, Map.of(), "cp", "-a", home.toString(), broken.toString()).code());
        Files.deleteIfExists(broken.resolve("lib/mmh.jsa"));
        Files.deleteIfExists(broken.resolve("lib/mmh.jsa.home"));
        Files.delete(broken.resolve("lib/mmh.classlist"));
        Files.createDirectory(broken.resolve("lib/mmh.classlist"));
        Run r = run(tmp, null, Map.of(), broken.resolve("bin/mmh").toString(), "--version");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertFalse(Files.exists(broken.resolve("lib/mmh.jsa")));
        assertEquals(broken.toString(), Files.readString(broken.resolve("lib/mmh.jsa.home")).strip());
    }

    @Test
    void debHoldsTheSameFilesUnderUsrLibWithTheCommandOnPath() throws Exception {
        Path deb = only(TARGET, "*.deb");
        Run c = run(tmp, null, Map.of(), "dpkg-deb", "-c", deb.toString());
        assertEquals(0, c.code(), c.err());
        String list = c.text();
        assertTrue(list.contains("./usr/bin/mmh -> ../lib/mmh/bin/mmh"), list);
        assertTrue(list.contains("./usr/lib/mmh/lib/runtime/bin/java"), list);
        assertTrue(list.contains("./usr/lib/mmh/lib/mmh.classlist"), list);
        assertFalse(list.contains("mmh.jsa"), "the archive is made at install time, for the installed paths");
        Run f = run(tmp, null, Map.of(), "dpkg-deb", "-f", deb.toString(), "Package", "Depends");
        assertTrue(f.text().startsWith("Package: mmh\nDepends: ") && f.text().contains("libc6"), f.text());
        Path x = tmp.resolve("deb");
        assertEquals(0, run(tmp, null, Map.of(), "dpkg-deb", "-x", deb.toString(), x.toString()).code());
        String launcher = Files.readString(x.resolve("usr/lib/mmh/bin/mmh"));
        assertTrue(launcher.contains("\nhome=/usr/lib/mmh\n"), "the installed launcher knows its folder");
        assertEquals(Files.readString(home.resolve("lib/mmh.classlist")),
                Files.readString(x.resolve("usr/lib/mmh/lib/mmh.classlist")));
        Run ctl = run(tmp, null, Map.of(), "dpkg-deb", "-I", deb.toString(), "postinst");
        assertTrue(ctl.text().contains("MMH_CDS_DUMP=1 /usr/lib/mmh/bin/mmh"), ctl.text());
    }

    /** python/tests against this bin/mmh, with Debian's python3. */
    @Test
    void pythonPackageTests() throws Exception {
        Path python = Path.of(System.getProperty("mmh.python", "../python"));
        boolean has = Files.isExecutable(Path.of("/usr/bin/python3"));
        if (!has && System.getenv("MMH_REQUIRE_TOOLS") != null) {
            throw new AssertionError("python3 is missing, and MMH_REQUIRE_TOOLS is set");
        }
        assumeTrue(has, "python3 not installed");
        Run r = run(python, null, Map.of("MMH_COMMAND", home.resolve("bin/mmh").toString()),
                "/usr/bin/python3", "-m", "unittest", "discover", "-s", "tests", "-v");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("test_large_input_is_streamed") && r.err().contains("\nOK"), r.err());
    }
}
