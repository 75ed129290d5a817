package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mmh.AuthenticationFailedException;
import dev.mmh.MmhException;
import dev.mmh.crypto.age.Identity;
import dev.mmh.crypto.age.Recipient;
import dev.mmh.crypto.age.ScryptIdentity;
import dev.mmh.crypto.age.ScryptRecipient;
import dev.mmh.crypto.age.X25519Identity;
import dev.mmh.format.ArchiveTail;
import dev.mmh.format.Format;
import dev.mmh.format.Index;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.LE;
import dev.mmh.format.SeekableArchive;
import dev.mmh.hash.MerkleTree;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encrypted archives through the engine: round trips, wrong keys, and every kind of tampering the issue names. */
class EncryptedArchiveTest {
    private static final X25519Identity ALICE = X25519Identity.generate();
    private static final X25519Identity BOB = X25519Identity.generate();
    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    private static byte[] text(int n, long seed) {
        Random r = new Random(seed);
        String[] words = {"Project ", "Gutenberg ", "tale ", "of ", "two ", "cities ", "it ", "was ", "the ", "best "};
        StringBuilder s = new StringBuilder();
        while (s.length() < n) {
            s.append(words[r.nextInt(words.length)]);
        }
        return s.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] compress(byte[] data, String codec, List<? extends Recipient> to) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mmh.compress(new ByteArrayInputStream(data), out, CompressOptions.builder().codec(codec).blockSize(BLOCK)
                .threads(2).recipients(to).build());
        return out.toByteArray();
    }

    static byte[] decompress(byte[] archive, List<? extends Identity> ids) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mmh.decompress(new ByteArrayInputStream(archive), out, DecompressOptions.builder().threads(2).identities(ids)
                .build());
        return out.toByteArray();
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void roundTripsAndHidesThePlaintextWhateverTheCodec() throws IOException {
        byte[] data = text(5 * BLOCK + 123, 1);
        byte[] needle = "Gutenberg".getBytes(StandardCharsets.US_ASCII);
        for (String codec : List.of("zstd", "store", "lz4")) {
            byte[] a = compress(data, codec, List.of(ALICE.recipient()));
            assertFalse(contains(a, needle), codec + ": plaintext visible");
            assertArrayEquals(data, decompress(a, List.of(ALICE)), codec);
            // two recipients: either opens it
            byte[] both = compress(data, codec, List.of(BOB.recipient(), ALICE.recipient()));
            assertArrayEquals(data, decompress(both, List.of(ALICE)), codec);
            assertArrayEquals(data, decompress(both, List.of(BOB)), codec);
        }
        // the header says it is encrypted, and the layout is the full one even for one block
        byte[] one = compress(text(100, 2), "zstd", List.of(ALICE.recipient()));
        assertEquals(Format.HEADER_ENCRYPTED, LE.get16(one, 10));
        assertEquals(Format.VERSION, LE.get16(one, 8));
        assertArrayEquals(text(100, 2), decompress(one, List.of(ALICE)));
        assertArrayEquals(new byte[0], decompress(compress(new byte[0], "zstd", List.of(ALICE.recipient())),
                List.of(ALICE)));
    }

    @Test
    void paddedBlocksRoundTripAndHaveAPadmeLength() throws IOException {
        for (int n : new int[] {0, 1, 100, BLOCK - 1, BLOCK, 3 * BLOCK + 17}) {
            byte[] data = text(n, n);
            for (String codec : List.of("zstd", "store")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Mmh.compress(new ByteArrayInputStream(data), out, CompressOptions.builder().codec(codec)
                        .blockSize(BLOCK).threads(2).recipients(List.of(ALICE.recipient())).pad(true).build());
                byte[] a = out.toByteArray();
                assertArrayEquals(data, decompress(a, List.of(ALICE)), codec + " " + n);
                for (long[] b : blocks(a)) {
                    long sealed = b[1] - 56 - 4 - Format.SEAL_OVERHEAD;
                    assertEquals(Format.padme(sealed), sealed, "not a Padmé length: " + sealed);
                }
                // the same data unpadded: padded stored sizes are never smaller
                byte[] plain = compress(data, codec, List.of(ALICE.recipient()));
                assertTrue(a.length >= plain.length - 32, codec + " " + n);
            }
        }
        assertEquals(1024, Format.padme(1024)); // a power of two is already a Padmé length
        assertEquals(1088, Format.padme(1029)); // E = 10, S = 4: a multiple of 2^(10-4) = 64
        assertEquals(8650752, Format.padme(8 * 1024 * 1024 + 4)); // E = 23, S = 5: of 2^18
    }

    @Test
    void theStreamsAndTheChannelReadAndWriteEncryptedArchives() throws IOException {
        byte[] data = text(7 * BLOCK + 99, 12);
        CompressOptions o = CompressOptions.builder().codec("zstd").blockSize(BLOCK).threads(2)
                .recipients(List.of(ALICE.recipient())).identities(List.of(ALICE)).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (dev.mmh.stream.MmhOutputStream w = new dev.mmh.stream.MmhOutputStream(out, o)) {
            w.write(data);
        }
        byte[] a = out.toByteArray();
        assertFalse(contains(a, "Gutenberg".getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(data, decompress(a, List.of(ALICE)));
        try (dev.mmh.stream.MmhInputStream r = new dev.mmh.stream.MmhInputStream(new ByteArrayInputStream(a), o)) {
            assertArrayEquals(data, r.readAllBytes());
        }
        assertThrows(AuthenticationFailedException.class, () -> new dev.mmh.stream.MmhInputStream(
                new ByteArrayInputStream(a), o.toBuilder().identities(List.of(BOB)).build()).close());
        Path p = dir.resolve("stream.mmh");
        Files.write(p, a);
        try (dev.mmh.stream.MmhChannel ch = dev.mmh.stream.MmhChannel.open(p, o, 4)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(5000);
            ch.position(3 * BLOCK - 17);
            ch.read(b);
            assertArrayEquals(Arrays.copyOfRange(data, 3 * BLOCK - 17, 3 * BLOCK - 17 + 5000), b.array());
        }
        assertThrows(AuthenticationFailedException.class, () -> dev.mmh.stream.MmhChannel.open(p,
                o.toBuilder().identities(List.of(BOB)).build(), 4).close());
    }

    @Test
    void passphraseRoundTrip() throws IOException {
        byte[] data = text(3 * BLOCK, 3);
        byte[] pw = "correct horse".getBytes(StandardCharsets.UTF_8);
        byte[] a = compress(data, "zstd", List.of(new ScryptRecipient(pw, ScryptRecipient.MIN_LOG_N)));
        assertArrayEquals(data, decompress(a, List.of(new ScryptIdentity(pw))));
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> decompress(a, List.of(new ScryptIdentity("wrong".getBytes(StandardCharsets.UTF_8)))));
        assertTrue(e.getMessage().contains("passphrase"), e.getMessage());
    }

    @Test
    void wrongOrMissingKeyFailsAuthentication() throws IOException {
        byte[] a = compress(text(3 * BLOCK, 4), "zstd", List.of(ALICE.recipient()));
        assertThrows(AuthenticationFailedException.class, () -> decompress(a, List.of(BOB)));
        assertThrows(AuthenticationFailedException.class, () -> decompress(a, List.of()));
    }

    @Test
    void everyFlippedByteIsDetected() throws IOException {
        byte[] data = text(3 * BLOCK + 500, 5);
        byte[] a = compress(data, "zstd", List.of(ALICE.recipient()));
        for (int i = 0; i < a.length; i++) {
            byte[] m = a.clone();
            m[i] ^= 0x20;
            try {
                byte[] out = decompress(m, List.of(ALICE));
                fail("flip at " + i + " of " + a.length + " not detected (" + out.length + " bytes decoded)");
            } catch (MmhException expected) {
                // detected
            }
        }
    }

    /** Block section offsets and lengths, from the index of an archive held in memory. */
    private List<long[]> blocks(byte[] a) throws IOException {
        Path p = dir.resolve("blocks.mmh");
        Files.write(p, a);
        List<long[]> r = new ArrayList<>();
        try (SeekableArchive s = SeekableArchive.open(p)) {
            for (IndexEntry e : s.index().entries()) {
                r.add(new long[] {e.offset(), 56 + e.storedSize() + 4}); // header (XXH64), stored bytes, CRC
            }
        }
        return r;
    }

    @Test
    void truncationWithARebuiltIndexIsDetected() throws IOException {
        byte[] data = text(6 * BLOCK, 6);
        byte[] a = compress(data, "zstd", List.of(ALICE.recipient()));
        Path p = dir.resolve("t.mmh");
        Files.write(p, a);
        List<IndexEntry> entries;
        long authAt;
        long authLen;
        try (SeekableArchive s = SeekableArchive.open(p)) {
            entries = s.index().entries();
            authAt = s.authOffset();
            authLen = s.tail().indexOffset() - authAt;
        }
        for (int k = 0; k < entries.size(); k++) {
            // what an attacker without the key can do: keep the first k blocks and write a consistent index
            long end = k == 0 ? entries.get(0).offset() : entries.get(k - 1).offset() + 56 + entries.get(k - 1)
                    .storedSize() + 4;
            MerkleTree m = new MerkleTree();
            long total = 0;
            for (int i = 0; i < k; i++) {
                m.add(entries.get(i).rawSize(), entries.get(i).rawHash());
                total += entries.get(i).rawSize();
            }
            for (boolean keepAuth : new boolean[] {false, true}) {
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                o.write(a, 0, (int) end);
                long at = end;
                if (keepAuth) {
                    o.write(a, (int) authAt, (int) authLen);
                    at += authLen;
                }
                ArchiveTail.after(at, new Index(entries.subList(0, k), total, m.root()), 8).writeTo(o);
                byte[] cut = o.toByteArray();
                assertThrows(AuthenticationFailedException.class, () -> decompress(cut, List.of(ALICE)),
                        "cut after " + k + " blocks, auth kept " + keepAuth);
                Path q = dir.resolve("cut.mmh");
                Files.write(q, cut);
                if (!keepAuth) {
                    assertThrows(AuthenticationFailedException.class, () -> SeekableArchive.open(q).close());
                } else {
                    Verifier.Report r = Verifier.verify(q, DecompressOptions.builder().identities(List.of(ALICE))
                            .build());
                    assertFalse(r.ok(), "verify -i of a cut archive");
                }
            }
        }
    }

    @Test
    void swappedOrForeignBlocksAreDetected() throws IOException {
        byte[] data = text(4 * BLOCK, 7);
        byte[] a = compress(data, "store", List.of(ALICE.recipient()));
        byte[] b = compress(text(4 * BLOCK, 8), "store", List.of(ALICE.recipient()));
        List<long[]> ba = blocks(a);
        List<long[]> bb = blocks(b);
        // store codec: every block has the same length, so blocks can be exchanged byte for byte
        assertEquals(ba.get(1)[1], ba.get(2)[1]);
        byte[] swapped = a.clone();
        System.arraycopy(a, (int) ba.get(2)[0], swapped, (int) ba.get(1)[0], (int) ba.get(1)[1]);
        System.arraycopy(a, (int) ba.get(1)[0], swapped, (int) ba.get(2)[0], (int) ba.get(2)[1]);
        assertThrows(MmhException.class, () -> decompress(swapped, List.of(ALICE)));
        byte[] foreign = a.clone();
        assertEquals(ba.get(1)[1], bb.get(1)[1]);
        System.arraycopy(b, (int) bb.get(1)[0], foreign, (int) ba.get(1)[0], (int) ba.get(1)[1]);
        assertThrows(MmhException.class, () -> decompress(foreign, List.of(ALICE)));
        // the index (and end) of another archive to the same recipient
        long tailA = ba.get(ba.size() - 1)[0] + ba.get(ba.size() - 1)[1];
        long tailB = bb.get(bb.size() - 1)[0] + bb.get(bb.size() - 1)[1];
        assertEquals(tailA, tailB);
        byte[] mixed = Arrays.copyOf(a, a.length);
        System.arraycopy(b, (int) tailB, mixed, (int) tailA, b.length - (int) tailB);
        assertThrows(MmhException.class, () -> decompress(mixed, List.of(ALICE)));
    }

    @Test
    void noncesAreNeverRepeatedAndProtectKeepsTheCiphertext() throws IOException {
        byte[] data = text(8 * BLOCK, 9);
        Set<String> nonces = new HashSet<>();
        for (int run = 0; run < 3; run++) {
            byte[] a = compress(data, "zstd", List.of(ALICE.recipient()));
            for (long[] blk : blocks(a)) {
                int at = (int) blk[0] + 56;
                assertTrue(nonces.add(Arrays.toString(Arrays.copyOfRange(a, at, at + 12))), "nonce repeated");
            }
            // protect adds parity over the ciphertext: every block byte stays, the archive still opens and verifies
            Path p = dir.resolve("p" + run + ".mmh");
            Files.write(p, a);
            try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.READ,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ArchiveProtection.protectInPlace(ch, 0.1, 2);
            }
            byte[] prot = Files.readAllBytes(p);
            List<long[]> bl = blocks(a);
            long end = bl.get(bl.size() - 1)[0] + bl.get(bl.size() - 1)[1];
            assertArrayEquals(Arrays.copyOf(a, (int) end), Arrays.copyOf(prot, (int) end));
            assertArrayEquals(data, decompress(prot, List.of(ALICE)));
            assertTrue(Verifier.verify(p, DecompressOptions.builder().build()).ok(), "verify without the key");
            assertTrue(Verifier.verify(p, DecompressOptions.builder().identities(List.of(ALICE)).build()).ok());
            assertThrows(AuthenticationFailedException.class,
                    () -> Verifier.verify(p, DecompressOptions.builder().identities(List.of(BOB)).build()));
        }
    }

    @Test
    void verifyWithoutTheKeyFindsDamageWithTheKeyFindsForgery() throws IOException {
        byte[] a = compress(text(4 * BLOCK, 10), "zstd", List.of(ALICE.recipient()));
        List<long[]> bl = blocks(a);
        Path p = dir.resolve("v.mmh");
        // a flipped stored byte: the CRC catches it without the key
        byte[] d = a.clone();
        d[(int) bl.get(1)[0] + 70] ^= 1;
        Files.write(p, d);
        assertFalse(Verifier.verify(p, DecompressOptions.builder().build()).ok());
        // a forger who fixes the CRC after changing a byte: only the key catches it
        byte[] f = a.clone();
        int at = (int) bl.get(1)[0];
        int stored = (int) bl.get(1)[1] - 56 - 4;
        f[at + 56 + 20] ^= 1;
        LE.put32(f, at + 56 + stored, Format.crc(f, at + 56, stored));
        Files.write(p, f);
        assertTrue(Verifier.verify(p, DecompressOptions.builder().build()).ok(), "checksums alone cannot see it");
        Verifier.Report r = Verifier.verify(p, DecompressOptions.builder().identities(List.of(ALICE)).build());
        assertFalse(r.ok());
        assertNotEquals(-1, r.damage().get(0).block());
    }
}
