package dev.mmh.gzip;

import dev.mmh.CorruptDataException;
import dev.mmh.NotMmhFormatException;
import dev.mmh.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * A parsed gzip member header.
 *
 * @param offset absolute offset of the member's first byte
 * @param length header length in bytes
 * @param mtime MTIME field, seconds since the epoch (0: none)
 * @param name FNAME field (ISO-8859-1, at most {@link #MAX_NAME} characters kept) or null
 * @param memberSize total member size from a BC or MH subfield, or -1 when the member carries none
 */
record MemberHeader(long offset, int length, long mtime, String name, long memberSize) {
    /** Longest FNAME kept; longer names are read past but cut. */
    static final int MAX_NAME = 4096;

    /** Outcome of looking for a member where one may start. */
    sealed interface Result permits Member, End, Garbage {
    }

    record Member(MemberHeader header) implements Result {
    }

    /** The input ended cleanly. */
    record End() implements Result {
    }

    /** Bytes that are not a gzip member follow the last member, starting at {@code offset}. */
    record Garbage(long offset) implements Result {
    }

    /**
     * Parses the member header at the source's position.
     *
     * @param first whether this is the first member (where non-gzip bytes mean "not gzip" rather than garbage)
     */
    static Result read(GzipSource src, boolean first) throws IOException {
        long start = src.offset();
        int avail = src.fill(GzipFormat.FIXED_HEADER);
        ByteBuffer b = src.buffer();
        int p = b.position();
        if (avail == 0 && !first) {
            return new End();
        }
        if (avail < 2 || (b.get(p) & 0xff) != GzipFormat.ID1 || (b.get(p + 1) & 0xff) != GzipFormat.ID2) {
            if (first) {
                throw new NotMmhFormatException(avail == 0 ? "empty input: not in gzip format"
                        : "not in gzip format (no gzip magic at offset " + start + ")");
            }
            return new Garbage(start);
        }
        if (avail < GzipFormat.FIXED_HEADER) {
            throw new CorruptDataException("truncated gzip header", start, -1);
        }
        int cm = b.get(p + 2) & 0xff;
        if (cm != GzipFormat.CM_DEFLATE) {
            throw new UnsupportedFormatException(
                    "gzip member at offset " + start + " uses compression method " + cm + ", not deflate (8)");
        }
        int flg = b.get(p + 3) & 0xff;
        if ((flg & GzipFormat.FLG_RESERVED) != 0) {
            throw new CorruptDataException("gzip header has reserved flag bits set (FLG " + flg + ")", start + 3, -1);
        }
        long mtime = b.getInt(p + 4) & 0xffffffffL;
        CRC32 headerCrc = new CRC32();
        consume(src, GzipFormat.FIXED_HEADER, headerCrc);
        int length = GzipFormat.FIXED_HEADER;
        long memberSize = -1;
        if ((flg & GzipFormat.FEXTRA) != 0) {
            if (src.fill(2) < 2) {
                throw new CorruptDataException("truncated gzip header: end of input in the extra length", src.offset(),
                        -1);
            }
            int xlen = src.buffer().getShort(src.buffer().position()) & 0xffff;
            consume(src, 2, headerCrc);
            int got = src.fill(xlen);
            if (got < xlen) {
                throw new CorruptDataException("truncated gzip header: extra field declares " + xlen
                        + " bytes, only " + got + " remain", src.offset(), -1);
            }
            memberSize = markedSize(src.buffer(), src.buffer().position(), xlen);
            consume(src, xlen, headerCrc);
            length += 2 + xlen;
        }
        String name = null;
        if ((flg & GzipFormat.FNAME) != 0) {
            StringBuilder s = new StringBuilder();
            length += skipZeroTerminated(src, headerCrc, s, "file name");
            name = s.toString();
        }
        if ((flg & GzipFormat.FCOMMENT) != 0) {
            length += skipZeroTerminated(src, headerCrc, null, "comment");
        }
        if ((flg & GzipFormat.FHCRC) != 0) {
            if (src.fill(2) < 2) {
                throw new CorruptDataException("truncated gzip header: end of input in the header CRC", src.offset(),
                        -1);
            }
            int stored = src.buffer().getShort(src.buffer().position()) & 0xffff;
            int actual = (int) headerCrc.getValue() & 0xffff;
            if (stored != actual) {
                throw new dev.mmh.ChecksumMismatchException("gzip header CRC-16", Integer.toHexString(stored),
                        Integer.toHexString(actual), src.offset(), -1);
            }
            consume(src, 2, null);
            length += 2;
        }
        if (memberSize >= 0 && memberSize < length + GzipFormat.TRAILER + 2L) {
            throw new CorruptDataException("gzip block size field says " + memberSize
                    + " bytes, less than the member's header and trailer", start, -1);
        }
        return new Member(new MemberHeader(start, length, mtime, name, memberSize));
    }

    /** The member size from a BC or MH subfield, or -1; malformed subfield lists are ignored like gzip does. */
    private static long markedSize(ByteBuffer b, int p, int xlen) {
        int end = p + xlen;
        while (p + 4 <= end) {
            int si1 = b.get(p) & 0xff;
            int si2 = b.get(p + 1) & 0xff;
            int len = b.getShort(p + 2) & 0xffff;
            if (p + 4 + len > end) {
                return -1;
            }
            if (si1 == GzipFormat.BC_SI1 && si2 == GzipFormat.BC_SI2 && len == 2) {
                return (b.getShort(p + 4) & 0xffff) + 1L;
            }
            if (si1 == GzipFormat.MH_SI1 && si2 == GzipFormat.MH_SI2 && len == 4) {
                return b.getInt(p + 4) & 0xffffffffL;
            }
            p += 4 + len;
        }
        return -1;
    }

    private static void consume(GzipSource src, int n, CRC32 crc) {
        ByteBuffer b = src.buffer();
        if (crc != null) {
            crc.update(b.duplicate().limit(b.position() + n));
        }
        b.position(b.position() + n);
    }

    private static int skipZeroTerminated(GzipSource src, CRC32 crc, StringBuilder keep, String what)
            throws IOException {
        int n = 0;
        while (true) {
            if (src.fill(1) < 1) {
                throw new CorruptDataException("truncated gzip header: end of input in the " + what, src.offset(), -1);
            }
            ByteBuffer b = src.buffer();
            int c = b.get(b.position()) & 0xff;
            consume(src, 1, crc);
            n++;
            if (c == 0) {
                return n;
            }
            if (keep != null && keep.length() < MAX_NAME) {
                keep.append((char) c);
            }
        }
    }
}
