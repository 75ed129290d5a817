package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmh.engine.ArchiveSignatures;
import dev.mmh.format.Format;
import dev.mmh.format.LE;
import dev.mmh.format.SeekableArchive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mmh sign --embed} and {@code mmh verify --signed-by} on the signatures inside archives, in process: the
 * right key, another key, altered bytes, protect and repair after signing, signing a protected archive, and
 * Debian's {@code minisign -V} on the signature written out as a .minisig over the signed message.
 */
class EmbeddedSignatureCliTest extends InProcessCli {
    @TempDir
    Path dir;

    private String s(Path p) {
        return p.toString();
    }

    private Path data(String name, int n, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder();
        String[] words = {"signed ", "archive ", "content ", "of ", "the ", "blocks ", "minisign ", "key "};
        while (b.length() < n) {
            b.append(words[r.nextInt(words.length)]).append(r.nextInt(1000));
        }
        return Files.writeString(dir.resolve(name), b.substring(0, n));
    }

    /** A key pair KEY, KEY.pub made by mmh keygen --sign. */
    private Path key(String name) {
        Path k = dir.resolve(name);
        assertEquals(0, mmh("keygen", "--sign", "-o", s(k)), err);
        return k;
    }

    private Path pub(Path key) {
        return Path.of(key + ".pub");
    }

    private Path archive(Path data, String... extra) {
        Path a = Path.of(data + ".mmh");
        List<String> args = new java.util.ArrayList<>(List.of("compress", "-q", "--hash", "sha256", "-B", "4K", s(data),
                "-o", s(a)));
        args.addAll(List.of(extra));
        assertEquals(0, mmh(args.toArray(new String[0])), err);
        return a;
    }

    private static void flip(Path p, long at) throws IOException {
        byte[] b = Files.readAllBytes(p);
        b[(int) at] ^= 0x10;
        Files.write(p, b);
    }

    @Test
    void signedInsideVerifiesWithItsKeyAndFailsWithAnother() throws IOException {
        Path k = key("k.key");
        Path other = key("other.key");
        Path a = archive(data("d", 50_000, 1));
        assertEquals(0, mmh("sign", "--embed", "-k", s(k), "-t", "release 1", s(a)), err);
        assertTrue(out.matches(a + ": signed inside by key [0-9A-F]{16}, trusted comment: release 1\n"), out);
        try (Stream<Path> l = Files.list(dir)) {
            assertFalse(l.anyMatch(p -> p.toString().endsWith(".minisig")), "no detached signature");
        }
        assertEquals(0, mmh("verify", "--signed-by", s(pub(k)), s(a)), err);
        assertTrue(out.contains(a + ": signature inside OK, key "), out);
        assertTrue(out.endsWith(", trusted comment: release 1\n"), out);
        assertEquals(ExitCode.AUTH_FAILED, mmh("verify", "--signed-by", s(pub(other)), s(a)));
        assertTrue(err.startsWith("mmh: " + a + ": signed by key "), err);
        assertTrue(err.contains(", not by "), err);
        assertEquals(0, mmh("info", s(a)), err);
        assertTrue(out.matches("(?s).*\n  signature    signed by key [0-9A-F]{16} \\(unchecked\\), trusted comment: "
                + "release 1\n.*"), out);
        // a second signer: both keys verify, each its own
        assertEquals(0, mmh("sign", "--embed", "-q", "-k", s(other), s(a)), err);
        assertEquals("", out);
        assertEquals(0, mmh("verify", "--signed-by", s(pub(other)), s(a)), err);
        assertTrue(out.contains("trusted comment: timestamp:"), out);
        assertEquals(0, mmh("verify", "--signed-by", s(pub(k)), s(a)), err);
        assertTrue(out.contains("trusted comment: release 1\n"), out);
        // the signatures do not change the content: it decompresses to the input
        assertEquals(0, mmh("decompress", "-q", s(a), "-o", s(dir.resolve("d.out"))), err);
        assertArrayEquals(Files.readAllBytes(dir.resolve("d")), Files.readAllBytes(dir.resolve("d.out")));
    }

    @Test
    void anArchiveWithoutSignaturesOrWithXxh64HashesSaysSo() throws IOException {
        Path k = key("k.key");
        Path a = archive(data("d", 20_000, 2));
        assertEquals(ExitCode.AUTH_FAILED, mmh("verify", "--signed-by", s(pub(k)), s(a)));
        assertEquals("mmh: " + a + ": no signature: no " + a + ".minisig beside it and none inside\n", err);
        Path x = dir.resolve("x.mmh");
        assertEquals(0, mmh("compress", "-q", s(dir.resolve("d")), "-o", s(x)), err);
        byte[] before = Files.readAllBytes(x);
        assertEquals(ExitCode.UNSUPPORTED, mmh("sign", "--embed", "-k", s(k), s(x)));
        assertTrue(err.startsWith("mmh: " + x + ": a signature inside an archive needs SHA-256 block hashes"), err);
        assertArrayEquals(before, Files.readAllBytes(x));
    }

    @Test
    void aDamagedArchiveOrAnotherFileIsNotSignedAndNothingIsLeftBehind() throws IOException {
        Path k = key("k.key");
        Path a = archive(data("d", 50_000, 10));
        flip(a, 2000);
        byte[] damaged = Files.readAllBytes(a);
        assertEquals(ExitCode.DAMAGED, mmh("sign", "--embed", "-k", s(k), s(a)));
        assertTrue(err.matches("mmh: " + java.util.regex.Pattern.quote(a.toString()) + ": block \\d+ at offset \\d+: "
                + "stored data checksum mismatch [^:]*; a damaged .*\n"), err);
        assertTrue(err.endsWith("; a damaged archive is not signed (run mmh repair)\n"), err);
        assertArrayEquals(damaged, Files.readAllBytes(a));
        assertEquals(ExitCode.NOT_MMH, mmh("sign", "--embed", "-k", s(k), s(dir.resolve("d"))));
        try (Stream<Path> l = Files.list(dir)) {
            assertEquals(List.of("d", "d.mmh", "k.key", "k.key.pub"), l.map(p -> p.getFileName().toString()).sorted()
                    .toList());
        }
    }

    /** Every byte of a signed archive flipped in turn: verify --signed-by never says OK. */
    @Test
    void everyFlippedByteIsCaught() throws IOException {
        Path k = key("k.key");
        Path a = archive(data("d", 9_000, 3));
        assertEquals(0, mmh("sign", "--embed", "-k", s(k), "-t", "t", s(a)), err);
        byte[] signed = Files.readAllBytes(a);
        java.util.TreeMap<Integer, Integer> codes = new java.util.TreeMap<>();
        for (int i = 0; i < signed.length; i++) {
            byte[] b = signed.clone();
            b[i] ^= (byte) (1 << (i % 8));
            Files.write(a, b);
            int code = mmh("verify", "-q", "--signed-by", s(pub(k)), s(a));
            assertTrue(code == ExitCode.DAMAGED || code == ExitCode.AUTH_FAILED && i < 8, "flip at " + i + ": "
                    + code + " " + err);
            codes.merge(code, 1, Integer::sum);
        }
        // a flip in the magic's 8 bytes makes it a file that is not an archive and has no .minisig; every other
        // flip is damage, found by a checksum before any signature is looked at
        assertEquals(java.util.Map.of(ExitCode.DAMAGED, signed.length - 8, ExitCode.AUTH_FAILED, 8), codes);
        Files.write(a, signed);
        assertEquals(0, mmh("verify", "--signed-by", s(pub(k)), s(a)), err);
        assertTrue(out.contains("signature inside OK"), out);
    }

    /** The content altered and every checksum made again (a forger's archive): the signature no longer holds. */
    @Test
    void anotherArchivesContentUnderTheSameSignatureFails() throws IOException {
        Path k = key("k.key");
        Path a = archive(data("d", 30_000, 4));
        Path b = archive(data("e", 30_000, 5));
        assertEquals(0, mmh("sign", "--embed", "-q", "-k", s(k), s(a)), err);
        // b with a's signature section, placed as sign --embed places it: a valid archive whose content differs
        byte[] sa = Files.readAllBytes(a);
        byte[] sb = Files.readAllBytes(b);
        long sigAt;
        long sigLen;
        long bEnd;
        try (SeekableArchive x = SeekableArchive.open(a); SeekableArchive y = SeekableArchive.open(b)) {
            sigAt = ArchiveSignatures.read(x).get(0).offset();
            sigLen = x.footer().indexOffset() - sigAt;
            bEnd = y.footer().indexOffset();
            java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
            o.write(sb, 0, (int) bEnd);
            o.write(sa, (int) sigAt, (int) sigLen);
            dev.mmh.format.ArchiveTail.after(bEnd + sigLen, y.index(), 32).writeTo(o);
            Files.write(b, o.toByteArray());
        }
        assertEquals(ExitCode.AUTH_FAILED, mmh("verify", "--signed-by", s(pub(k)), s(b)));
        assertTrue(err.contains("the signature does not match the file"), err);
        // the trusted comment changed and the section's checksum made again
        byte[] c = sa.clone();
        int comment = (int) sigAt + 16 + 142;
        c[comment] ^= 1;
        LE.put32(c, (int) (sigAt + sigLen - 4), Format.crc(c, (int) sigAt, (int) sigLen - 4));
        Files.write(a, c);
        assertEquals(ExitCode.AUTH_FAILED, mmh("verify", "--signed-by", s(pub(k)), s(a)));
        assertTrue(err.contains("the trusted comment's signature does not match"), err);
    }

    @Test
    void theSignatureSurvivesProtectAndRepair() throws IOException {
        Path k = key("k.key");
        Path a = archive(data("d", 200_000, 6));
        assertEquals(0, mmh("sign", "--embed", "-q", "-k", s(k), s(a)), err);
        assertEquals(0, mmh("protect", "-q", "--recovery", "5%", s(a)), err);
        assertEquals(0, mmh("verify", "--signed-by", s(pub(k)), s(a)), err);
        assertTrue(out.contains("recovery data intact") && out.contains("signature inside OK"), out);
        byte[] good = Files.readAllBytes(a);
        flip(a, 1000);
        flip(a, good.length / 2);
        assertEquals(ExitCode.REPAIRABLE, mmh("verify", "--signed-by", s(pub(k)), s(a)));
        assertEquals(0, mmh("repair", "-q", s(a)), err);
        assertArrayEquals(good, Files.readAllBytes(a));
        assertEquals(0, mmh("verify", "--signed-by", s(pub(k)), s(a)), err);
        assertTrue(out.contains("signature inside OK"), out);
        // the index and footer lost: rebuilt from the blocks, past the signature
        try (SeekableArchive x = SeekableArchive.open(a)) {
            flip(a, x.footer().indexOffset() + 20);
        }
        flip(a, good.length - 10);
        assertEquals(ExitCode.REPAIRABLE, mmh("verify", "--signed-by", s(pub(k)), s(a)));
        assertEquals(0, mmh("repair", "-q", s(a)), err);
        assertArrayEquals(good, Files.readAllBytes(a));
    }

    @Test
    void signingAProtectedArchiveKeepsItRepairable() throws IOException {
        Path k = key("k.key");
        Path a = archive(data("d", 200_000, 7), "--recovery", "5%");
        assertEquals(0, mmh("sign", "--embed", "-q", "-k", s(k), s(a)), err);
        assertEquals(0, mmh("verify", "--signed-by", s(pub(k)), s(a)), err);
        assertTrue(out.contains("recovery data intact") && out.contains("signature inside OK"), out);
        byte[] good = Files.readAllBytes(a);
        long sigAt;
        try (SeekableArchive x = SeekableArchive.open(a)) {
            sigAt = ArchiveSignatures.read(x).get(0).offset();
        }
        flip(a, 5000);
        flip(a, sigAt + 100); // the signature itself is protected
        assertEquals(ExitCode.REPAIRABLE, mmh("verify", "--signed-by", s(pub(k)), s(a)));
        assertEquals(0, mmh("repair", "-q", s(a)), err);
        assertArrayEquals(good, Files.readAllBytes(a));
        assertEquals(0, mmh("verify", "--signed-by", s(pub(k)), s(a)), err);
    }

    @Test
    void anEncryptedArchiveIsSignedAndOpened() throws IOException {
        Path k = key("k.key");
        Path id = dir.resolve("id.txt");
        assertEquals(0, mmh("keygen", "-o", s(id)), err);
        String r = out.strip();
        Path a = archive(data("d", 40_000, 8), "-r", r);
        assertEquals(0, mmh("sign", "--embed", "-q", "-k", s(k), s(a)), err);
        assertEquals(0, mmh("verify", "-i", s(id), "--signed-by", s(pub(k)), s(a)), err);
        assertTrue(out.contains("signature inside OK"), out);
        assertEquals(0, mmh("decompress", "-q", "-i", s(id), s(a), "-o", s(dir.resolve("d.out"))), err);
        assertArrayEquals(Files.readAllBytes(dir.resolve("d")), Files.readAllBytes(dir.resolve("d.out")));
    }

    /** Debian's minisign accepts the signature inside, written out as a .minisig over the message it signs. */
    @Test
    void minisignVerifiesTheSignatureInside() throws Exception {
        assumeTrue(CryptoCliTest.has("minisign"), "minisign not installed");
        Path k = key("k.key");
        Path a = archive(data("d", 30_000, 9));
        assertEquals(0, mmh("sign", "--embed", "-q", "-k", s(k), "-t", "for minisign", s(a)), err);
        try (SeekableArchive x = SeekableArchive.open(a)) {
            Files.write(dir.resolve("message"), ArchiveSignatures.message(x));
            Files.writeString(dir.resolve("message.minisig"), ArchiveSignatures.read(x).get(0).minisig());
        }
        String o = run("minisign", "-V", "-p", s(pub(k)), "-m", "message");
        assertTrue(o.contains("Trusted comment: for minisign"), o);
        byte[] m = Files.readAllBytes(dir.resolve("message"));
        m[40] ^= 1; // another content ID
        Files.write(dir.resolve("message"), m);
        Process p = new ProcessBuilder("minisign", "-V", "-p", s(pub(k)), "-m", "message").directory(dir.toFile())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertNotEquals(0, p.exitValue());
    }

    private String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + o);
        return o;
    }
}
