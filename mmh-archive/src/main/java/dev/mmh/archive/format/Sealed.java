package dev.mmh.archive.format;

import dev.mmh.AuthenticationFailedException;
import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.crypto.ArchiveCipher;
import dev.mmh.crypto.CryptoContext;
import dev.mmh.format.Format;
import dev.mmh.format.LE;
import dev.mmh.format.SectionEnvelope;
import dev.mmh.io.ByteArrayChannel;
import dev.mmh.io.ByteChannelFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * The sealed sections of an encrypted folder archive (docs/FORMAT.md, "Encrypted folder archives"): a blob table
 * ({@code X}) or a manifest ({@code M}) whose body is nonce || AEAD ciphertext of the plain body || tag, under the
 * archive's section key, with the section's envelope (type, flags, length) and its offset in the archive as
 * associated data; the envelope's CRC covers the whole section (flags 0), so damage is found without the key. A
 * sealed manifest's plaintext starts with the archive's end as the version wrote it (block count, total raw size,
 * content ID): opening it authenticates the index the footer points to. Stateless; thread-safe.
 */
public final class Sealed {
    /** Bytes before a sealed manifest's body in its plaintext: block count, total raw size, content ID. */
    public static final int MANIFEST_END = 8 + 8 + 32;

    private Sealed() {
    }

    /** The section of type {@code magic} at archive offset {@code offset} that seals {@code plain}. */
    public static byte[] wrap(ArchiveCipher cipher, int magic, long offset, byte[] plain) {
        long length = (long) Format.SECTION_ENVELOPE + plain.length + Format.SEAL_OVERHEAD + 4;
        try (CryptoContext c = CryptoContext.open()) {
            return SectionEnvelope.wrap(magic, 0, cipher.sealSection(c, aad(magic, length, offset), plain));
        }
    }

    /**
     * Reads, checks (envelope and CRC) and opens the sealed section of type {@code magic} at {@code offset} of
     * {@code length} bytes; the plaintext must fit a quarter of the heap.
     *
     * @throws AuthenticationFailedException altered, moved, or from another archive
     */
    public static byte[] open(ArchiveCipher cipher, FileChannel ch, long offset, long length, int magic, String what)
            throws IOException {
        long limit = Math.min(Integer.MAX_VALUE - 64, Runtime.getRuntime().maxMemory() / 4);
        if (length > limit) {
            throw new LimitExceededException(what, length, limit);
        }
        byte[] body = SectionEnvelope.readBody(ch, offset, length, magic);
        try (CryptoContext c = CryptoContext.open()) {
            return cipher.openSection(c, aad(magic, length, offset), body, what + " at offset " + offset);
        }
    }

    /** The associated data: the envelope as written (magic, flags 0, length) and the section's offset. */
    private static byte[] aad(int magic, long length, long offset) {
        byte[] a = new byte[Format.SECTION_ENVELOPE + 8];
        LE.put32(a, 0, magic);
        LE.put64(a, 8, length);
        LE.put64(a, 16, offset);
        return a;
    }

    /** A sealed manifest's plaintext: the end of the archive it was written with, then the manifest's body. */
    public static byte[] manifestPlain(long blocks, long total, byte[] contentId, byte[] body) {
        byte[] p = new byte[MANIFEST_END + body.length];
        LE.put64(p, 0, blocks);
        LE.put64(p, 8, total);
        System.arraycopy(contentId, 0, p, 16, 32);
        System.arraycopy(body, 0, p, MANIFEST_END, body.length);
        return p;
    }

    /**
     * The manifest body of an opened sealed manifest, after checking that the archive's index is the one it was
     * sealed with.
     *
     * @throws AuthenticationFailedException another index (truncated, extended, rebuilt or swapped)
     */
    public static byte[] manifestBody(byte[] plain, long blocks, long total, byte[] contentId, long offset)
            throws IOException {
        if (plain.length < MANIFEST_END) {
            throw new CorruptDataException("sealed manifest of " + plain.length + " bytes", offset, -1);
        }
        if (LE.get64(plain, 0) != blocks || LE.get64(plain, 8) != total
                || !Arrays.equals(plain, 16, 48, contentId, 0, 32)) {
            throw new AuthenticationFailedException("the archive's index is not the one its manifest at offset "
                    + offset + " was sealed with (" + blocks + " blocks, " + total + " bytes; sealed for "
                    + LE.get64(plain, 0) + " blocks, " + LE.get64(plain, 8) + " bytes): truncated, extended or "
                    + "altered");
        }
        return Arrays.copyOfRange(plain, MANIFEST_END, plain.length);
    }

    /** Opens a sealed blob table: its plain section rebuilt in memory and read as {@link BlobTable#open} reads it. */
    public static BlobTable table(ArchiveCipher cipher, FileChannel ch, long offset, long length) throws IOException {
        byte[] plain = open(cipher, ch, offset, length, BlobTable.MAGIC, "blob table");
        byte[] section = SectionEnvelope.wrap(BlobTable.MAGIC, Format.SECTION_SELF_CHECKED, plain);
        return BlobTable.open(ByteChannelFile.of(new ByteArrayChannel(section)), 0, section.length);
    }

    /** Plain table section bytes sealed: the body of {@code section} (as {@link BlobTable#encode} made it). */
    public static byte[] sealTable(ArchiveCipher cipher, long offset, byte[] section) {
        byte[] body = Arrays.copyOfRange(section, Format.SECTION_ENVELOPE, section.length - 4);
        return wrap(cipher, BlobTable.MAGIC, offset, body);
    }
}
