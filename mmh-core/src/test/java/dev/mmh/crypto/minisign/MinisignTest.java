package dev.mmh.crypto.minisign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmh.AuthenticationFailedException;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * minisign signatures: mmh's own round trip and every kind of tampering, libsodium's scrypt parameters, and interop
 * with Debian's {@code minisign} both ways, unencrypted ({@code -W}) and passphrase-protected keys (skipped, saying
 * so, only where the binary is missing;
 * CI installs it and sets MMH_REQUIRE_TOOLS, which turns a missing binary into a failure).
 */
class MinisignTest {
    private static final byte[] DATA = "the signed bytes\n".repeat(1000).getBytes(StandardCharsets.UTF_8);

    private static InputStream data() {
        return new ByteArrayInputStream(DATA);
    }

    @Test
    void signsAndVerifiesAndRefusesEveryChange() throws IOException {
        Minisign.SecretKey k = Minisign.generate();
        String sig = Minisign.sign(data(), "f", k, "timestamp:1\tfile:f\thashed");
        Minisign.Verified v = Minisign.verify(data(), sig, k.publicKeyOf(), "f.minisig");
        assertEquals("timestamp:1\tfile:f\thashed", v.trustedComment());
        byte[] changed = DATA.clone();
        changed[500] ^= 1;
        assertThrows(AuthenticationFailedException.class, () -> Minisign.verify(new ByteArrayInputStream(changed),
                sig, k.publicKeyOf(), "f.minisig"));
        String comment = sig.replace("timestamp:1", "timestamp:2");
        assertThrows(AuthenticationFailedException.class, () -> Minisign.verify(data(), comment, k.publicKeyOf(),
                "f.minisig"));
        Minisign.SecretKey other = Minisign.generate();
        assertThrows(AuthenticationFailedException.class, () -> Minisign.verify(data(), sig, other.publicKeyOf(),
                "f.minisig"));
        // the same id with another key: the signature itself must fail
        Minisign.PublicKey impostor = new Minisign.PublicKey(k.keyId(), other.publicKey());
        assertThrows(AuthenticationFailedException.class, () -> Minisign.verify(data(), sig, impostor, "f.minisig"));
        Minisign.PublicKey back = Minisign.parsePublicKey(k.publicKeyOf().file(), "pub");
        assertArrayEquals(k.publicKey(), back.key());
        assertEquals(k.publicKeyOf().encode(), Minisign.parsePublicKey(k.publicKeyOf().encode(), "pub").encode());
    }

    @Test
    void libsodiumScryptParameters() {
        // minisign's limits (OPSLIMIT/MEMLIMIT_SENSITIVE): N = 2^20, r = 8, p = 1
        assertArrayEquals(new int[] {20, 8, 1}, Minisign.pickParams(Minisign.OPSLIMIT, Minisign.MEMLIMIT));
        // the interactive limits (524288, 16 MiB): N = 2^14, r = 8, p = 1
        assertArrayEquals(new int[] {14, 8, 1}, Minisign.pickParams(524288, 16777216));
    }

    @Test
    void secretKeyFilesRoundTrip(@TempDir Path dir) throws IOException {
        Minisign.SecretKey k = Minisign.generate();
        Path plain = dir.resolve("plain.key");
        Files.writeString(plain, Minisign.secretKeyFile(k, null));
        assertArrayEquals(k.seed(), Minisign.readSecretKey(plain, () -> {
            throw new AssertionError("an unencrypted key asked for a passphrase");
        }).seed());
    }

    static boolean hasMinisign() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "minisign"))) {
                return true;
            }
        }
        String why = "MinisignTest: no minisign on PATH (apt-get install minisign)";
        if (System.getenv("MMH_REQUIRE_TOOLS") != null) {
            // CI (.ci/run) installs the peer tools and sets this: an interop test there never skips
            throw new AssertionError(why + ", and MMH_REQUIRE_TOOLS is set");
        }
        System.err.println(why + ": interop skipped");
        return false;
    }

    static String run(Path dir, String stdin, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue() + ": " + out);
        }
        return out;
    }

    @Test
    void interoperatesWithMinisignBothWays(@TempDir Path dir) throws Exception {
        assumeTrue(hasMinisign(), "minisign not installed");
        Path file = dir.resolve("data");
        Files.write(file, DATA);
        // minisign's unencrypted key pair: mmh signs, minisign verifies
        run(dir, "", "minisign", "-G", "-W", "-f", "-p", "ms.pub", "-s", "ms.key");
        Minisign.SecretKey k = Minisign.readSecretKey(dir.resolve("ms.key"), () -> null);
        try (InputStream in = Files.newInputStream(file)) {
            Files.writeString(dir.resolve("data.minisig"), Minisign.sign(in, "data", k, null));
        }
        run(dir, "", "minisign", "-V", "-p", "ms.pub", "-m", "data");
        // minisign signs, mmh verifies with the key file and with the RWQ string
        Files.delete(dir.resolve("data.minisig"));
        run(dir, "", "minisign", "-S", "-s", "ms.key", "-m", "data", "-t", "made by minisign");
        String sig = Files.readString(dir.resolve("data.minisig"));
        Minisign.PublicKey pub = Minisign.readPublicKey(dir.resolve("ms.pub").toString());
        try (InputStream in = Files.newInputStream(file)) {
            assertEquals("made by minisign", Minisign.verify(in, sig, pub, "data.minisig").trustedComment());
        }
        Files.write(file, "changed".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        try (InputStream in = Files.newInputStream(file)) {
            assertThrows(AuthenticationFailedException.class, () -> Minisign.verify(in, sig, pub, "data.minisig"));
        }
        // an mmh key pair, unencrypted, used by minisign to sign, checked by minisign
        Minisign.SecretKey mine = Minisign.generate();
        Files.writeString(dir.resolve("mmh.key"), Minisign.secretKeyFile(mine, null));
        Files.writeString(dir.resolve("mmh.pub"), mine.publicKeyOf().file());
        run(dir, "", "minisign", "-S", "-s", "mmh.key", "-m", "data");
        run(dir, "", "minisign", "-V", "-p", "mmh.pub", "-m", "data");
    }

    @Test
    void encryptedKeysBothWays(@TempDir Path dir) throws Exception {
        assumeTrue(hasMinisign(), "minisign not installed");
        Files.write(dir.resolve("data"), DATA);
        run(dir, "pw\npw\n", "minisign", "-G", "-f", "-p", "e.pub", "-s", "e.key");
        assertTrue(Minisign.isEncrypted(dir.resolve("e.key")));
        assertThrows(AuthenticationFailedException.class, () -> Minisign.readSecretKey(dir.resolve("e.key"),
                () -> "wrong".getBytes(StandardCharsets.UTF_8)));
        Minisign.SecretKey k = Minisign.readSecretKey(dir.resolve("e.key"), () -> "pw".getBytes(
                StandardCharsets.UTF_8));
        assertEquals(Minisign.readPublicKey(dir.resolve("e.pub").toString()).encode(), k.publicKeyOf().encode());
        // and minisign opens an encrypted key mmh wrote
        Files.writeString(dir.resolve("m.key"), Minisign.secretKeyFile(k, "other pw".getBytes(
                StandardCharsets.UTF_8)));
        run(dir, "other pw\n", "minisign", "-S", "-s", "m.key", "-m", "data");
        run(dir, "", "minisign", "-V", "-p", "e.pub", "-m", "data");
    }
}
