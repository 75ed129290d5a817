package dev.mmh.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mmh.AuthenticationFailedException;
import dev.mmh.MmhException;
import dev.mmh.archive.read.Extractor;
import dev.mmh.archive.write.PackRoundTripTest;
import dev.mmh.crypto.age.Identity;
import dev.mmh.crypto.age.ScryptIdentity;
import dev.mmh.crypto.age.ScryptRecipient;
import dev.mmh.crypto.age.X25519Identity;
import dev.mmh.engine.DecompressOptions;
import dev.mmh.engine.Verifier;
import dev.mmh.format.Format;
import dev.mmh.format.LE;
import dev.mmh.format.SeekableArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted folder archives in the library (docs/FORMAT.md, "Encrypted folder archives"): round trips to an X25519
 * recipient and a passphrase, nothing of the names, contents or sizes in the clear, keyed blob IDs that still
 * deduplicate, wrong and missing keys, appends that keep the file key, and a sweep of every flipped byte.
 */
class EncryptedFolderArchiveTest {
    @TempDir
    Path tmp;

    private static final X25519Identity ME = X25519Identity.generate();

    static FolderArchive.WriteOptions encrypted(int threads, List<? extends dev.mmh.crypto.age.Recipient> to) {
        FolderArchive.WriteOptions o = FolderArchiveTest.options(threads);
        return o.withCompress(o.compress().toBuilder().recipients(to).build());
    }

    private static FolderArchive.ReadOptions with(Identity... ids) {
        return FolderArchive.ReadOptions.threads(2).withIdentities(List.of(ids));
    }

    private Path tree(long seed) throws Exception {
        return PackRoundTripTest.randomTree(Files.createDirectories(tmp.resolve("src" + seed)), seed);
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (var s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    m.put(root.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        return m;
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path x : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(x);
            }
        }
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
    void aTreeRoundTripsThroughAnX25519RecipientAndShowsNothingInTheClear() throws Exception {
        Path root = tree(11);
        Files.writeString(root.resolve("secret-name-kumquat.txt"), "the plaintext marker PAPAYA-4711 ".repeat(50));
        Path a = tmp.resolve("a.mmh");
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false, encrypted(2, List.of(ME.recipient())));
        byte[] bytes = Files.readAllBytes(a);
        assertFalse(contains(bytes, "secret-name-kumquat".getBytes(StandardCharsets.UTF_8)), "a name in the clear");
        assertFalse(contains(bytes, "PAPAYA-4711".getBytes(StandardCharsets.UTF_8)), "content in the clear");
        assertFalse(contains(bytes, "copy-of-first".getBytes(StandardCharsets.UTF_8)), "a name in the clear");
        assertEquals(Format.HEADER_ENCRYPTED, LE.get16(bytes, 10), "the header says encrypted");
        byte[] marker = Files.readAllBytes(root.resolve("secret-name-kumquat.txt"));

        Path out = tmp.resolve("out");
        try (FolderArchive f = FolderArchive.open(a, with(ME))) {
            assertTrue(f.encrypted());
            Extractor.Result r = f.extract(1, List.of(), out, Extractor.Options.defaults(2));
            assertTrue(r.ok(), r.problems().toString());
            try (InputStream in = f.read(1, "tree/secret-name-kumquat.txt".getBytes(StandardCharsets.UTF_8))) {
                assertArrayEquals(marker, in.readAllBytes());
            }
        }
        assertEquals(PackRoundTripTest.describe(root), PackRoundTripTest.describe(out.resolve("tree")));
        // checksums without the key, seals with it
        assertTrue(Verifier.verify(a, DecompressOptions.builder().threads(2).build()).ok());
        assertTrue(Verifier.verify(a, DecompressOptions.builder().threads(2).identities(List.of(ME)).build()).ok());
    }

    /**
     * The manifest and the blob tables are sealed: a version's label (the names given) and the table's entries do
     * not appear in the archive, and the sections that hold them are not the plain ones.
     */
    @Test
    void theManifestAndTheBlobTablesAreSealed() throws Exception {
        Path root = tree(18);
        Path a = tmp.resolve("l.mmh");
        FolderArchive.create(List.of(new FolderArchive.Source(root, "quince-label".getBytes(StandardCharsets.UTF_8))),
                a, false, encrypted(1, List.of(ME.recipient())));
        byte[] bytes = Files.readAllBytes(a);
        assertFalse(contains(bytes, "quince-label".getBytes(StandardCharsets.UTF_8)), "the label in the clear");
        try (SeekableArchive sa = SeekableArchive.open(a)) {
            long mo = sa.footer().manifestOffset();
            assertEquals(0, LE.get32(bytes, (int) mo + 4), "a sealed manifest's flags");
            // a plain blob table's body starts with its entry count and page size; a sealed one with a nonce
            int x = (int) (mo - 1);
            while (x > 0 && LE.get32(bytes, x) != Format.SECTION_BLOB_TABLE) {
                x--;
            }
            assertEquals(0, LE.get32(bytes, x + 4), "a sealed blob table's flags (a plain one is self-checked)");
            long sealedLength = LE.get64(bytes, x + 8);
            try (FolderArchive f = FolderArchive.open(a, with(ME))) {
                long blobs = f.info().blobs();
                long pages = (blobs + 4095) / 4096;
                assertEquals(16 + 16 + 36 * pages + 4 + 48 * blobs + 4 + Format.SEAL_OVERHEAD, sealedLength);
            }
        }
    }

    /** Blob IDs are keyed: the same tree has another root ID than in a plain archive, and in every archive. */
    @Test
    void blobIdsAreKeyedPerArchive() throws Exception {
        Path root = tree(16);
        Path plain = tmp.resolve("plain.mmh");
        Path e1 = tmp.resolve("e1.mmh");
        Path e2 = tmp.resolve("e2.mmh");
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), plain, false, FolderArchiveTest.options(1));
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), e1, false, encrypted(1, List.of(ME.recipient())));
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), e2, false, encrypted(1, List.of(ME.recipient())));
        List<dev.mmh.archive.format.BlobId> roots = new ArrayList<>();
        try (FolderArchive f = FolderArchive.open(plain, FolderArchive.ReadOptions.threads(1))) {
            roots.add(f.versions().get(0).root());
        }
        for (Path p : List.of(e1, e2)) {
            try (FolderArchive f = FolderArchive.open(p, with(ME))) {
                roots.add(f.versions().get(0).root());
            }
        }
        assertEquals(3, new java.util.HashSet<>(roots).size(), roots.toString());
    }

    @Test
    void identicalChunksAreStoredOnceUnderKeyedIds() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("dup/tree"));
        byte[] c = new byte[200_000];
        new java.util.Random(3).nextBytes(c);
        for (int i = 0; i < 5; i++) {
            Files.write(root.resolve("copy" + i), c);
        }
        Path a = tmp.resolve("dup.mmh");
        FolderArchive.WriteSummary s = FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false,
                encrypted(2, List.of(ME.recipient())));
        FolderArchive.WriteSummary plain = FolderArchive.create(List.of(FolderArchive.Source.of(root)),
                tmp.resolve("plain.mmh"), false, FolderArchiveTest.options(2));
        assertTrue(s.newBytes() < 2 * 200_000, "five copies stored once: " + s.newBytes());
        assertEquals(plain.newBytes(), s.newBytes(), "as much deduplication as with plain IDs");
    }

    @Test
    void aPassphraseOpensWhatItSealedAndAnotherDoesNot() throws Exception {
        Path root = tree(12);
        Path a = tmp.resolve("p.mmh");
        byte[] pass = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false,
                encrypted(2, List.of(new ScryptRecipient(pass, ScryptRecipient.MIN_LOG_N))));
        Path out = tmp.resolve("out");
        try (FolderArchive f = FolderArchive.open(a, with(new ScryptIdentity(pass)))) {
            assertTrue(f.extract(1, List.of(), out, Extractor.Options.defaults(2)).ok());
        }
        assertEquals(PackRoundTripTest.describe(root), PackRoundTripTest.describe(out.resolve("tree")));
        assertThrows(AuthenticationFailedException.class, () -> FolderArchive.open(a,
                with(new ScryptIdentity("wrong".getBytes(StandardCharsets.UTF_8)))).close());
    }

    @Test
    void aWrongOrMissingKeyIsRefusedBeforeAnythingIsRead() throws Exception {
        Path root = tree(13);
        Path a = tmp.resolve("a.mmh");
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false, encrypted(1, List.of(ME.recipient())));
        assertThrows(AuthenticationFailedException.class,
                () -> FolderArchive.open(a, with(X25519Identity.generate())).close());
        assertThrows(AuthenticationFailedException.class,
                () -> FolderArchive.open(a, FolderArchive.ReadOptions.threads(1)).close());
    }

    @Test
    void anAppendKeepsTheFileKeyAndNeedsAKeyThatOpensTheArchive() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("v"));
        Path root = PackRoundTripTest.randomTree(base, 14);
        Path a = tmp.resolve("a.mmh");
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false, encrypted(2, List.of(ME.recipient())));
        Map<String, byte[]> v1 = files(root);
        byte[] before = Files.readAllBytes(a);
        // no key, a wrong key: refused, the file untouched (not even its committed length written)
        assertThrows(AuthenticationFailedException.class, () -> FolderArchive.append(a,
                List.of(FolderArchive.Source.of(root)), FolderArchiveTest.options(2)));
        assertThrows(AuthenticationFailedException.class, () -> FolderArchive.append(a,
                List.of(FolderArchive.Source.of(root)), FolderArchiveTest.options(2).withIdentities(
                        List.of(X25519Identity.generate()))));
        assertArrayEquals(before, Files.readAllBytes(a), "a refused append changes nothing");

        Files.writeString(root.resolve("added-in-v2"), "second version ".repeat(100));
        FolderArchive.WriteSummary s = FolderArchive.append(a, List.of(FolderArchive.Source.of(root)),
                FolderArchiveTest.options(2).withIdentities(List.of(ME)));
        assertEquals(2, s.version());
        byte[] after = Files.readAllBytes(a);
        assertArrayEquals(java.util.Arrays.copyOfRange(before, 48, 200), java.util.Arrays.copyOfRange(after, 48, 200),
                "the E section (the wrapped file key) is kept");
        assertTrue(s.newBytes() < 10_000, "unchanged files are not stored again: " + s.newBytes());
        try (FolderArchive f = FolderArchive.open(a, with(ME))) {
            assertEquals(2, f.latest());
            Path o1 = tmp.resolve("o1");
            Path o2 = tmp.resolve("o2");
            assertTrue(f.extract(1, List.of(), o1, Extractor.Options.defaults(2)).ok());
            assertTrue(f.extract(2, List.of(), o2, Extractor.Options.defaults(2)).ok());
            assertEquals(v1.keySet(), files(o1.resolve("tree")).keySet());
            assertEquals(files(root).keySet(), files(o2.resolve("tree")).keySet());
        }
        assertTrue(Verifier.verify(a, DecompressOptions.builder().threads(2).identities(List.of(ME)).build()).ok());
        // the nonces of the append's blocks are fresh: no stored-bytes prefix (nonce) repeats across the archive
        List<String> nonces = new ArrayList<>();
        try (SeekableArchive sa = SeekableArchive.open(a)) {
            for (dev.mmh.format.IndexEntry e : sa.index().entries()) {
                byte[] n = new byte[12];
                sa.read(n, e.offset() + dev.mmh.format.BlockHeader.size(8), 12);
                nonces.add(Format.hex(n));
            }
        }
        assertEquals(nonces.size(), new java.util.HashSet<>(nonces).size(), "a nonce used twice");
        assertTrue(nonces.size() >= 2);
    }

    /**
     * The sealed manifest authenticates the end: a footer pointed back at the first version's manifest (its CRC made
     * valid), with the second version's index, is refused; so is the first version's manifest moved elsewhere.
     */
    @Test
    void aFooterPointedAtAnEarlierManifestIsRefused() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("r"));
        Path root = PackRoundTripTest.randomTree(base, 17);
        Path a = tmp.resolve("a.mmh");
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false, encrypted(1, List.of(ME.recipient())));
        byte[] v1 = Files.readAllBytes(a);
        byte[] oldManifest = java.util.Arrays.copyOfRange(v1, v1.length - 80 + 32, v1.length - 80 + 48);
        Files.writeString(root.resolve("more"), "more ".repeat(1000));
        FolderArchive.append(a, List.of(FolderArchive.Source.of(root)),
                FolderArchiveTest.options(1).withIdentities(List.of(ME)));
        byte[] v2 = Files.readAllBytes(a);
        int f = v2.length - 80;
        System.arraycopy(oldManifest, 0, v2, f + 32, 16);
        LE.put32(v2, f + 68, Format.crc(v2, f, 68));
        Files.write(a, v2);
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> FolderArchive.open(a, with(ME)).close());
        assertTrue(e.getMessage().contains("is not the one its manifest"), e.getMessage());
    }

    /** Recovery data covers the ciphertext: protect, append and repair work without any key. */
    @Test
    void protectAppendAndRepairNeedNoKey() throws Exception {
        Path root = tree(15);
        Path a = tmp.resolve("a.mmh");
        FolderArchive.WriteOptions o = encrypted(2, List.of(ME.recipient()));
        o = new FolderArchive.WriteOptions(o.compress(), o.chunker(), false, false, false, 0.10, false);
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false, o);
        Files.writeString(root.resolve("later"), "y".repeat(30_000));
        FolderArchive.append(a, List.of(FolderArchive.Source.of(root)),
                FolderArchiveTest.options(2).withIdentities(List.of(ME)));
        byte[] good = Files.readAllBytes(a);
        byte[] bad = good.clone();
        bad[120] ^= 0x55; // in the E section
        bad[bad.length / 2] ^= 0x55;
        bad[20] ^= 1;
        Files.write(a, bad);
        assertFalse(Verifier.verify(a, DecompressOptions.builder().threads(2).build()).ok());
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(a,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            dev.mmh.engine.Examination e = dev.mmh.engine.Examination.examine(ch, 2);
            assertTrue(e.hasRecovery() && e.repairable(), e.toString());
            dev.mmh.engine.InPlaceRepair.repair(ch, e, 2);
        }
        byte[] fixed = Files.readAllBytes(a);
        // byte for byte, but for the committed length a rebuilt header leaves at 0 (the end of the file)
        assertArrayEquals(java.util.Arrays.copyOf(good, 32), java.util.Arrays.copyOf(fixed, 32));
        assertArrayEquals(java.util.Arrays.copyOfRange(good, 48, good.length),
                java.util.Arrays.copyOfRange(fixed, 48, fixed.length), "repaired without the key");
        try (FolderArchive f = FolderArchive.open(a, with(ME))) {
            assertEquals(2, f.latest());
            try (InputStream in = f.read(2, "tree/later".getBytes(StandardCharsets.UTF_8))) {
                assertEquals(30_000, in.readAllBytes().length);
            }
        }
    }

    /**
     * Every byte of a small encrypted archive flipped in turn: opening and extracting it fails with an mmh error, or
     * leaves out what it could not authenticate; no file is ever restored with other bytes than it was stored with.
     */
    @Test
    void everyFlippedByteIsDetectedAndNoWrongPlaintextIsWritten() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("small/tree"));
        Files.writeString(root.resolve("a.txt"), "alpha ".repeat(40));
        Files.write(root.resolve("b.bin"), new byte[] {1, 2, 3});
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/c.txt"), "gamma");
        Files.createSymbolicLink(root.resolve("link"), Path.of("a.txt"));
        Path a = tmp.resolve("s.mmh");
        FolderArchive.create(List.of(FolderArchive.Source.of(root)), a, false, encrypted(1, List.of(ME.recipient())));
        byte[] intact = Files.readAllBytes(a);
        Map<String, byte[]> want = files(root);
        Path damaged = tmp.resolve("d.mmh");
        int detected = 0;
        for (int i = 0; i < intact.length; i++) {
            byte[] d = intact.clone();
            d[i] ^= 0x40;
            Files.write(damaged, d);
            Path out = tmp.resolve("o" + i);
            boolean failed = false;
            try (FolderArchive f = FolderArchive.open(damaged, with(ME))) {
                Extractor.Result r = f.extract(1, List.of(), out, Extractor.Options.defaults(1));
                failed = !r.ok();
            } catch (MmhException e) {
                failed = true;
            } catch (IOException | RuntimeException e) {
                fail("byte " + i + ": not an mmh error: " + e);
            }
            if (failed) {
                detected++;
            }
            if (Files.exists(out.resolve("tree"))) {
                for (Map.Entry<String, byte[]> e : files(out.resolve("tree")).entrySet()) {
                    assertArrayEquals(want.get(e.getKey()), e.getValue(), "byte " + i + ": " + e.getKey());
                }
            }
            if (Files.exists(out)) {
                deleteTree(out);
            }
            assertTrue(failed, "byte " + i + " of " + intact.length + " flipped and not detected");
        }
        assertEquals(intact.length, detected);
    }
}
