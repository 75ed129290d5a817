package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted archives through the commands: compress to an {@code age-keygen} recipient and to mmh's own, decompress
 * with the identity, wrong key exit 8 and no output, info without key material, verify and repair without the key,
 * a passphrase taken from a file.
 */
class EncryptedArchiveCliTest extends InProcessCli {
    @TempDir
    Path dir;

    private Path text(String name, int n) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int i = 0; s.length() < n; i++) {
            s.append("Project Gutenberg line ").append(i).append(" of a long and rather repetitive text\n");
        }
        return Files.writeString(dir.resolve(name), s.substring(0, n));
    }

    private static boolean contains(byte[] hay, String needle) {
        return new String(hay, StandardCharsets.ISO_8859_1).contains(needle);
    }

    private String s(Path p) {
        return p.toString();
    }

    @Test
    void roundTripWithMmhKeysWrongKeyExitsEightAndLeavesNothing() throws IOException {
        Path src = text("book.txt", 3_000_000);
        Path k = dir.resolve("k.txt");
        Path other = dir.resolve("other.txt");
        assertEquals(0, mmh("keygen", "-o", s(k)));
        String r = out.strip();
        assertEquals(0, mmh("keygen", "-o", s(other)));
        Path a = dir.resolve("book.mmh");
        assertEquals(0, mmh("compress", "-q", "-B", "256K", "-r", r, s(src), "-o", s(a)), err);
        assertFalse(contains(Files.readAllBytes(a), "Gutenberg"), "plaintext visible");
        Path back = dir.resolve("back.txt");
        assertEquals(0, mmh("decompress", "-q", "-i", s(k), s(a), "-o", s(back)), err);
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(back));

        Path wrong = dir.resolve("wrong.txt");
        assertEquals(ExitCode.AUTH_FAILED, mmh("decompress", "-q", "-i", s(other), s(a), "-o", s(wrong)));
        assertFalse(Files.exists(wrong), "a wrong key left an output file");
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains("book.mmh") && err.contains("X25519"), err);
        assertEquals(ExitCode.AUTH_FAILED, mmh("decompress", "-q", s(a), "-o", s(wrong)), "no key at all");
        assertFalse(Files.exists(wrong));

        // info: the recipients' type and count, no key material
        assertEquals(0, mmh("info", s(a)), err);
        assertTrue(out.contains("encryption   AES-256-GCM, 1 recipient (X25519)"), out);
        assertFalse(out.contains(r.substring(10)), "info printed the recipient");
        assertEquals(0, mmh("info", "--json", s(a)), err);
        assertTrue(out.contains("\"recipientTypes\""), out);

        // verify: checksums without the key, seals with it, exit 8 with the wrong one
        assertEquals(0, mmh("verify", s(a)), err);
        assertEquals(0, mmh("verify", "-i", s(k), s(a)), err);
        assertEquals(ExitCode.AUTH_FAILED, mmh("verify", "-q", "-i", s(other), s(a)));
    }

    @Test
    void protectAndRepairWorkWithoutTheKey() throws IOException {
        Path src = text("log.txt", 2_000_000);
        Path k = dir.resolve("k.txt");
        assertEquals(0, mmh("keygen", "-o", s(k)));
        String r = out.strip();
        Path a = dir.resolve("log.mmh");
        assertEquals(0, mmh("compress", "-q", "-B", "128K", "--recovery", "10%", "-r", r, s(src), "-o", s(a)), err);
        byte[] good = Files.readAllBytes(a);
        try (RandomAccessFile f = new RandomAccessFile(a.toFile(), "rw")) {
            f.seek(good.length / 3);
            f.write(new byte[300]);
        }
        assertEquals(ExitCode.REPAIRABLE, mmh("verify", "-q", s(a)));
        assertEquals(0, mmh("repair", s(a)), err);
        assertArrayEquals(good, Files.readAllBytes(a), "repair without the key restores the ciphertext byte for byte");
        Path back = dir.resolve("back.txt");
        assertEquals(0, mmh("decompress", "-q", "-i", s(k), s(a), "-o", s(back)), err);
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(back));
        // protect an archive that had none, without the key
        Path b = dir.resolve("b.mmh");
        assertEquals(0, mmh("compress", "-q", "-B", "128K", "-r", r, s(src), "-o", s(b)), err);
        assertEquals(0, mmh("protect", "--recovery", "5%", s(b)), err);
        assertEquals(0, mmh("verify", "-i", s(k), s(b)), err);
    }

    @Test
    void passphraseFromAFileAndPaddedBlocks() throws IOException {
        Path src = text("notes.txt", 500_000);
        Path pw = Files.writeString(dir.resolve("pw"), "correct horse battery staple\n");
        Path a = dir.resolve("notes.mmh");
        assertEquals(0, mmh("compress", "-q", "--passphrase-file", s(pw), "--pad", s(src), "-o", s(a)), err);
        Path back = dir.resolve("back.txt");
        assertEquals(0, mmh("decompress", "-q", "--passphrase-file", s(pw), s(a), "-o", s(back)), err);
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(back));
        Path bad = Files.writeString(dir.resolve("bad"), "wrong\n");
        Files.delete(back);
        assertEquals(ExitCode.AUTH_FAILED, mmh("decompress", "-q", "--passphrase-file", s(bad), s(a), "-o",
                s(back)));
        assertTrue(err.contains("passphrase"), err);
        assertFalse(Files.exists(back));
        assertEquals(0, mmh("info", s(a)), err);
        assertTrue(out.contains("(scrypt)"), out);
        // --pad without encryption, and a passphrase with a recipient, are usage errors
        assertEquals(ExitCode.USAGE, mmh("compress", "-q", "--pad", s(src), "-o", s(dir.resolve("x.mmh"))));
        assertEquals(ExitCode.USAGE, mmh("compress", "-q", "--passphrase-file", s(pw), "-r",
                "age1j233er52m4va8r85szpwtgewnp40cr40tvzd5zz275rjg2a9s9dq74rp9e", s(src), "-o",
                s(dir.resolve("y.mmh"))));
    }

    @Test
    void archivesToAnAgeKeygenRecipientOpenWithItsIdentity() throws Exception {
        assumeTrue(CryptoCliTest.has("age-keygen"), "age not installed");
        Process p = new ProcessBuilder("age-keygen", "-o", "age.key").directory(dir.toFile()).redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        String key = Files.readString(dir.resolve("age.key"));
        String r = key.lines().filter(l -> l.startsWith("# public key: ")).findFirst().orElseThrow()
                .substring("# public key: ".length());
        Path src = text("data.txt", 1_000_000);
        Path a = dir.resolve("data.mmh");
        assertEquals(0, mmh("compress", "-q", "--codec", "store", "-r", r, s(src), "-o", s(a)), err);
        assertFalse(contains(Files.readAllBytes(a), "Gutenberg"), "stored blocks readable");
        Path back = dir.resolve("back.txt");
        assertEquals(0, mmh("decompress", "-q", "-i", s(dir.resolve("age.key")), s(a), "-o", s(back)), err);
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(back));
        // and a recipients file (-R) with two recipients, either identity opens it
        assertEquals(0, mmh("keygen", "-o", s(dir.resolve("mine.key"))));
        Path rf = Files.write(dir.resolve("recipients.txt"), List.of("# two", r, out.strip()));
        Path two = dir.resolve("two.mmh");
        assertEquals(0, mmh("compress", "-q", "-R", s(rf), s(src), "-o", s(two)), err);
        for (String id : List.of("age.key", "mine.key")) {
            Files.deleteIfExists(back);
            assertEquals(0, mmh("decompress", "-q", "-i", s(dir.resolve(id)), s(two), "-o", s(back)), err);
            assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(back));
        }
    }
}
