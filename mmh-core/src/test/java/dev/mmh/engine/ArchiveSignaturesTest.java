package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.AuthenticationFailedException;
import dev.mmh.CorruptDataException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.crypto.age.X25519Identity;
import dev.mmh.crypto.minisign.Minisign;
import dev.mmh.format.ArchiveTail;
import dev.mmh.format.Format;
import dev.mmh.format.Index;
import dev.mmh.format.IndexBuilder;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.LE;
import dev.mmh.format.SectionEnvelope;
import dev.mmh.format.SeekableArchive;
import dev.mmh.hash.ContentHash;
import dev.mmh.io.Positional;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArchiveSignatures}: the {@code S} section's bytes and minisign's format (checked by {@link Minisign}'s own
 * verifier over the canonical message), the readers accepting the section after the blocks and refusing it
 * elsewhere, the index rebuilt past it, recovery data made again, and the archives that cannot hold one.
 */
class ArchiveSignaturesTest {
    private static final Minisign.SecretKey KEY = Minisign.generate();
    private static final Minisign.SecretKey OTHER = Minisign.generate();

    @TempDir
    Path dir;

    private static byte[] data(int n) {
        Random r = new Random(n);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 4 == 0 ? r.nextInt(256) : 'a' + r.nextInt(5));
        }
        return b;
    }

    private Path archive(String name, byte[] data, ContentHash hash, double recovery) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompressOptions.Builder b = CompressOptions.builder().blockSize(16 * 1024).threads(2).hash(hash);
        Mmh.compress(new ByteArrayInputStream(data), out, b.build());
        Path p = dir.resolve(name);
        Files.write(p, out.toByteArray());
        if (recovery > 0) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ArchiveProtection.addRecovery(ch, recovery, 2);
            }
        }
        return p;
    }

    private static byte[] decompress(byte[] archive) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mmh.decompress(new ByteArrayInputStream(archive), out, DecompressOptions.builder().threads(2).build());
        return out.toByteArray();
    }

    @Test
    void theSectionHoldsMinisignsSignatureOverTheCanonicalMessage() throws IOException {
        byte[] d = data(100_000);
        Path p = archive("a.mmh", d, ContentHash.SHA256, 0);
        long before = Files.size(p);
        ArchiveSignatures.Embedded e = ArchiveSignatures.embed(p, KEY, "release 1.0", 2);
        try (SeekableArchive a = SeekableArchive.open(p)) {
            byte[] m = ArchiveSignatures.message(a);
            // "mmh signed archive v1", hash id 2, content ID, total raw size, block count
            assertEquals(70, m.length);
            assertEquals("mmh signed archive v1", new String(m, 0, 21, StandardCharsets.US_ASCII));
            assertEquals(2, m[21]);
            assertArrayEquals(a.index().contentId(), Arrays.copyOfRange(m, 22, 54));
            assertEquals(100_000, LE.get64(m, 54));
            assertEquals(a.index().entries().size(), LE.get64(m, 62));
            List<ArchiveSignatures.Embedded> all = ArchiveSignatures.read(a);
            assertEquals(1, all.size());
            ArchiveSignatures.Embedded s = all.get(0);
            assertEquals(e.offset(), s.offset());
            assertEquals("release 1.0", s.trustedComment());
            assertArrayEquals(KEY.keyId(), s.keyId());
            // the section: envelope "MMHS", flags 0, body version 1, comment length, "ED", key id, 2 x 64, comment
            byte[] sec = new byte[(int) (16 + 142 + 11 + 4)];
            Positional.read(a.channel(), sec, s.offset(), sec.length);
            assertEquals(Format.SECTION_SIGNATURE, LE.get32(sec, 0));
            assertEquals(0, LE.get32(sec, 4));
            assertEquals(sec.length, LE.get64(sec, 8));
            assertEquals(1, sec[16]);
            assertEquals(0, sec[17]);
            assertEquals(11, LE.get16(sec, 18));
            assertEquals("ED", new String(sec, 20, 2, StandardCharsets.US_ASCII));
            assertArrayEquals(KEY.keyId(), Arrays.copyOfRange(sec, 22, 30));
            assertEquals("release 1.0", new String(sec, 158, 11, StandardCharsets.UTF_8));
            assertEquals(Format.crc(sec, 0, sec.length - 4), LE.get32(sec, sec.length - 4));
            assertEquals(before + sec.length, Files.size(p));
            // minisign's own verifier accepts the signature as a .minisig over the message, and nothing else
            Minisign.Verified v = Minisign.verify(new ByteArrayInputStream(m), s.minisig(), KEY.publicKeyOf(), "m");
            assertEquals("release 1.0", v.trustedComment());
            assertEquals(KEY.publicKeyOf().id(), v.keyId());
            byte[] other = m.clone();
            other[30] ^= 1; // another content ID
            assertThrows(AuthenticationFailedException.class, () -> Minisign.verify(new ByteArrayInputStream(other),
                    s.minisig(), KEY.publicKeyOf(), "m"));
            String altered = s.minisig().replace("release 1.0", "release 1.1");
            assertThrows(AuthenticationFailedException.class, () -> Minisign.verify(new ByteArrayInputStream(m),
                    altered, KEY.publicKeyOf(), "m"));
            assertEquals("release 1.0", ArchiveSignatures.verify(a, KEY.publicKeyOf(), "a").trustedComment());
            AuthenticationFailedException x = assertThrows(AuthenticationFailedException.class,
                    () -> ArchiveSignatures.verify(a, OTHER.publicKeyOf(), "a"));
            assertEquals("signed by key " + KEY.publicKeyOf().id() + ", not by " + OTHER.publicKeyOf().id(),
                    x.getMessage());
        }
        // a stream reader skips it
        assertArrayEquals(d, decompress(Files.readAllBytes(p)));
    }

    @Test
    void severalSignaturesEachCheckWithTheirKey() throws IOException {
        Path p = archive("two.mmh", data(50_000), ContentHash.SHA256, 0);
        ArchiveSignatures.embed(p, KEY, null, 1);
        ArchiveSignatures.embed(p, OTHER, "second", 1);
        try (SeekableArchive a = SeekableArchive.open(p)) {
            List<ArchiveSignatures.Embedded> all = ArchiveSignatures.read(a);
            assertEquals(2, all.size());
            assertTrue(all.get(0).trustedComment().matches("timestamp:\\d+\tfile:two\\.mmh\tcontent:"
                    + Format.hex(a.index().contentId())), all.get(0).trustedComment());
            assertEquals("second", ArchiveSignatures.verify(a, OTHER.publicKeyOf(), "p").trustedComment());
            assertEquals(all.get(0).trustedComment(),
                    ArchiveSignatures.verify(a, KEY.publicKeyOf(), "p").trustedComment());
        }
    }

    /** Repair rebuilds the index from the blocks: it must step over the signature as it does over an A section. */
    @Test
    void theIndexRebuiltFromTheBlocksStepsOverTheSignature() throws IOException {
        Path p = archive("r.mmh", data(80_000), ContentHash.SHA256, 0.05);
        ArchiveSignatures.embed(p, KEY, "x", 2);
        try (SeekableArchive a = SeekableArchive.open(p)) {
            long end = a.footer().recoveryOffset();
            assertTrue(end > ArchiveSignatures.read(a).get(0).offset());
            Index rebuilt = IndexBuilder.fromBlocks((b, pos, len) -> Positional.read(a.channel(), b, pos, len), end);
            assertArrayEquals(a.index().encode(32), rebuilt.encode(32));
        }
    }

    @Test
    void recoveryDataIsMadeAgainWithTheSameShareAndCoversTheSignature() throws IOException {
        Path p = archive("rec.mmh", data(300_000), ContentHash.SHA256, 0.05);
        long rLength;
        try (SeekableArchive a = SeekableArchive.open(p)) {
            rLength = a.footer().recoveryLength();
        }
        ArchiveSignatures.embed(p, KEY, "x", 2);
        try (SeekableArchive a = SeekableArchive.open(p);
                FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ArchiveSignatures.Embedded s = ArchiveSignatures.read(a).get(0);
            // directly before the recovery section, which protects it
            assertEquals(a.footer().recoveryOffset(), s.offset() + 16 + 142 + 1 + 4);
            // the share of 5% again, over the longer protected range
            assertEquals(dev.mmh.recovery.RecoveryParams.plan(a.footer().recoveryOffset(), 0.05),
                    dev.mmh.recovery.RecoveryData.read(ch, a.footer().recoveryOffset() + 16).params());
            assertTrue(Math.abs(a.footer().recoveryLength() - rLength) < rLength / 50,
                    a.footer().recoveryLength() + " vs " + rLength);
            assertTrue(Examination.examine(ch, 1).clean());
        }
    }

    @Test
    void anEncryptedArchiveIsSignedAfterItsAuthenticationSection() throws IOException {
        X25519Identity id = X25519Identity.generate();
        byte[] d = data(40_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mmh.compress(new ByteArrayInputStream(d), out, CompressOptions.builder().blockSize(8192).threads(2)
                .hash(ContentHash.SHA256).recipients(List.of(id.recipient())).build());
        Path p = Files.write(dir.resolve("e.mmh"), out.toByteArray());
        ArchiveSignatures.embed(p, KEY, "sealed", 2);
        try (SeekableArchive a = SeekableArchive.open(p)) {
            assertTrue(ArchiveSignatures.read(a).get(0).offset() > a.authOffset());
            assertEquals("sealed", ArchiveSignatures.verify(a, KEY.publicKeyOf(), "e").trustedComment());
        }
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        Mmh.decompress(new ByteArrayInputStream(Files.readAllBytes(p)), plain, DecompressOptions.builder().threads(2)
                .identities(List.of(id)).build());
        assertArrayEquals(d, plain.toByteArray());
    }

    @Test
    void aCompactArchiveIsRewrittenInTheFullLayout() throws IOException {
        byte[] d = data(3000);
        Path p = archive("c.mmh", d, ContentHash.SHA256, 0);
        try (FileChannel ch = FileChannel.open(p)) {
            assertTrue(SeekableArchive.isCompact(ch));
        }
        ArchiveSignatures.embed(p, KEY, "c", 1);
        try (SeekableArchive a = SeekableArchive.open(p)) {
            assertTrue(!a.header().compact());
            assertEquals("c", ArchiveSignatures.verify(a, KEY.publicKeyOf(), "c").trustedComment());
        }
        assertArrayEquals(d, decompress(Files.readAllBytes(p)));
    }

    @Test
    void archivesWithXxh64HashesAreRefusedAndLeftAsTheyWere() throws IOException {
        Path p = archive("x.mmh", data(30_000), ContentHash.XXH64, 0);
        byte[] before = Files.readAllBytes(p);
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
                () -> ArchiveSignatures.embed(p, KEY, null, 1));
        assertTrue(e.getMessage().contains("SHA-256 block hashes"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p));
        try (var l = Files.list(dir)) {
            assertEquals(List.of("x.mmh"), l.map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    void bodiesOfAnotherVersionOrLengthAreRefused() throws IOException {
        Path p = archive("b.mmh", data(20_000), ContentHash.SHA256, 0);
        byte[] body = ArchiveSignatures.embed(p, KEY, "abc", 1).body();
        assertEquals("abc", ArchiveSignatures.parse(body, 0).trustedComment());
        byte[] v2 = body.clone();
        v2[0] = 2;
        assertThrows(UnsupportedFormatException.class, () -> ArchiveSignatures.parse(v2, 0));
        byte[] longer = Arrays.copyOf(body, body.length + 1);
        assertThrows(CorruptDataException.class, () -> ArchiveSignatures.parse(longer, 0));
        byte[] alg = body.clone();
        alg[5] = 'd';
        assertThrows(UnsupportedFormatException.class, () -> ArchiveSignatures.parse(alg, 0));
    }

    /** A signature section before a block, or after the recovery section, is refused by both readers. */
    @Test
    void aSignatureSectionOutOfPlaceIsRefused() throws IOException {
        Path p = archive("o.mmh", data(60_000), ContentHash.SHA256, 0);
        byte[] sig = SectionEnvelope.wrap(Format.SECTION_SIGNATURE, 0,
                ArchiveSignatures.embed(archive("o2.mmh", data(60_000), ContentHash.SHA256, 0), KEY, "o", 1).body());
        byte[] bytes = Files.readAllBytes(p);
        Index index;
        try (SeekableArchive a = SeekableArchive.open(p)) {
            index = a.index();
        }
        // the section before the last block: every later offset moves
        List<IndexEntry> entries = new ArrayList<>(index.entries());
        int last = entries.size() - 1;
        long at = entries.get(last).offset();
        long end = index.entries().get(last).offset() + (bytes.length - 64 - index.encode(32).length - at);
        entries.set(last, entries.get(last).at(at + sig.length));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(bytes, 0, (int) at);
        b.write(sig);
        b.write(bytes, (int) at, (int) (end - at));
        ArchiveTail.after(end + sig.length, new Index(entries, index.totalRawSize(), index.contentId()), 32)
                .writeTo(b);
        byte[] before = b.toByteArray();
        Path q = Files.write(dir.resolve("before.mmh"), before);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> SeekableArchive.open(q).close());
        assertTrue(e.getMessage().contains("block after a signature section"), e.getMessage());
        CorruptDataException s = assertThrows(CorruptDataException.class, () -> decompress(before));
        assertTrue(s.getMessage().contains("block after a signature section"), s.getMessage());
        CorruptDataException r = assertThrows(CorruptDataException.class, () -> IndexBuilder.fromBlocks(
                (buf, pos, len) -> {
                    int n = (int) Math.max(0, Math.min(len, before.length - pos));
                    System.arraycopy(before, (int) pos, buf, 0, n);
                    return n;
                }, end + sig.length));
        assertTrue(r.getMessage().contains("block after a signature section"), r.getMessage());
        // the same archive with the section after its last block reads
        ByteArrayOutputStream good = new ByteArrayOutputStream();
        good.write(bytes, 0, (int) end);
        good.write(sig);
        ArchiveTail.after(end + sig.length, index, 32).writeTo(good);
        Path g = Files.write(dir.resolve("good.mmh"), good.toByteArray());
        try (SeekableArchive a = SeekableArchive.open(g)) {
            assertEquals(1, ArchiveSignatures.read(a).size());
        }
        assertArrayEquals(data(60_000), decompress(good.toByteArray()));
    }

    @Test
    void aSignatureSectionAfterTheRecoverySectionIsRefused() throws IOException {
        Path p = archive("ar.mmh", data(60_000), ContentHash.SHA256, 0.05);
        byte[] sig = SectionEnvelope.wrap(Format.SECTION_SIGNATURE, 0,
                ArchiveSignatures.embed(archive("ar2.mmh", data(60_000), ContentHash.SHA256, 0), KEY, "o", 1).body());
        byte[] bytes = Files.readAllBytes(p);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (SeekableArchive a = SeekableArchive.open(p)) {
            long rEnd = a.footer().recoveryOffset() + a.footer().recoveryLength();
            b.write(bytes, 0, (int) rEnd);
            b.write(sig);
            ArchiveTail t = ArchiveTail.after(a.footer().recoveryOffset(), a.index(), 32)
                    .withSection(ArchiveTail.Kind.RECOVERY, a.footer().recoveryLength() - 20);
            // the tail as if the index followed the recovery section, moved past the signature
            ByteBuffer[] parts = ArchiveTail.after(rEnd + sig.length, a.index(), 32).encode();
            byte[] index = new byte[parts[0].remaining()];
            parts[0].get(index);
            b.write(index);
            byte[] footer = t.footer().encode();
            LE.put64(footer, 0, rEnd + sig.length);
            LE.put64(footer, 32, rEnd + sig.length + index.length + 64);
            LE.put32(footer, 52, Format.crc(footer, 0, 52));
            b.write(footer);
        }
        byte[] after = b.toByteArray();
        Path q = Files.write(dir.resolve("after.mmh"), after);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> SeekableArchive.open(q).close());
        assertTrue(e.getMessage().contains("a signature section after the recovery section"), e.getMessage());
        CorruptDataException s = assertThrows(CorruptDataException.class, () -> decompress(after));
        assertTrue(s.getMessage().contains("a signature section after the recovery section"), s.getMessage());
    }

    @Test
    void theShareOfRecoveryDataIsReadBackAsProtectTakesIt() throws IOException {
        for (double share : new double[] {0.01, 0.05, 0.1, 0.2}) {
            Path p = archive("s" + share + ".mmh", data(2_000_000), ContentHash.SHA256, share);
            try (FileChannel ch = FileChannel.open(p);
                    SeekableArchive a = SeekableArchive.open(p)) {
                assertEquals(share, ArchiveSignatures.shareOf(dev.mmh.recovery.RecoveryData.read(ch,
                        a.footer().recoveryOffset() + 16).params()), 1e-9);
            }
        }
    }
}
