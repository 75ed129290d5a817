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
