package dev.mmh.format;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The index section (docs/FORMAT.md, "Index section"): one entry per block, the total raw size and the content ID.
 * It is always the last section, directly followed by the footer.
 */
public record Index(List<IndexEntry> entries, long totalRawSize, byte[] contentId) {

    /** Encoded size of an index of {@code count} entries with hashes of {@code hashLength} bytes. */
    public static long size(long count, int hashLength) {
        return Format.SECTION_ENVELOPE + 8 + count * (Format.INDEX_ENTRY_FIXED + hashLength) + 8 + 32 + 4;
    }

    public byte[] encode(int hashLength) {
        long n = size(entries.size(), hashLength);
        byte[] b = new byte[Math.toIntExact(n)];
        LE.put32(b, 0, Format.SECTION_INDEX);
        LE.put32(b, 4, 0);
        LE.put64(b, 8, n);
        LE.put64(b, 16, entries.size());
        int p = 24;
        for (IndexEntry e : entries) {
            LE.put64(b, p, e.offset());
            LE.put64(b, p + 8, e.rawSize());
            LE.put64(b, p + 16, e.transformedSize());
            LE.put64(b, p + 24, e.storedSize());
            b[p + 32] = (byte) e.codecId();
            b[p + 33] = (byte) e.level();
            b[p + 34] = (byte) e.transformId();
            b[p + 35] = (byte) e.reason();
            LE.put32(b, p + 36, e.transformParam());
            System.arraycopy(e.rawHash(), 0, b, p + Format.INDEX_ENTRY_FIXED, hashLength);
            p += Format.INDEX_ENTRY_FIXED + hashLength;
        }
        LE.put64(b, p, totalRawSize);
        System.arraycopy(contentId, 0, b, p + 8, 32);
        LE.put32(b, p + 40, Format.crc(b, 0, p + 40));
        return b;
    }

    /**
     * Parses a whole index section whose length was already checked against the limits: its CRC first, then its
     * flags (none are defined: any bit set is unsupported, {@link Format#requireKnownBits}), then its length and
     * block count.
     *
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
        if (declared != b.length || count < 0 || count > Format.MAX_BLOCKS || size(count, hashLength) != b.length) {
            throw new CorruptDataException("index length and block count disagree", fileOffset, -1);
        }
        List<IndexEntry> list = new ArrayList<>((int) count);
        int p = 24;
        for (long i = 0; i < count; i++) {
            byte[] h = new byte[hashLength];
            System.arraycopy(b, p + Format.INDEX_ENTRY_FIXED, h, 0, hashLength);
            list.add(new IndexEntry(LE.get64(b, p), LE.get64(b, p + 8), LE.get64(b, p + 16), LE.get64(b, p + 24),
                    b[p + 32] & 0xff, b[p + 33], b[p + 34] & 0xff, LE.get32(b, p + 36), b[p + 35] & 0xff, h));
            p += Format.INDEX_ENTRY_FIXED + hashLength;
        }
        long total = LE.get64(b, p);
        byte[] id = new byte[32];
        System.arraycopy(b, p + 8, id, 0, 32);
        return new Index(List.copyOf(list), total, id);
    }
}
