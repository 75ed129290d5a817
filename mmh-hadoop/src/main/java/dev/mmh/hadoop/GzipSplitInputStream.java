package dev.mmh.hadoop;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.format.Format;
import dev.mmh.gzip.GzipOptions;
import dev.mmh.gzip.ParallelGzipInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.hadoop.fs.PositionedReadable;
import org.apache.hadoop.fs.Seekable;

/**
 * The gzip members that a Hadoop split owns, in a gzip file whose members carry their own size: mmh's output (a
 * {@code BC} subfield, BGZF, for blocks up to 65,280 bytes; {@code MH} for larger ones; docs/GZIP.md) and any BGZF
 * file ({@code bgzip}, htslib). The same contract as {@link MmhSplitInputStream}, with members for blocks: a member
 * belongs to the split in which it starts (the first one to the split at 0), {@link #getPos()} is one past where the
 * member whose bytes were returned last starts (1 for the first).
 *
 * <p>A split that does not start at 0 scans {@code [start, end)} for a member header with such a subfield and no
 * other header field ({@code FLG} = {@code FEXTRA}, as every member but the first of these files has), whose size
 * leads to the end of the file or to another such header. Every member is checked: its deflate data must end exactly
 * at its trailer, and its CRC-32 and ISIZE must match (mmh's exceptions, naming the member's offset).
 *
 * <p>A gzip file whose first member carries no size (gzip, pigz) cannot be split: the split at 0 reads all of it
 * through {@link ParallelGzipInputStream} (any gzip, multi-member too), and the others own nothing.
 *
 * <p>Not thread-safe; {@link #close()} closes the underlying stream.
 */
public final class GzipSplitInputStream extends BlockSplitStream {
    /** Largest member read whole: mmh's largest block (16 MiB) deflated, with room. */
    static final int MAX_MEMBER = 32 << 20;
    private static final int SCAN_BUFFER = 1 << 20;
    private static final int ID1 = 0x1f;
    private static final int ID2 = 0x8b;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int FHCRC = 2;

    private GzipSplitInputStream(InputStream in, long start, long end, int readAhead, boolean whole)
            throws IOException {
        super(in, start, end, readAhead);
        if (!whole) {
            ((Seekable) in).seek(0);
        }
        BufferedInputStream head = new BufferedInputStream(in, 1 << 16);
        head.mark(1 << 17); // the longest header that peekMarked reads: 12 + 65,535 bytes
        Members first = new Members(head, 0);
        boolean marked = first.peekMarked();
        head.reset();
        if (!marked) {
            if (!whole && start > 0) {
                begin(null, 0);
                return;
            }
            ParallelGzipInputStream gz = new ParallelGzipInputStream(head,
                    GzipOptions.builder().pool(pool).build());
            alsoClose(gz);
            begin(() -> {
                byte[] b = new byte[1 << 20];
                int n = gz.readNBytes(b, 0, b.length);
                return n == 0 ? null : new Unit(0, t -> new Chunk(b, n, () -> { }));
            }, 1);
            return;
        }
        if (whole || start == 0) {
            Members m = new Members(head, 0);
            begin(m::next, 1);
            return;
        }
        long at = find(in, Math.max(start, 1), end);
        if (at < 0) {
            begin(null, 0);
            return;
        }
        setStart(at);
        ((Seekable) in).seek(at);
        Members m = new Members(new BufferedInputStream(in, 1 << 16), at);
        begin(m::next, at + 1);
    }

    /**
     * The members of {@code [start, end)} of a gzip file, as the class comment says.
     *
     * @param in the file, also {@link Seekable} and {@link PositionedReadable}; closed by {@link #close()}
     */
    public static GzipSplitInputStream split(InputStream in, long start, long end, int readAhead) throws IOException {
        if (!(in instanceof Seekable) || !(in instanceof PositionedReadable)) {
            throw new IllegalArgumentException("a split needs a seekable stream, not " + in.getClass().getName());
        }
        return new GzipSplitInputStream(in, start, end, readAhead, false);
    }

    /** The whole gzip file read front to back from {@code in} (a pipe is fine); closed by {@link #close()}. */
    public static GzipSplitInputStream whole(InputStream in, int readAhead) throws IOException {
        return new GzipSplitInputStream(in, 0, Long.MAX_VALUE, readAhead, true);
    }

    /**
     * The size a member header at {@code b[i]} declares if it is one that a split may start at ({@code FLG} =
     * {@code FEXTRA} only, {@code XLEN} 6 with {@code BC} or 8 with {@code MH}), else -1. Needs 20 bytes.
     */
    static long sizeAt(byte[] b, int i) {
        if ((b[i] & 0xff) != ID1 || (b[i + 1] & 0xff) != ID2 || b[i + 2] != 8 || b[i + 3] != FEXTRA) {
            return -1;
        }
        int xlen = (b[i + 10] & 0xff) | (b[i + 11] & 0xff) << 8;
        if (xlen == 6 && b[i + 12] == 'B' && b[i + 13] == 'C' && b[i + 14] == 2 && b[i + 15] == 0) {
            return ((b[i + 16] & 0xff) | (b[i + 17] & 0xff) << 8) + 1L;
        }
        if (xlen == 8 && b[i + 12] == 'M' && b[i + 13] == 'H' && b[i + 14] == 4 && b[i + 15] == 0) {
            long size = (b[i + 16] & 0xffL) | (b[i + 17] & 0xffL) << 8 | (b[i + 18] & 0xffL) << 16
                    | (b[i + 19] & 0xffL) << 24;
            return size >= 20 + 8 + 2 && size <= MAX_MEMBER ? size : -1;
        }
        return -1;
    }

    /** Where the first member that starts in {@code [from, to)} starts, or -1. */
    static long find(InputStream in, long from, long to) throws IOException {
        if (from >= to) {
            return -1;
        }
        PositionedReadable pr = (PositionedReadable) in;
        ((Seekable) in).seek(from);
        byte[] buf = new byte[SCAN_BUFFER + 20];
        byte[] next = new byte[20];
        long base = from;
        int len = 0;
        while (true) {
            int n = in.readNBytes(buf, len, buf.length - len);
            len += n;
            boolean eof = len < buf.length;
            // a member is at least 28 bytes long (BGZF's end-of-file member), so at the end of the file every
            // member's 20-byte header is in the buffer
            for (int i = 0; i + 20 <= len; i++) {
                long p = base + i;
                if (p >= to) {
                    return -1;
                }
                long size = (buf[i] & 0xff) != ID1 ? -1 : sizeAt(buf, i);
                if (size < 0) {
                    continue;
                }
                // the member must be followed by the end of the file or by another member of the same kind
                int got = readAt(pr, p + size, next);
                if (got == 0 || got == 20 && sizeAt(next, 0) > 0) {
                    return p;
                }
            }
            if (eof || len < 20) {
                return -1;
            }
            int keep = 19;
            System.arraycopy(buf, len - keep, buf, 0, keep);
            base += len - keep;
            len = keep;
        }
    }

    private static int readAt(PositionedReadable pr, long pos, byte[] b) throws IOException {
        int got = 0;
        while (got < b.length) {
            int n = pr.read(pos + got, b, got, b.length - got);
            if (n <= 0) {
                break;
            }
            got += n;
        }
        return got;
    }

    /** Reads members one after the other from a position where one starts. */
    private static final class Members {
        private final InputStream in;
        private long pos;
        private boolean first;

        Members(InputStream in, long pos) {
            this.in = in;
            this.pos = pos;
            this.first = pos == 0;
        }

        /** Whether the member here carries its size (reads its header: reset the stream after). */
        boolean peekMarked() throws IOException {
            byte[] h = new byte[12];
            int n = in.readNBytes(h, 0, 12);
            if (n < 12 || (h[0] & 0xff) != ID1 || (h[1] & 0xff) != ID2 || (h[3] & FEXTRA) == 0) {
                return false;
            }
            int xlen = (h[10] & 0xff) | (h[11] & 0xff) << 8;
            byte[] x = new byte[xlen];
            return in.readNBytes(x, 0, xlen) == xlen && subfieldSize(x) > 0;
        }

        /** The member size a BC or MH subfield in the extra field {@code x} gives, or -1. */
        static long subfieldSize(byte[] x) {
            for (int i = 0; i + 4 <= x.length; ) {
                int len = (x[i + 2] & 0xff) | (x[i + 3] & 0xff) << 8;
                if (i + 4 + len > x.length) {
                    return -1;
                }
                if (x[i] == 'B' && x[i + 1] == 'C' && len == 2) {
                    return ((x[i + 4] & 0xff) | (x[i + 5] & 0xff) << 8) + 1L;
                }
                if (x[i] == 'M' && x[i + 1] == 'H' && len == 4) {
                    return (x[i + 4] & 0xffL) | (x[i + 5] & 0xffL) << 8 | (x[i + 6] & 0xffL) << 16
                            | (x[i + 7] & 0xffL) << 24;
                }
                i += 4 + len;
            }
            return -1;
        }

        Unit next() throws IOException {
            long start = pos;
            byte[] h = new byte[12];
            int n = in.readNBytes(h, 0, 12);
            if (n == 0) {
                return null;
            }
            if (n < 12 || (h[0] & 0xff) != ID1 || (h[1] & 0xff) != ID2) {
                throw new CorruptDataException("no gzip member starts here (damaged, or data after the last member)",
                        start, -1);
            }
            if (h[2] != 8) {
                throw new UnsupportedFormatException("gzip member at offset " + start + " uses compression method "
                        + (h[2] & 0xff) + ", not deflate (8)");
            }
            int flg = h[3] & 0xff;
            if ((flg & 0xe0) != 0 || (flg & FEXTRA) == 0) {
                throw new CorruptDataException("gzip member without a BC or MH size field in a file whose first "
                        + "member has one (a concatenation with another writer's gzip?)", start, -1);
            }
            int xlen = (h[10] & 0xff) | (h[11] & 0xff) << 8;
            byte[] x = readFully(xlen, start);
            long size = subfieldSize(x);
            if (size < 0) {
                throw new CorruptDataException("gzip member without a BC or MH size field in a file whose first "
                        + "member has one (a concatenation with another writer's gzip?)", start, -1);
            }
            int headerLen = 12 + xlen;
            if ((flg & FNAME) != 0) {
                headerLen += skipZeroTerminated(start);
            }
            if ((flg & FCOMMENT) != 0) {
                headerLen += skipZeroTerminated(start);
            }
            if ((flg & FHCRC) != 0) {
                readFully(2, start);
                headerLen += 2;
            }
            if (size > MAX_MEMBER) {
                throw new LimitExceededException("gzip member at offset " + start, size, MAX_MEMBER);
            }
            if (size < headerLen + 8L) {
                throw new CorruptDataException("gzip member size " + size + " is smaller than its header and trailer",
                        start, -1);
            }
            byte[] body = readFully((int) (size - headerLen), start);
            pos = start + size;
            long owner = first ? 0 : start;
            first = false;
            long dataAt = start + headerLen;
            return new Unit(owner, t -> inflate(body, dataAt, start));
        }

        private int skipZeroTerminated(long start) throws IOException {
            int n = 0;
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new CorruptDataException("truncated gzip header", start, -1);
                }
                n++;
                if (c == 0) {
                    return n;
                }
            }
        }

        private byte[] readFully(int len, long start) throws IOException {
            byte[] b = new byte[len];
            if (in.readNBytes(b, 0, len) < len) {
                throw new CorruptDataException("gzip member cut off (truncated)", start, -1);
            }
            return b;
        }
    }

    /** Inflates one member's deflate data and checks that it ends at the trailer and matches its CRC-32 and ISIZE. */
    static Chunk inflate(byte[] body, long dataAt, long start) throws IOException {
        int dataLen = body.length - 8;
        int crc = (body[dataLen] & 0xff) | (body[dataLen + 1] & 0xff) << 8 | (body[dataLen + 2] & 0xff) << 16
                | (body[dataLen + 3] & 0xff) << 24;
        long isize = (body[dataLen + 4] & 0xffL) | (body[dataLen + 5] & 0xffL) << 8 | (body[dataLen + 6] & 0xffL) << 16
                | (body[dataLen + 7] & 0xffL) << 24;
        if (isize > GzipOptions.MAX_BLOCK_SIZE) {
            throw new LimitExceededException("gzip member at offset " + start + " decoded", isize,
                    GzipOptions.MAX_BLOCK_SIZE);
        }
        byte[] out = new byte[(int) isize];
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(body, 0, dataLen);
            int n = 0;
            while (n < out.length && !inf.finished()) {
                int k = inf.inflate(out, n, out.length - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += k;
            }
            if (!inf.finished()) {
                byte[] probe = new byte[1];
                if (n < out.length || inf.inflate(probe) > 0 || !inf.finished()) {
                    throw new CorruptDataException("deflate data does not end where the member's trailer is "
                            + "(damaged, or ISIZE is wrong)", dataAt, -1);
                }
            }
            if (n != out.length || inf.getRemaining() != 0) {
                throw new CorruptDataException("decoded size or end of deflate data disagrees with the member's "
                        + "trailer (damaged)", dataAt, -1);
            }
        } catch (DataFormatException e) {
            throw new CorruptDataException("invalid deflate data (" + e.getMessage() + ")", dataAt, -1);
        } finally {
            inf.end();
        }
        CRC32 c = new CRC32();
        c.update(out, 0, out.length);
        if ((int) c.getValue() != crc) {
            throw new ChecksumMismatchException("gzip member CRC-32", Format.hex32(crc),
                    Format.hex32((int) c.getValue()), start, -1);
        }
        return new Chunk(out, out.length, () -> { });
    }
}
