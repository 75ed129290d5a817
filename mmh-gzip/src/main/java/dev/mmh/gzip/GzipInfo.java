package dev.mmh.gzip;

import dev.mmh.CorruptDataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * What {@code gzip -l} shows about a file, read without inflating: for files whose members record their size,
 * the exact total of every member's ISIZE; for other files, like gzip, the last member's ISIZE (size modulo
 * 2^32 of the last member only).
 *
 * @param compressedSize bytes of the file
 * @param uncompressedSize uncompressed bytes (see above)
 * @param members members counted (1 when the file is not marked)
 * @param marked whether every member records its size
 * @param name the first member's FNAME, or null
 * @param mtime the first member's MTIME, 0 when absent
 */
public record GzipInfo(long compressedSize, long uncompressedSize, long members, boolean marked, String name,
        long mtime) {

    /** Reads the headers of {@code in} from its current position, which must be the file's start. */
    public static GzipInfo read(SeekableByteChannel in) throws IOException {
        long size = in.size();
        GzipSource src = new GzipSource(in);
        MemberHeader first = ((MemberHeader.Member) MemberHeader.read(src, true)).header();
        if (first.memberSize() < 0) {
            ByteBuffer t = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            in.position(Math.max(0, size - 4));
            while (t.hasRemaining() && in.read(t) > 0) {
                // read the last four bytes
            }
            long isize = t.position() == 4 ? t.getInt(0) & 0xffffffffL : 0;
            return new GzipInfo(size, isize, 1, false, first.name(), first.mtime());
        }
        long total = 0;
        long members = 0;
        MemberHeader h = first;
        while (true) {
            if (h.memberSize() < 0) {
                throw new CorruptDataException("gzip member without a block size among marked members", h.offset(),
                        members);
            }
            long body = h.memberSize() - h.length();
            if (src.skip(body - 4) < body - 4 || src.fill(4) < 4) {
                throw new CorruptDataException("truncated gzip member", src.offset(), members);
            }
            total += src.buffer().getInt(src.buffer().position()) & 0xffffffffL;
            src.skip(4);
            members++;
            MemberHeader.Result r = MemberHeader.read(src, false);
            if (!(r instanceof MemberHeader.Member m)) {
                break;
            }
            h = m.header();
        }
        return new GzipInfo(size, total, members, true, first.name(), first.mtime());
    }
}
