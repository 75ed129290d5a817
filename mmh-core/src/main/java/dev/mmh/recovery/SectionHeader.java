package dev.mmh.recovery;

import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.format.Format;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One copy of the recovery section header (128 bytes, little-endian; layout in docs/RECOVERY-FORMAT.md).
 * Two identical copies (but for the copy number) sit at the two ends of the section. Immutable.
 *
 * @param sectionOffset absolute offset of the section's first byte in the file that holds it
 * @param sidecar whether the section protects another file (a {@code .mmhr} sidecar) rather than the bytes
 *     before it in the same file
 * @param digest the protected range's digest (see {@link Digest})
 */
record SectionHeader(RecoveryParams params, long sectionOffset, boolean sidecar, long digest) {
    /** "\x89MMHREC\n": high bit set and a line feed, so text tools and transfers that mangle bytes show up. */
    static final byte[] MAGIC = {(byte) 0x89, 'M', 'M', 'H', 'R', 'E', 'C', '\n'};
    static final int VERSION = 1;
    /** Reed-Solomon over GF(2^8) mod 0x11D, roots alpha^b .. alpha^(b+m-1), b = -floor(m/2). */
    static final int CODE_RS_GF256 = 1;
    static final int FLAG_SIDECAR = 1;
    private static final int RESERVED_OFFSET = 72;
    private static final int CRC_OFFSET = RecoveryParams.HEADER_SIZE - 4;

    byte[] encode(int copy) {
        ByteBuffer b = ByteBuffer.allocate(RecoveryParams.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC);
        b.putShort((short) VERSION);
        b.put((byte) copy);
        b.put((byte) (sidecar ? FLAG_SIDECAR : 0));
        b.put((byte) CODE_RS_GF256);
        b.put((byte) params.parityRows());
        b.putShort((short) params.dataRows());
        b.putInt(params.shardSize());
        b.putInt(params.tableChunkEntries());
        b.putLong(params.protectedLength());
        b.putLong(params.dataShards());
        b.putLong(params.codeWords());
        b.putLong(sectionOffset);
        b.putLong(params.sectionLength());
        b.putLong(digest);
        byte[] out = b.array();
        CRC32C crc = new CRC32C();
        crc.update(out, 0, CRC_OFFSET);
        b.putInt(CRC_OFFSET, (int) crc.getValue());
        return out;
    }

    /** Whether {@code b[off..]} starts with the header magic. */
    static boolean hasMagic(byte[] b, int off) {
        return Arrays.equals(b, off, off + MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * Parses and validates a header copy found at absolute offset {@code foundAt}.
     *
     * @return the header and its copy number (as {@link Parsed})
     * @throws CorruptDataException if the magic, CRC, fields or position do not check out
     */
    static Parsed parse(byte[] b, int off, long foundAt)
            throws CorruptDataException, UnsupportedFormatException, LimitExceededException {
        if (b.length - off < RecoveryParams.HEADER_SIZE || !hasMagic(b, off)) {
            throw new CorruptDataException("no recovery header magic", foundAt, -1);
        }
        ByteBuffer h = ByteBuffer.wrap(b, off, RecoveryParams.HEADER_SIZE).slice().order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(b, off, CRC_OFFSET);
        int stored = h.getInt(CRC_OFFSET);
        if ((int) crc.getValue() != stored) {
            throw new CorruptDataException("recovery header checksum mismatch", foundAt, -1);
        }
        // the checksum matched: what this version does not know was written on purpose (docs/FORMAT.md, "Principles")
        int version = h.getShort(8) & 0xFFFF;
        if (version != VERSION) {
            throw Format.unsupported("unknown recovery data version " + version, foundAt + 8, -1);
        }
        int copy = h.get(10) & 0xFF;
        int flags = h.get(11) & 0xFF;
        int code = h.get(12) & 0xFF;
        Format.requireKnownBits("recovery header flags", flags, FLAG_SIDECAR, foundAt + 11);
        if (code != CODE_RS_GF256) {
            throw Format.unsupported("unknown recovery code " + code, foundAt + 12, -1);
        }
        Format.requireZero("reserved bytes of the recovery header", b, off + RESERVED_OFFSET,
                CRC_OFFSET - RESERVED_OFFSET, foundAt + RESERVED_OFFSET);
        if (copy > 1) {
            throw new CorruptDataException("recovery header copy number " + copy, foundAt, -1);
        }
        int m = h.get(13) & 0xFF;
        int k = h.getShort(14) & 0xFFFF;
        long s = h.getInt(16) & 0xFFFFFFFFL;
        long chunk = h.getInt(20) & 0xFFFFFFFFL;
        RecoveryParams p = RecoveryParams.validated(h.getLong(24), s, h.getLong(32), k, m, h.getLong(40), chunk);
        long sectionOffset = h.getLong(48);
        long sectionLength = h.getLong(56);
        if (sectionLength != p.sectionLength()) {
            throw new CorruptDataException("recovery section length " + sectionLength + " disagrees with its "
                    + "parameters", foundAt, -1);
        }
        if (sectionOffset < 0 || sectionOffset > Long.MAX_VALUE - sectionLength
                || sectionOffset + p.headerOffset(copy) != foundAt) {
            throw new CorruptDataException("recovery header copy " + copy + " is not where it says", foundAt, -1);
        }
        boolean sidecar = (flags & FLAG_SIDECAR) != 0;
        if (!sidecar && sectionOffset < p.protectedLength()) {
            throw new CorruptDataException("recovery section overlaps the range it protects", foundAt, -1);
        }
        return new Parsed(new SectionHeader(p, sectionOffset, sidecar, h.getLong(64)), copy);
    }

    /** A parsed header and the copy number it carried. */
    record Parsed(SectionHeader header, int copy) {}
}
