package dev.mmh.format;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import java.io.IOException;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The index section (docs/FORMAT.md, "Index section"): one entry per block, the total raw size and the content ID.
 * It is always the last section, directly followed by the footer.
 *
 * <p>An index parsed from an archive keeps the section's bytes and decodes an entry when it is asked for, so it
 * costs the heap what it costs on disk (48 or 72 bytes per block) and no object per block.
 */
public record Index(List<IndexEntry> entries, long totalRawSize, byte[] contentId) {
    /** Offset of the first entry in the section: envelope (16) and block count (8). */
    static final int ENTRIES = Format.SECTION_ENVELOPE + 8;
    /** Bytes after the entries: total raw size, content ID, CRC32C. */
    static final int TRAILER = 8 + 32 + 4;

    /** Encoded size of an index of {@code count} entries with hashes of {@code hashLength} bytes. */
    public static long size(long count, int hashLength) {
        return ENTRIES + count * IndexEntry.size(hashLength) + TRAILER;
    }

    /**
     * Refuses, before anything is allocated, an index of {@code bytes} that a reader would hold in memory when
     * that is more than a quarter of the heap (or more than an array holds): what {@link SeekableArchive} and
     * {@link IndexBuilder} keep is the section's bytes, so this bounds their memory whatever the archive says.
     */
    static void checkHeld(long bytes) throws LimitExceededException {
        long budget = heldBudget();
        if (bytes > budget) {
            throw new LimitExceededException("index held in memory", bytes, budget);
        }
    }

    /** The most bytes of index a reader holds in memory: a quarter of the heap, at most what an array holds. */
    static long heldBudget() {
        return Math.min(Integer.MAX_VALUE - 16, Runtime.getRuntime().maxMemory() / 4);
    }

    public byte[] encode(int hashLength) {
        long n = size(entries.size(), hashLength);
        byte[] b = new byte[Math.toIntExact(n)];
        LE.put32(b, 0, Format.SECTION_INDEX);
        LE.put32(b, 4, 0);
        LE.put64(b, 8, n);
        LE.put64(b, 16, entries.size());
        int p = ENTRIES;
        for (IndexEntry e : entries) {
            p += e.encode(b, p);
        }
        LE.put64(b, p, totalRawSize);
        System.arraycopy(contentId, 0, b, p + 8, 32);
        LE.put32(b, p + 40, Format.crc(b, 0, p + 40));
        return b;
    }

    /**
     * Parses a whole index section: its CRC first, then its flags (none are defined: any bit set is unsupported,
     * {@link Format#requireKnownBits}), then that its length, block count (at most {@link Format#MAX_BLOCKS}) and
     * entries agree. The caller has checked the length against the limits before it read {@code b}.
     *
     * @param b the section, which the returned index keeps (not copied)
     * @param fileOffset where the section starts in the archive, for error messages
     */
    public static Index parse(byte[] b, int hashLength, long fileOffset) throws IOException {
        if (b.length < size(0, hashLength) || LE.get32(b, 0) != Format.SECTION_INDEX) {
            throw new CorruptDataException("index section not found", fileOffset, -1);
        }
        int crc = LE.get32(b, b.length - 4);
        int actual = Format.crc(b, 0, b.length - 4);
        if (crc != actual) {
            throw new ChecksumMismatchException("index checksum", Format.hex32(crc), Format.hex32(actual), fileOffset, -1);
        }
        Format.requireKnownBits("index flags", LE.get32(b, 4) & 0xffffffffL, 0, fileOffset + 4);
        long declared = LE.get64(b, 8);
        long count = LE.get64(b, 16);
        // an array holds fewer than MAX_BLOCKS entries, so a count beyond it cannot fit b (the check keeps
        // size() from overflowing into agreement)
        if (count < 0 || count > Format.MAX_BLOCKS || declared != b.length || size(count, hashLength) != b.length) {
            throw new CorruptDataException("index length and block count disagree", fileOffset, -1);
        }
        int p = b.length - TRAILER;
        byte[] id = Arrays.copyOfRange(b, p + 8, p + 40);
        return new Index(new Entries(b, hashLength, (int) count), LE.get64(b, p), id);
    }

    /** The entries of a parsed section, decoded on access; immutable. */
    private static final class Entries extends AbstractList<IndexEntry> implements RandomAccess {
        private final byte[] section;
        private final int hashLength;
        private final int count;

        Entries(byte[] section, int hashLength, int count) {
            this.section = section;
            this.hashLength = hashLength;
            this.count = count;
        }

        @Override
        public IndexEntry get(int i) {
            Objects.checkIndex(i, count);
            return IndexEntry.decode(section, ENTRIES + i * IndexEntry.size(hashLength), hashLength);
        }

        @Override
        public int size() {
            return count;
        }
    }
}
