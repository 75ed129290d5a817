package dev.mmh.engine;

import dev.mmh.AuthenticationFailedException;
import dev.mmh.CorruptDataException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.crypto.minisign.Minisign;
import dev.mmh.format.ArchiveTail;
import dev.mmh.format.BlockHeader;
import dev.mmh.format.FileHeader;
import dev.mmh.format.Format;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.SectionEnvelope;
import dev.mmh.format.SeekableArchive;
import dev.mmh.hash.ContentHash;
import dev.mmh.io.AtomicOutput;
import dev.mmh.io.CriticalSection;
import dev.mmh.io.Positional;
import dev.mmh.recovery.RecoveryData;
import dev.mmh.recovery.RecoveryParams;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Signatures inside archives of the full layout (docs/FORMAT.md, "Signed archives"): {@code S} sections, each a
 * minisign signature (prehashed Ed25519, key id, trusted comment and global signature, made and checked by {@link
 * Minisign}) over a canonical message that names the archive's content: its block hash algorithm, content ID, total
 * raw size and block count. Because {@code protect} and {@code repair} leave the blocks (and so the content ID) as
 * they are, a signature survives both. Stateless; thread-safe.
 */
public final class ArchiveSignatures {
    /** The message's prefix: names the scheme and its version. */
    static final byte[] DOMAIN = "mmh signed archive v1".getBytes(StandardCharsets.US_ASCII);
    /** Bytes of the signed message: prefix, hash algorithm, content ID, total raw size, block count. */
    public static final int MESSAGE_SIZE = DOMAIN.length + 1 + 32 + 8 + 8;
    /** Body bytes before the trusted comment. */
    static final int FIXED = 4 + 2 + 8 + 64 + 64;
    /** Longest trusted comment (UTF-8 bytes) a section holds: what minisign -V reads back on one line. */
    public static final int MAX_COMMENT = 1000;
    /** At most this many signatures in one archive (a reader refuses more, before reading their bodies). */
    public static final int MAX_SIGNATURES = 256;
    private static final byte[] ED_HASHED = {'E', 'D'};

    private ArchiveSignatures() {
    }

    /**
     * One signature found in an archive.
     *
     * @param offset archive offset of its {@code S} section
     * @param keyId the signer's 8-byte minisign key id
     * @param signature Ed25519 over BLAKE2b-512 of the {@link #message}
     * @param global Ed25519 over {@code signature} and the trusted comment's bytes
     * @param trustedComment one line of UTF-8, covered by {@code global}
     */
    public record Embedded(long offset, byte[] keyId, byte[] signature, byte[] global, String trustedComment) {
        /** The key id as minisign prints it (16 uppercase hex digits). */
        public String keyIdHex() {
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = (v << 8) | (keyId[i] & 0xff);
            }
            return String.format(Locale.ROOT, "%016X", v);
        }

        /**
         * The text of a minisign signature file ({@code .minisig}) of this signature: {@code minisign -Vm M -x SIG}
         * accepts it for a file M that holds the archive's {@link #message}.
         */
        public String minisig() {
            Base64.Encoder e = Base64.getEncoder();
            byte[] s = new byte[74];
            System.arraycopy(ED_HASHED, 0, s, 0, 2);
            System.arraycopy(keyId, 0, s, 2, 8);
            System.arraycopy(signature, 0, s, 10, 64);
            return "untrusted comment: mmh signature inside an archive, key " + keyIdHex() + "\n" + e.encodeToString(s)
                    + "\ntrusted comment: " + trustedComment + "\n" + e.encodeToString(global) + "\n";
        }

        /** The {@code S} section's body. */
        byte[] body() {
            byte[] c = trustedComment.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(FIXED + c.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.put((byte) 1).put((byte) 0).putShort((short) c.length).put(ED_HASHED).put(keyId).put(signature)
                    .put(global).put(c);
            return b.array();
        }
    }

    /**
     * The message the signatures of the archive sign: {@code "mmh signed archive v1"} (21 ASCII bytes), the block
     * hash algorithm's id ({@code u8}), the content ID (32 bytes), the total raw size and the block count (each
     * {@code u64} little-endian): 70 bytes. Taken from the index, whose content ID opening checked against the
     * Merkle root of its entries.
     */
    public static byte[] message(SeekableArchive a) {
        ByteBuffer b = ByteBuffer.allocate(MESSAGE_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(DOMAIN).put((byte) a.header().hash().id()).put(a.index().contentId()).putLong(a.index().totalRawSize())
                .putLong(a.index().entries().size());
        return b.array();
    }

    /**
     * The signatures in the archive, in file order: the {@code S} sections between the end of its last block (or of
     * its {@code A} section) and its recovery section (or index). Compact and folder archives hold none. Each
     * section's CRC was checked when the archive was opened; its body is parsed here.
     *
     * @throws CorruptDataException if a section's body is not a signature body
     * @throws UnsupportedFormatException if it has a version or algorithm this build does not know
     */
    public static List<Embedded> read(SeekableArchive a) throws IOException {
        FileHeader h = a.header();
        if (h.compact() || h.folder()) {
            return List.of();
        }
        FileChannel ch = a.channel();
        long end = a.footer().recoveryOffset() != 0 ? a.footer().recoveryOffset() : a.footer().indexOffset();
        List<Embedded> out = new ArrayList<>();
        for (long pos = afterBlocks(a); pos < end; ) {
            SectionEnvelope s = SectionEnvelope.read(ch, pos, end, h.encrypted());
            if (s.magic() == Format.SECTION_SIGNATURE) {
                if (out.size() == MAX_SIGNATURES) {
                    throw new dev.mmh.LimitExceededException("signatures in the archive", MAX_SIGNATURES + 1,
                            MAX_SIGNATURES);
                }
                out.add(parse(SectionEnvelope.readBody(ch, pos, s.length(), Format.SECTION_SIGNATURE), pos));
            }
            pos += s.length();
        }
        return out;
    }

    /** Where the sections after the blocks start: after the last block, or an encrypted archive's A section. */
    private static long afterBlocks(SeekableArchive a) throws IOException {
        if (a.authOffset() >= 0) {
            return a.authOffset() + SectionEnvelope.read(a.channel(), a.authOffset(), a.size(), true).length();
        }
        List<IndexEntry> e = a.index().entries();
        if (e.isEmpty()) {
            return a.header().length();
        }
        IndexEntry last = e.get(e.size() - 1);
        return last.offset() + BlockHeader.size(a.header().hash().length()) + last.storedSize() + 4;
    }

    static Embedded parse(byte[] body, long offset) throws IOException {
        if (body.length < FIXED) {
            throw new CorruptDataException("signature section of " + body.length + " bytes", offset, -1);
        }
        if (body[0] != 1) {
            throw new UnsupportedFormatException("signature section version " + (body[0] & 0xff) + " at offset "
                    + offset);
        }
        if (body[1] != 0) {
            throw new UnsupportedFormatException("reserved byte of the signature section at offset " + offset
                    + " is not 0");
        }
        int len = (body[2] & 0xff) | (body[3] & 0xff) << 8;
        if (body[4] != 'E' || body[5] != 'D') {
            throw new UnsupportedFormatException("signature algorithm of the signature section at offset " + offset
                    + " is not minisign's ED");
        }
        if (len > MAX_COMMENT || body.length != FIXED + len) {
            throw new CorruptDataException("signature section with a trusted comment of " + len + " bytes in a body of "
                    + body.length, offset, -1);
        }
        String comment = new String(body, FIXED, len, StandardCharsets.UTF_8);
        return new Embedded(offset, Arrays.copyOfRange(body, 6, 14), Arrays.copyOfRange(body, 14, 78),
                Arrays.copyOfRange(body, 78, 142), comment);
    }

    /**
     * Signs the archive's {@link #message} with {@code key}, as minisign does; the trusted comment is {@code
     * trustedComment}, or {@code timestamp:SECONDS\tfile:NAME\tcontent:ID} by default.
     *
     * @throws UnsupportedFormatException for an archive whose block hashes are XXH64, which is not collision
     *     resistant: a signature over its content ID would not bind the content against a forger
     */
    public static Embedded sign(SeekableArchive a, Minisign.SecretKey key, String trustedComment, String fileName)
            throws IOException {
        requireSignable(a.header());
        String trusted = trustedComment != null ? trustedComment : "timestamp:" + System.currentTimeMillis() / 1000
                + "\tfile:" + fileName + "\tcontent:" + Format.hex(a.index().contentId());
        if (trusted.getBytes(StandardCharsets.UTF_8).length > MAX_COMMENT) {
            throw new IllegalArgumentException("a trusted comment inside an archive is at most " + MAX_COMMENT
                    + " bytes");
        }
        String text = Minisign.sign(new ByteArrayInputStream(message(a)), fileName, key, trusted);
        List<String> lines = text.lines().toList();
        byte[] s = Base64.getDecoder().decode(lines.get(1));
        byte[] global = Base64.getDecoder().decode(lines.get(3));
        return new Embedded(-1, Arrays.copyOfRange(s, 2, 10), Arrays.copyOfRange(s, 10, 74), global, trusted);
    }

    private static void requireSignable(FileHeader h) throws UnsupportedFormatException {
        if (h.folder()) {
            throw new UnsupportedFormatException("a folder archive cannot hold a signature yet: sign it without "
                    + "--embed (a detached .minisig)");
        }
        if (h.hash() != ContentHash.SHA256) {
            throw new UnsupportedFormatException("a signature inside an archive needs SHA-256 block hashes (compress "
                    + "--hash sha256): its content ID over " + h.hash() + " hashes does not bind the content against "
                    + "forgery; sign it without --embed (a detached .minisig)");
        }
    }

    /**
     * Checks the archive's signatures by {@code key}: the one (or each) whose key id is the key's must verify over
     * the archive's {@link #message}. This checks the signature against the index; the caller must check that the
     * blocks give that index's content ID ({@link Verifier#verify}) to know the content is the signed one.
     *
     * @param where the archive's name, for messages
     * @return what the first signature by the key says
     * @throws AuthenticationFailedException if no signature has the key's id, or one with it does not verify
     */
    public static Minisign.Verified verify(SeekableArchive a, Minisign.PublicKey key, String where)
            throws IOException {
        List<Embedded> all = read(a);
        if (all.isEmpty()) {
            throw new AuthenticationFailedException("no signature: no " + where + ".minisig beside it and none inside");
        }
        byte[] message = message(a);
        Minisign.Verified first = null;
        for (Embedded e : all) {
            if (!Arrays.equals(e.keyId(), key.keyId())) {
                continue;
            }
            if (a.header().hash() != ContentHash.SHA256) {
                throw new AuthenticationFailedException("its signature covers " + a.header().hash()
                        + " block hashes, which do not resist forgery");
            }
            String at = "signature inside at offset " + e.offset();
            Minisign.Verified v = Minisign.verify(new ByteArrayInputStream(message), e.minisig(), key, at);
            if (first == null) {
                first = v;
            }
        }
        if (first == null) {
            StringBuilder ids = new StringBuilder();
            for (Embedded e : all) {
                ids.append(ids.length() == 0 ? "" : ", ").append(e.keyIdHex());
            }
            throw new AuthenticationFailedException("signed by key " + ids + ", not by " + key.id());
        }
        return first;
    }

    /**
     * Adds a signature by {@code key} to the archive file {@code file}, atomically: the archive is copied to a
     * temporary file beside it (a compact archive rewritten in the full layout, as {@code protect} does), the copy is
     * checked ({@link Verifier#verify}: every block's checksums and, unless it is encrypted, its decoded hash), the
     * {@code S} section is written after its other signatures, and its recovery data, if any, is made again over
     * the new bytes with the share it had; then the copy replaces the file. A crash leaves the file as it was.
     *
     * @param trustedComment the signed comment, or {@code null} for the default ({@link #sign})
     * @return the signature added
     */
    public static Embedded embed(Path file, Minisign.SecretKey key, String trustedComment, int threads)
            throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
                AtomicOutput out = AtomicOutput.create(file, true)) {
            boolean compact = SeekableArchive.isCompact(in);
            try (SeekableArchive first = SeekableArchive.of(FileChannel.open(file, StandardOpenOption.READ))) {
                requireSignable(first.header());
            }
            FileChannel tmp = out.channel();
            if (compact) {
                ArchiveProtection.expand(in, tmp, threads);
            } else {
                for (long at = 0, size = in.size(); at < size; ) {
                    long n = in.transferTo(at, size - at, tmp);
                    if (n <= 0) {
                        throw new CorruptDataException("archive ends early", at, -1);
                    }
                    at += n;
                }
            }
            // what is signed is the copy: verified after copying, so a change to the file meanwhile is not signed
            Verifier.Report r = Verifier.verify(out.tempFile(), DecompressOptions.builder().threads(threads).build());
            if (!r.ok()) {
                Verifier.Damage d = r.damage().get(0);
                // what() names the block and offset already
                throw new CorruptDataException(d.what() + "; a damaged archive is not signed (run mmh repair)", -1,
                        -1);
            }
            Embedded added;
            try (FileChannel ch = FileChannel.open(out.tempFile(), StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                added = insert(ch, key, trustedComment, file.getFileName().toString(), threads);
            }
            try (CriticalSection ignored = CriticalSection.enter()) {
                out.commit();
            }
            return added;
        }
    }

    /**
     * Inserts a signature section into the archive of the full layout in {@code ch} (a file nobody else sees yet):
     * after the sections that follow its blocks, before its recovery section, which is then made again with the
     * same share ({@link #shareOf}).
     * Not flushed.
     */
    static Embedded insert(FileChannel ch, Minisign.SecretKey key, String trustedComment, String fileName,
            int threads) throws IOException {
        SeekableArchive a = SeekableArchive.of(ch); // not closed: that would close ch, which the caller owns
        Embedded e = sign(a, key, trustedComment, fileName);
        ArchiveTail old = a.tail();
        long at = old.blocksEnd();
        Optional<ArchiveTail.Section> r = old.section(ArchiveTail.Kind.RECOVERY);
        double share = 0;
        if (r.isPresent()) {
            RecoveryParams p = RecoveryData.read(ch, r.get().bodyOffset()).params();
            share = shareOf(p);
        }
        byte[] section = SectionEnvelope.wrap(Format.SECTION_SIGNATURE, 0, e.body());
        ch.truncate(at);
        Positional.write(ch, ByteBuffer.wrap(section), at);
        ArchiveTail.after(at + section.length, a.index(), a.header().hash().length()).writeAround(ch);
        if (share > 0) {
            ArchiveProtection.addRecovery(ch, share, threads);
        }
        return new Embedded(at, e.keyId(), e.signature(), e.global(), e.trustedComment());
    }

    /**
     * The share recovery data of {@code p} was made with, as {@code protect --recovery} takes it: the first whole
     * percent (then the first 0.1%) whose plan over the same protected length gives the same code, else its parity's
     * share of the protected bytes.
     */
    static double shareOf(RecoveryParams p) throws IOException {
        for (int step : new int[] {100, 1000}) {
            for (int i = 1; i <= step / 2; i++) {
                double f = (double) i / step;
                if (f >= RecoveryParams.MIN_FRACTION && RecoveryParams.plan(p.protectedLength(), f).equals(p)) {
                    return f;
                }
            }
        }
        return Math.min(RecoveryParams.MAX_FRACTION, Math.max(RecoveryParams.MIN_FRACTION, p.parityFraction()));
    }
}
