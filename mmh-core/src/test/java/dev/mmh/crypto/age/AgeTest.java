package dev.mmh.crypto.age;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.crypto.Hkdf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mmh's own age files: round trips for every recipient type, thread count and chunk-boundary length, armored too;
 * every flipped byte and every truncation detected; wrong keys refused; known answers for Bech32 (BIP-173 and the
 * age specification's example key), HKDF (RFC 5869), the header and payload labels and the chunk nonce layout.
 */
class AgeTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final X25519Identity ALICE = X25519Identity.generate();

    static byte[] encrypt(byte[] plain, List<? extends Recipient> rs, boolean armor, int threads) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Age.encrypt(new ByteArrayInputStream(plain), out, rs, armor, threads);
        return out.toByteArray();
    }

    static byte[] decrypt(byte[] file, List<? extends Identity> ids, int threads) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Age.decrypt(new ByteArrayInputStream(file), out, ids, threads);
        return out.toByteArray();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void roundTripsAtEveryChunkBoundaryOnAnyThreadCount() throws IOException {
        int c = AgeStream.CHUNK;
        int batch = AgeStream.BATCH * c;
        int[] sizes = {0, 1, c - 1, c, c + 1, 2 * c, batch - 1, batch, batch + 1, 2 * batch + c + 7};
        for (int size : sizes) {
            byte[] plain = random(size, size);
            byte[] one = null;
            for (int threads : new int[] {1, 2, 3}) {
                byte[] f = encrypt(plain, List.of(ALICE.recipient()), false, threads);
                int chunks = Math.max(1, (size + c - 1) / c);
                assertEquals(size + 16L * chunks + 16, f.length - headerLength(f), "size " + size);
                for (int t : new int[] {1, 2, 3}) {
                    assertArrayEquals(plain, decrypt(f, List.of(ALICE), t), size + " bytes, " + threads + "/" + t);
                }
                if (one != null) {
                    assertNotEquals(HEX.formatHex(one, 0, 64), HEX.formatHex(f, 0, 64), "fresh randomness per file");
                }
                one = f;
            }
        }
    }

    private static int headerLength(byte[] f) {
        String s = new String(f, StandardCharsets.ISO_8859_1);
        return s.indexOf('\n', s.indexOf("\n---") + 1) + 1;
    }

    @Test
    void everyRecipientTypeArmoredAndNot() throws IOException {
        byte[] plain = random(200_000, 7);
        HybridIdentity pq = HybridIdentity.generate();
        ScryptRecipient pass = new ScryptRecipient("correct horse".getBytes(StandardCharsets.UTF_8), 10);
        for (boolean armor : new boolean[] {false, true}) {
            HybridIdentity pq2 = HybridIdentity.generate();
            byte[] f = encrypt(plain, List.of(ALICE.recipient(), X25519Identity.generate().recipient()), armor, 2);
            assertEquals(armor, new String(f, 0, 40, StandardCharsets.US_ASCII).startsWith(Armor.BEGIN));
            assertArrayEquals(plain, decrypt(f, List.of(ALICE), 2));
            byte[] q = encrypt(plain, List.of(pq2.recipient(), pq.recipient()), armor, 2);
            assertArrayEquals(plain, decrypt(q, List.of(X25519Identity.generate(), pq), 2));
            assertArrayEquals(plain, decrypt(q, List.of(pq2), 2));
            byte[] p = encrypt(plain, List.of(pass), armor, 2);
            assertArrayEquals(plain, decrypt(p, List.of(new ScryptIdentity("correct horse".getBytes(
                    StandardCharsets.UTF_8))), 1));
            AgeAuthException e = assertThrows(AgeAuthException.class, () -> decrypt(p, List.of(new ScryptIdentity(
                    "correct horsf".getBytes(StandardCharsets.UTF_8))), 1));
            assertEquals("wrong passphrase", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> encrypt(plain, List.of(pass, ALICE.recipient()), false,
                1));
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> encrypt(plain,
                List.of(ALICE.recipient(), pq.recipient()), false, 1));
        assertTrue(mixed.getMessage().startsWith("post-quantum recipients cannot be mixed"), mixed.getMessage());
    }

    @Test
    void wrongKeysAreRefusedWithoutPlaintext() throws IOException {
        byte[] f = encrypt(random(1000, 1), List.of(ALICE.recipient()), false, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgeAuthException e = assertThrows(AgeAuthException.class, () -> Age.decrypt(new ByteArrayInputStream(f), out,
                List.of(X25519Identity.generate(), HybridIdentity.generate()), 2));
        assertEquals(AgeAuthException.Kind.NO_MATCH, e.kind());
        assertTrue(e.getMessage().contains("X25519"), e.getMessage());
        assertEquals(0, out.size());
    }

    @Test
    void everyFlippedByteIsDetected() throws IOException {
        byte[] plain = random(3000, 3);
        for (boolean armor : new boolean[] {false, true}) {
            byte[] f = encrypt(plain, List.of(ALICE.recipient()), armor, 1);
            for (int i = 0; i < f.length; i++) {
                for (int bit : new int[] {0x01, 0x80}) {
                    byte[] m = f.clone();
                    m[i] ^= (byte) bit;
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    final int at = i;
                    try {
                        Age.decrypt(new ByteArrayInputStream(m), out, List.of(ALICE), 1);
                        // base64 armor: a flip of the padding character's unused bits is caught as non-canonical, but
                        // nothing else may decode
                        throw new AssertionError("flip of bit " + bit + " at " + at + " not detected (armor " + armor
                                + ")");
                    } catch (IOException expected) {
                        assertEquals(0, out.size(), "plaintext released after a flip at " + at);
                    }
                }
            }
        }
    }

    @Test
    void truncationAtEveryChunkBoundaryIsDetected() throws IOException {
        int c = AgeStream.CHUNK;
        byte[] plain = random(20 * c + 100, 5);
        byte[] f = encrypt(plain, List.of(ALICE.recipient()), false, 2);
        int payload = headerLength(f) + AgeStream.NONCE_SIZE;
        for (int k = 0; k <= 21; k++) {
            for (int delta : new int[] {0, 1, -1, 16, 17}) {
                int cut = payload + k * AgeStream.SEALED_CHUNK + delta;
                if (cut >= f.length || cut < 0) {
                    continue;
                }
                byte[] t = Arrays.copyOf(f, cut);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                IOException e = assertThrows(IOException.class, () -> Age.decrypt(new ByteArrayInputStream(t), out,
                        List.of(ALICE), 2), "cut at " + cut);
                // whatever was released is a prefix of the plaintext, of whole authenticated chunks
                byte[] got = out.toByteArray();
                assertEquals(0, got.length % c, "released a partial chunk: " + e.getMessage());
                assertArrayEquals(Arrays.copyOf(plain, got.length), got);
                assertTrue(got.length < plain.length);
            }
        }
        // and data appended after the final chunk
        byte[] longer = Arrays.copyOf(f, f.length + 1);
        assertThrows(AgeAuthException.class, () -> decrypt(longer, List.of(ALICE), 2));
    }

    @Test
    void swappedChunksAreDetected() throws IOException {
        int s = AgeStream.SEALED_CHUNK;
        byte[] f = encrypt(random(3 * AgeStream.CHUNK, 9), List.of(ALICE.recipient()), false, 1);
        int p = headerLength(f) + AgeStream.NONCE_SIZE;
        byte[] m = f.clone();
        System.arraycopy(f, p, m, p + s, s);
        System.arraycopy(f, p + s, m, p, s);
        AgeAuthException e = assertThrows(AgeAuthException.class, () -> decrypt(m, List.of(ALICE), 1));
        assertTrue(e.getMessage().contains("chunk 0"), e.getMessage());
    }

    @Test
    void fileChannelsGiveTheStreamsBytes(@TempDir Path dir) throws IOException {
        byte[] plain = random(5 * AgeStream.SEALED_CHUNK * 16 + 123, 11);
        Path p = Files.write(dir.resolve("plain"), plain);
        Path a = dir.resolve("a.age");
        try (var in = java.nio.channels.FileChannel.open(p); var out = java.nio.channels.FileChannel.open(a,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            Age.encrypt(in, out, List.of(ALICE.recipient()), false, 2);
        }
        byte[] f = Files.readAllBytes(a);
        assertArrayEquals(plain, decrypt(f, List.of(ALICE), 2), "from a file channel, to a stream");
        // the age file after 1000 bytes of something else, read from a channel positioned there
        Path shifted = dir.resolve("shifted");
        Files.write(shifted, random(1000, 1));
        Files.write(shifted, f, java.nio.file.StandardOpenOption.APPEND);
        for (int threads : new int[] {1, 3}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (var in = java.nio.channels.FileChannel.open(shifted)) {
                in.position(1000);
                Age.decrypt(in, java.nio.channels.Channels.newChannel(out), List.of(ALICE), threads);
            }
            assertArrayEquals(plain, out.toByteArray());
        }
        // a flipped byte and a cut at a chunk boundary, from a file channel
        int payload = headerLength(f) + AgeStream.NONCE_SIZE;
        byte[] m = f.clone();
        m[payload + 40 * AgeStream.SEALED_CHUNK + 5] ^= 4;
        Files.write(a, m);
        AgeAuthException e = assertThrows(AgeAuthException.class, () -> decryptFile(a));
        assertTrue(e.getMessage().contains("chunk 40 "), e.getMessage());
        Files.write(a, Arrays.copyOf(f, payload + 70 * AgeStream.SEALED_CHUNK));
        e = assertThrows(AgeAuthException.class, () -> decryptFile(a));
        assertTrue(e.getMessage().contains("without a final chunk"), e.getMessage());
    }

    /** What decrypting {@code f} gives: the plaintext released, then the failure's message (or "ok"). */
    private static String outcome(byte[] f, Path file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String why = "ok";
        try {
            if (file == null) {
                Age.decrypt(new ByteArrayInputStream(f), out, List.of(ALICE), 2);
            } else {
                Files.write(file, f);
                try (var in = java.nio.channels.FileChannel.open(file)) {
                    Age.decrypt(in, java.nio.channels.Channels.newChannel(out), List.of(ALICE), 2);
                }
            }
        } catch (AgeAuthException e) {
            why = e.getMessage();
        }
        return HEX.formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(out.toByteArray())) + " "
                + out.size() + " " + why;
    }

    @Test
    void filesReadByTheWorkersFailAsStreamsDo(@TempDir Path dir) throws Exception {
        // a file channel is read by the workers at each batch's offset; a stream by the caller in order: every cut,
        // flip and extension must release the same bytes and fail with the same message either way
        int c = AgeStream.SEALED_CHUNK;
        byte[] plain = random(2 * AgeStream.BATCH * AgeStream.CHUNK + 3 * AgeStream.CHUNK, 13);
        byte[] f = encrypt(plain, List.of(ALICE.recipient()), false, 2);
        int payload = headerLength(f) + AgeStream.NONCE_SIZE;
        Path file = dir.resolve("x.age");
        List<byte[]> cases = new java.util.ArrayList<>();
        cases.add(f);
        cases.add(Arrays.copyOf(f, f.length + 1));
        for (int k : new int[] {0, 1, AgeStream.BATCH - 1, AgeStream.BATCH, AgeStream.BATCH + 1, 2 * AgeStream.BATCH,
            2 * AgeStream.BATCH + 2}) {
            for (int delta : new int[] {0, 1, 16, 17, c - 1}) {
                if (payload + k * c + delta < f.length) {
                    cases.add(Arrays.copyOf(f, payload + k * c + delta));
                }
            }
            byte[] m = f.clone();
            m[payload + k * c + 100] ^= 1;
            cases.add(m);
        }
        int failed = 0;
        for (byte[] t : cases) {
            String stream = outcome(t, null);
            assertEquals(stream, outcome(t, file), "a file of " + t.length + " bytes");
            failed += stream.endsWith(" ok") ? 0 : 1;
        }
        assertEquals(cases.size() - 1, failed, "only the intact file decrypts");
    }

    @Test
    void aFileCutShortWhileItIsReadFailsTheRun(@TempDir Path dir) throws IOException {
        // the workers read up to the size the file had at the start: one that shrinks meanwhile is an error, never a
        // shorter age file (here the channel claims 200,000 bytes more than the file holds)
        byte[] plain = random(3 * AgeStream.BATCH * AgeStream.CHUNK, 17);
        Path p = Files.write(dir.resolve("plain"), plain);
        for (int threads : new int[] {1, 2}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (var in = new dev.mmh.io.ForwardingFileChannel(java.nio.channels.FileChannel.open(p)) {
                @Override
                public long size() throws IOException {
                    return super.size() + 200_000;
                }
            }) {
                IOException e = assertThrows(IOException.class, () -> Age.encrypt(in,
                        java.nio.channels.Channels.newChannel(out), List.of(ALICE.recipient()), false, threads));
                assertEquals("the input ends at byte " + plain.length + ", not " + (plain.length + 200_000)
                        + ": it was cut short while it was read", e.getMessage());
            }
        }
    }

    @Test
    void aPipeIsReadInOrder(@TempDir Path dir) throws Exception {
        // a file channel on a pipe (cat x.age | mmh decrypt: stdin) has no position or size to read it by
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        byte[] plain = random(3 * AgeStream.BATCH * AgeStream.CHUNK + 5, 19);
        byte[] f = encrypt(plain, List.of(ALICE.recipient()), false, 2);
        for (boolean decrypting : new boolean[] {true, false}) {
            Thread writer = new Thread(() -> {
                try {
                    Files.write(fifo, decrypting ? f : plain);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (var in = java.nio.channels.FileChannel.open(fifo)) {
                if (decrypting) {
                    Age.decrypt(in, java.nio.channels.Channels.newChannel(out), List.of(ALICE), 2);
                } else {
                    Age.encrypt(in, java.nio.channels.Channels.newChannel(out), List.of(ALICE.recipient()), false,
                            2);
                }
            }
            writer.join();
            assertArrayEquals(plain, decrypting ? out.toByteArray() : decrypt(out.toByteArray(), List.of(ALICE), 1));
        }
    }

    private static byte[] decryptFile(Path a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var in = java.nio.channels.FileChannel.open(a)) {
            Age.decrypt(in, java.nio.channels.Channels.newChannel(out), List.of(ALICE), 2);
        }
        return out.toByteArray();
    }

    @Test
    void x25519ThroughOpenSslIsTheJdksAndRfc7748s() throws Exception {
        // RFC 7748 section 5.2 vector 1 and section 6.1 (Alice, Bob and their shared secret)
        byte[] k = HEX.parseHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
        byte[] u = HEX.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
        assertEquals("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
                HEX.formatHex(X25519.multiply(k, u)));
        byte[] a = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] b = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
                HEX.formatHex(X25519.publicKey(a)));
        assertEquals("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
                HEX.formatHex(X25519.multiply(a, X25519.publicKey(b))));
        // OpenSSL (where libmmhcrypto is in use) and the JDK agree, a u with its top bit set included (ignored)
        byte[] out = new byte[32];
        boolean openssl = dev.mmh.crypto.CryptoContext.x25519(a, u, out);
        assertEquals(dev.mmh.crypto.CryptoContext.nativeLoadError() == null, openssl);
        SplittableRandom r = new SplittableRandom(23);
        for (int i = 0; i < 50; i++) {
            byte[] s = random(32, r.nextLong());
            byte[] p = random(32, r.nextLong());
            if (i % 2 == 0) {
                p[31] |= (byte) 0x80;
            }
            assertArrayEquals(X25519.jdk(s, p), X25519.multiply(s, p), "pair " + i);
            if (openssl) {
                assertTrue(dev.mmh.crypto.CryptoContext.x25519(s, p, out));
                assertArrayEquals(X25519.jdk(s, p), out, "pair " + i);
            }
        }
        // a point of small order gives all zeros, which age refuses: OpenSSL refuses it, the JDK's answer says why
        byte[] zero = new byte[32];
        assertFalse(dev.mmh.crypto.CryptoContext.x25519(a, zero, out));
        assertThrows(java.security.InvalidKeyException.class, () -> X25519.multiply(a, zero));
        byte[] one = new byte[32];
        one[0] = 1;
        assertThrows(java.security.InvalidKeyException.class, () -> X25519.multiply(a, one));
        // random bytes: OpenSSL's where it is in use, else the JDK's; never the same twice
        assertNotEquals(HEX.formatHex(Wrap.random(32)), HEX.formatHex(Wrap.random(32)));
        byte[] filled = new byte[1000];
        assertEquals(openssl, dev.mmh.crypto.CryptoContext.randomBytes(filled));
        if (openssl) {
            assertFalse(Arrays.equals(new byte[1000], filled));
            assertNotEquals(0, filled[999] | filled[998] | filled[997] | filled[996]);
        }
    }

    @Test
    void bech32KnownAnswers() {
        // BIP-173's valid strings
        assertEquals("a", Bech32.decode("A12UEL5L").hrp());
        assertEquals(0, Bech32.decode("a12uel5l").data().length);
        Bech32.Decoded d = Bech32.decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");
        assertEquals("abcdef", d.hrp());
        assertEquals("00443214c74254b635cf84653a56d7c675be77df", HEX.formatHex(d.data()));
        assertEquals("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", Bech32.encode("abcdef", d.data()));
        // BIP-173's invalid ones: mixed case, bad checksum, no separator, character outside the alphabet
        for (String bad : new String[] {"a1g7sgd8x", "a1Gb", "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx",
            "pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3"}) {
            assertThrows(IllegalArgumentException.class, () -> Bech32.decode(bad), bad);
        }
        // the age specification's example X25519 key and its recipient
        Identity id = AgeKeys.parseIdentity(
                "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX");
        assertEquals("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj",
                ((X25519Identity) id).recipient().toString());
        assertEquals("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX",
                ((X25519Identity) id).encode());
        // and its post-quantum one: the seed of AGE-SECRET-KEY-PQ-1XX76... gives the age1pq1x34n... recipient
        HybridIdentity pq = (HybridIdentity) AgeKeys.parseIdentity(
                "AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR");
        assertTrue(pq.recipient().toString().startsWith("age1pq1x34nzsvr0rxjsgdn8zgyhfe8j7ceq5r9rdelkjuh3y235jz"));
        assertTrue(pq.recipient().toString().endsWith("zsnxhsx8wwtmu9cy3ftzjgwcp4sshn3llnylnpdsyz5jm72vefv4x5vfwytr"
                .substring(0, 10)) || pq.recipient().toString().length() == 1959, pq.recipient().toString().length()
                + "");
        assertEquals(pq.recipient().toString(), AgeKeys.parseRecipient(pq.recipient().toString()).toString());
    }

    @Test
    void hkdfAndLabelsAndNonceLayout() throws IOException {
        // RFC 5869 test case 1
        assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
                HEX.formatHex(Hkdf.sha256(HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
                        HEX.parseHex("000102030405060708090a0b0c"), HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42)));
        // the nonce: 11-byte big-endian counter, then the last-chunk flag
        byte[] n = new byte[12];
        AgeStream.chunkNonce(0x0102030405L, true, n);
        assertEquals("000000000000" + "0102030405" + "01", HEX.formatHex(n));
        AgeStream.chunkNonce(0, false, n);
        assertEquals("000000000000000000000000", HEX.formatHex(n));
        // the header MAC ("header") and payload key ("payload") labels, checked against a CCTV file and its file key
        byte[] v = Files.readAllBytes(Path.of("src/test/resources/cctv/age/x25519"));
        String text = new String(v, StandardCharsets.ISO_8859_1);
        byte[] fileKey = HEX.parseHex(text.replaceAll("(?s).*file key: ([0-9a-f]{32}).*", "$1"));
        int start = text.indexOf("\n\n") + 2;
        int dashes = text.indexOf("\n---", start) + 1;
        int end = text.indexOf('\n', dashes) + 1;
        byte[] macInput = Arrays.copyOfRange(v, start, dashes + 3);
        assertEquals(text.substring(dashes + 4, end - 1), B64.encode(AgeHeader.mac(fileKey, macInput)));
        byte[] nonce = Arrays.copyOfRange(v, end, end + 16);
        byte[] key = AgeStream.payloadKey(fileKey, nonce);
        byte[] chunk = Arrays.copyOfRange(v, end + 16, v.length);
        AgeStream.chunkNonce(0, true, n);
        byte[] plain = Wrap.open(key, n, chunk);
        assertEquals("age", new String(plain, StandardCharsets.US_ASCII).strip().substring(0, 3));
        AgeStream.chunkNonce(0, false, n);
        assertEquals(null, Wrap.open(key, n, chunk), "the last-chunk flag is part of the nonce");
    }

    @Test
    void identityFilesAreReadAndWrittenAsAgeKeygenDoes(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("key.txt");
        Files.writeString(f, AgeKeys.identityFile(ALICE));
        String s = Files.readString(f);
        assertTrue(s.matches("# created: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n# public key: age1[0-9a-z]{58}\n"
                + "AGE-SECRET-KEY-1[0-9A-Z]{58}\n"), s);
        List<Identity> ids = AgeKeys.readIdentities(f);
        assertEquals(1, ids.size());
        Files.writeString(f, "# a comment\n\n" + ALICE.encode() + "\nnot a key\n");
        IOException e = assertThrows(IOException.class, () -> AgeKeys.readIdentities(f));
        assertTrue(e.getMessage().endsWith("line 4: not an age secret key: Bech32: no separator, or no room for the "
                + "checksum") || e.getMessage().contains("line 4"), e.getMessage());
        assertFalse(e.getMessage().contains(ALICE.encode()));
    }
}
