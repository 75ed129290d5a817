package dev.mmh.format;

import java.util.Arrays;

/**
 * One row of the index (seek table): where a block starts and what its header says.
 *
 * @param offset archive offset of the block section
 */
public record IndexEntry(long offset, long rawSize, long transformedSize, long storedSize, int codecId, int level,
        int transformId, int transformParam, int reason, byte[] rawHash) {

    public static IndexEntry of(long offset, BlockHeader h) {
        return new IndexEntry(offset, h.rawSize(), h.transformedSize(), h.storedSize(), h.codecId(), h.level(),
                h.transformId(), h.transformParam(), h.reason(), h.rawHash());
    }

    /** Encoded size of an entry whose raw hash has {@code hashLength} bytes (docs/FORMAT.md, "Index entry"). */
    public static int size(int hashLength) {
        return Format.INDEX_ENTRY_FIXED + hashLength;
    }

    /**
     * Writes the entry's canonical encoding (as in the index section) at {@code b[off]}; returns its size. The
     * stream reader digests these bytes for the blocks it reads and compares them with the index's.
     */
    public int encode(byte[] b, int off) {
        LE.put64(b, off, offset);
        LE.put64(b, off + 8, rawSize);
        LE.put64(b, off + 16, transformedSize);
        LE.put64(b, off + 24, storedSize);
        b[off + 32] = (byte) codecId;
        b[off + 33] = (byte) level;
        b[off + 34] = (byte) transformId;
        b[off + 35] = (byte) reason;
        LE.put32(b, off + 36, transformParam);
        System.arraycopy(rawHash, 0, b, off + Format.INDEX_ENTRY_FIXED, rawHash.length);
        return size(rawHash.length);
    }

    /** The entry encoded at {@code b[off]}. */
    public static IndexEntry decode(byte[] b, int off, int hashLength) {
        byte[] h = new byte[hashLength];
        System.arraycopy(b, off + Format.INDEX_ENTRY_FIXED, h, 0, hashLength);
        return new IndexEntry(LE.get64(b, off), LE.get64(b, off + 8), LE.get64(b, off + 16), LE.get64(b, off + 24),
                b[off + 32] & 0xff, b[off + 33], b[off + 34] & 0xff, LE.get32(b, off + 36), b[off + 35] & 0xff, h);
    }

    /** This entry for the same block section at another offset. */
    public IndexEntry at(long newOffset) {
        return new IndexEntry(newOffset, rawSize, transformedSize, storedSize, codecId, level, transformId,
                transformParam, reason, rawHash);
    }

    /** Whether a block header found at {@code offset} agrees with this entry. */
    public boolean matches(long offset, BlockHeader h) {
        return this.offset == offset && rawSize == h.rawSize() && transformedSize == h.transformedSize()
                && storedSize == h.storedSize() && codecId == h.codecId() && level == h.level()
                && transformId == h.transformId() && transformParam == h.transformParam() && reason == h.reason()
                && Arrays.equals(rawHash, h.rawHash());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexEntry e && offset == e.offset && rawSize == e.rawSize
                && transformedSize == e.transformedSize && storedSize == e.storedSize && codecId == e.codecId
                && level == e.level && transformId == e.transformId && transformParam == e.transformParam
                && reason == e.reason
                && Arrays.equals(rawHash, e.rawHash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + Arrays.hashCode(rawHash);
    }
}
