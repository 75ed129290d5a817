package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keygen, encrypt, decrypt, sign and verify --signed-by in process: files, modes, exit codes, messages, nothing left
 * behind on failure; and interop with Debian's {@code age}, {@code age-keygen} and {@code minisign} both ways
 * (skipped, saying so, only where a binary is missing; CI installs them and sets MMH_REQUIRE_TOOLS,
 * which turns a missing binary into a failure).
 */
class CryptoCliTest extends InProcessCli {
    @TempDir
    Path dir;

    private Path data(int n) throws IOException {
        byte[] b = new byte[n];
        new SplittableRandom(n).nextBytes(b);
        return Files.write(dir.resolve("data"), b);
    }

    private String s(Path p) {
        return p.toString();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> l = Files.list(dir)) {
            return l.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void keygenWritesAnOwnerOnlyIdentityFileAndPrintsTheRecipient() throws IOException {
        Path k = dir.resolve("k.txt");
        assertEquals(0, mmh("keygen", "-o", s(k)));
        String text = Files.readString(k);
        assertTrue(text.matches("# created: .*\n# public key: age1[0-9a-z]{58}\nAGE-SECRET-KEY-1[0-9A-Z]{58}\n"), text);
        assertEquals(out.strip(), text.lines().toList().get(1).substring("# public key: ".length()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(k)));
        assertEquals(ExitCode.EXISTS, mmh("keygen", "-o", s(k)));
        assertEquals(0, mmh("keygen", "--pq", "-f", "-o", s(k)));
        assertTrue(Files.readString(k).contains("\nAGE-SECRET-KEY-PQ-1"));
        assertTrue(out.startsWith("age1pq1"));
    }

    @Test
    void roundTripsAndRefusesWrongKeysAndAlteredBytesLeavingNoOutput() throws IOException {
        Path k = dir.resolve("k.txt");
        Path other = dir.resolve("other.txt");
        mmh("keygen", "-o", s(k));
        String r = out.strip();
        mmh("keygen", "-o", s(other));
        Path d = data(300_000);
        assertEquals(0, mmh("encrypt", "-r", r, s(d)), err);
        Path age = dir.resolve("data.age");
        assertTrue(Files.exists(age));
        Files.move(d, dir.resolve("orig"));
        assertEquals(0, mmh("decrypt", "-i", s(k), s(age)), err);
        assertArrayEquals(Files.readAllBytes(dir.resolve("orig")), Files.readAllBytes(d));
        Files.delete(d);
        List<String> before = names();
        assertEquals(ExitCode.AUTH_FAILED, mmh("decrypt", "-i", s(other), s(age)));
        assertEquals("mmh: " + age + ": no identity matches a recipient of this file (its stanzas: X25519)\n", err);
        assertEquals(before, names());
        // a byte of the last chunk altered: everything before it authenticates, still no output file
        byte[] b = Files.readAllBytes(age);
        b[b.length - 20] ^= 1;
        Files.write(age, b);
        assertEquals(ExitCode.AUTH_FAILED, mmh("decrypt", "-i", s(k), s(age)));
        assertTrue(err.contains("chunk 4 at offset"), err);
        assertEquals(before, names());
        // the version line damaged: not an age file any more, exit 4
        b[5] = 'X';
        Files.write(age, b);
        assertEquals(ExitCode.NOT_MMH, mmh("decrypt", "-i", s(k), s(age)));
        assertEquals(before, names());
    }

    @Test
    void passphrasesComeFromAFileAndWrongOnesFail() throws IOException {
        Path d = data(1000);
        Path pf = Files.writeString(dir.resolve("pass"), "correct horse\n");
        Path wrong = Files.writeString(dir.resolve("wrong"), "correct horsf\n");
        assertEquals(0, mmh("encrypt", "--passphrase-file", s(pf), "-a", s(d), "-o", s(dir.resolve("p.age"))), err);
        assertTrue(Files.readString(dir.resolve("p.age")).startsWith("-----BEGIN AGE ENCRYPTED FILE-----\n"));
        assertEquals(ExitCode.AUTH_FAILED, mmh("decrypt", "--passphrase-file", s(wrong), s(dir.resolve("p.age")),
                "-o", s(dir.resolve("p.out"))));
        assertEquals("mmh: " + dir.resolve("p.age") + ": wrong passphrase\n", err);
        assertFalse(Files.exists(dir.resolve("p.out")));
        assertEquals(0, mmh("decrypt", "--passphrase-file", s(pf), s(dir.resolve("p.age")), "-o",
                s(dir.resolve("p.out"))));
        assertArrayEquals(Files.readAllBytes(d), Files.readAllBytes(dir.resolve("p.out")));
        assertEquals(ExitCode.USAGE, mmh("encrypt", "--passphrase-file", s(pf), "-r", "age1x", s(d)));
    }

    @Test
    void aMissingKeyFileIsTheOneNamed() throws IOException {
        Path k = dir.resolve("k.txt");
        mmh("keygen", "-o", s(k));
        Path d = data(100);
        assertEquals(0, mmh("encrypt", "-r", out.strip(), s(d), "-o", s(dir.resolve("x.age"))), err);
        Path nope = dir.resolve("nope.txt");
        assertEquals(ExitCode.IO_ERROR, mmh("encrypt", "-R", s(nope), s(d), "-o", s(dir.resolve("y.age"))));
        assertEquals("mmh: " + nope + ": no such file or directory\n", err);
        assertEquals(ExitCode.IO_ERROR, mmh("decrypt", "-i", s(nope), s(dir.resolve("x.age")), "-o",
                s(dir.resolve("x"))));
        assertEquals("mmh: " + nope + ": no such file or directory\n", err);
        assertFalse(Files.exists(dir.resolve("x")));
        assertFalse(Files.exists(dir.resolve("y.age")));
    }

    @Test
    void warnsAboutIdentityFilesOthersCanRead() throws IOException {
        Path k = dir.resolve("k.txt");
        mmh("keygen", "-o", s(k));
        String r = out.strip();
        Path d = data(100);
        mmh("encrypt", "-r", r, s(d), "-o", s(dir.resolve("x.age")));
        assertEquals(0, mmh("decrypt", "-i", s(k), s(dir.resolve("x.age")), "-o", s(dir.resolve("x"))));
        assertEquals("", err);
        Files.setPosixFilePermissions(k, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(0, mmh("decrypt", "-f", "-i", s(k), s(dir.resolve("x.age")), "-o", s(dir.resolve("x"))));
        assertEquals("mmh: warning: " + k + ": the key file can be read by other users (chmod 600 " + k + ")\n", err);
    }

    static boolean has(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        String why = "CryptoCliTest: no " + tool + " on PATH (apt-get install age minisign python3)";
        if (System.getenv("MMH_REQUIRE_TOOLS") != null) {
            // CI (.ci/run) installs the peer tools and sets this: an interop test there never skips
            throw new AssertionError(why + ", and MMH_REQUIRE_TOOLS is set");
        }
        System.err.println(why + ": interop skipped");
        return false;
    }

    private String run(String stdin, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + o);
        return o;
    }

    @Test
    void interoperatesWithAgeBothWaysArmoredToo() throws Exception {
        assumeTrue(has("age") && has("age-keygen"), "age not installed");
        Path d = data(200_000);
        byte[] plain = Files.readAllBytes(d);
        run("", "age-keygen", "-o", "age.key");
        String ageR = run("", "age-keygen", "-y", "age.key").strip();
        mmh("keygen", "-o", s(dir.resolve("mmh.key")));
        String mmhR = out.strip();
        List<String> checked = new ArrayList<>();
        for (boolean armor : new boolean[] {false, true}) {
            String a = armor ? "-a" : null;
            // age encrypts to both keys; mmh decrypts with either identity
            List<String> cmd = new ArrayList<>(List.of("age", "-r", ageR, "-r", mmhR, "-o", "a.age"));
            if (armor) {
                cmd.add(1, "-a");
            }
            cmd.add("data");
            run("", cmd.toArray(new String[0]));
            for (String id : new String[] {"age.key", "mmh.key"}) {
                assertEquals(0, mmh("decrypt", "-f", "-i", s(dir.resolve(id)), s(dir.resolve("a.age")), "-o",
                        s(dir.resolve("a.out"))), err);
                assertArrayEquals(plain, Files.readAllBytes(dir.resolve("a.out")));
                checked.add("age>" + id);
            }
            // mmh encrypts to both keys; age decrypts with either identity
            List<String> enc = new ArrayList<>(List.of("encrypt", "-f", "-r", ageR, "-r", mmhR, s(d), "-o",
                    s(dir.resolve("m.age"))));
            if (a != null) {
                enc.add(a);
            }
            assertEquals(0, mmh(enc.toArray(new String[0])), err);
            for (String id : new String[] {"age.key", "mmh.key"}) {
                run("", "age", "-d", "-i", id, "-o", "m.out", "m.age");
                assertArrayEquals(plain, Files.readAllBytes(dir.resolve("m.out")));
                Files.delete(dir.resolve("m.out"));
                checked.add("mmh>" + id);
            }
        }
        assertEquals(8, checked.size());
    }

    /** Runs {@code cmd} on a pseudo-terminal (python3's pty), answering every passphrase prompt with {@code pass}. */
    private void onTerminal(String pass, String... cmd) throws Exception {
        String script = "import pty, os, sys, time\n"
                + "pid, fd = pty.fork()\n"
                + "if pid == 0:\n    os.execvp(sys.argv[2], sys.argv[2:])\n"
                + "buf = b''; n = 0; t0 = time.time()\n"
                + "while time.time() - t0 < 60:\n"
                + "    try:\n        d = os.read(fd, 1024)\n    except OSError:\n        break\n"
                + "    if not d:\n        break\n"
                + "    buf += d\n"
                + "    if buf.lower().count(b'passphrase') > n:\n"
                + "        n = buf.lower().count(b'passphrase'); os.write(fd, sys.argv[1].encode() + b'\\n')\n"
                + "_, st = os.waitpid(pid, 0)\n"
                + "sys.exit(os.WEXITSTATUS(st))\n";
        List<String> all = new ArrayList<>(List.of("python3", "-c", script, pass));
        all.addAll(List.of(cmd));
        run("", all.toArray(new String[0]));
    }

    @Test
    void passphraseFilesInteroperateWithAge() throws Exception {
        assumeTrue(has("age") && has("python3"), "age or python3 (for a terminal) not installed");
        Path d = data(70_000);
        Path pf = Files.writeString(dir.resolve("pass"), "pass phrase\n");
        assertEquals(0, mmh("encrypt", "--passphrase-file", s(pf), s(d), "-o", s(dir.resolve("m.age"))), err);
        onTerminal("pass phrase", "age", "-d", "-o", s(dir.resolve("m.out")), s(dir.resolve("m.age")));
        assertArrayEquals(Files.readAllBytes(d), Files.readAllBytes(dir.resolve("m.out")));
        onTerminal("pass phrase", "age", "-p", "-a", "-o", s(dir.resolve("a.age")), s(d));
        assertEquals(0, mmh("decrypt", "--passphrase-file", s(pf), s(dir.resolve("a.age")), "-o",
                s(dir.resolve("a.out"))), err);
        assertArrayEquals(Files.readAllBytes(d), Files.readAllBytes(dir.resolve("a.out")));
    }

    @Test
    void signaturesInteroperateWithMinisign() throws Exception {
        assumeTrue(has("minisign"), "minisign not installed");
        Path d = data(5000);
        run("", "minisign", "-G", "-W", "-f", "-p", "ms.pub", "-s", "ms.key");
        assertEquals(0, mmh("sign", s(d), "-k", s(dir.resolve("ms.key"))), err);
        run("", "minisign", "-V", "-p", "ms.pub", "-m", "data");
        run("", "minisign", "-S", "-s", "ms.key", "-m", "data", "-t", "by minisign");
        assertEquals(0, mmh("verify", s(d), "--signed-by", s(dir.resolve("ms.pub"))), err);
        assertTrue(out.contains("signature OK") && out.contains("trusted comment: by minisign"), out);
        String pubLine = Files.readString(dir.resolve("ms.pub")).lines().toList().get(1);
        assertEquals(0, mmh("verify", s(d), "--signed-by", pubLine), err);
        Files.write(d, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        assertEquals(ExitCode.AUTH_FAILED, mmh("verify", s(d), "--signed-by", s(dir.resolve("ms.pub"))));
        assertEquals("mmh: " + d + ": " + d + ".minisig: the signature does not match the file\n", err);
        // mmh's own key pair, verified by minisign
        assertEquals(0, mmh("keygen", "--sign", "-o", s(dir.resolve("mine.key"))), err);
        assertTrue(out.startsWith("RW"), out);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("mine.key"))));
        assertEquals(0, mmh("sign", s(d), "-k", s(dir.resolve("mine.key"))), err);
        run("", "minisign", "-V", "-p", "mine.key.pub", "-m", "data");
    }
}
