package dev.mmh.hadoop;

import dev.mmh.CorruptDataException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.format.BlockHeader;
import dev.mmh.format.FileHeader;
import dev.mmh.format.Format;
import dev.mmh.format.LE;
import dev.mmh.format.StoredBlock;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.IntFunction;
import org.apache.hadoop.fs.Seekable;

/**
 * The block sections of an archive read from anywhere in it, without its index: what a Hadoop split that does not
 * start at offset 0 needs. {@link #find} scans for the next block section (its {@code MMHB} magic, then the header's
 * CRC32C and its sizes against the file header's limits, docs/FORMAT.md "Block section"); {@link #next} then reads
 * the sections one after the other from there, requiring consecutive block numbers, and stops at the index.
 *
 * <p>A scan trusts a section whose header is intact: a random byte sequence passes the magic and the CRC with a
 * chance of 2^-64. An mmh archive stored verbatim inside a block of another one (a block that no codec could
 * shrink, kept as it is) holds intact block headers of its own, and a split that starts inside such a block would
 * take the inner archive's next block for the outer one's; {@code mmh verify} and a whole-file read (one split)
 * are not exposed to this.
 *
 * <p>Not thread-safe; owns nothing: the caller closes the stream.
 */
final class SplitBlocks {
    private static final int SCAN_BUFFER = 1 << 20;

    private final InputStream in;
    private final FileHeader header;
    private final int headerLength;
    private final byte[] scratch;
    private long pos;
    private long expected;

    /**
     * Reads sections from {@code in}, positioned at {@code pos}, where block {@code number} starts.
     */
    SplitBlocks(InputStream in, FileHeader header, long pos, long number) {
        this.in = in;
        this.header = header;
        this.headerLength = BlockHeader.size(header.hash().length());
        this.scratch = new byte[Math.max(headerLength, Format.SECTION_ENVELOPE)];
        this.pos = pos;
        this.expected = number;
    }

    /** Reads and checks the file header at offset 0 of {@code in} (which this leaves positioned after it). */
    static FileHeader readHeader(InputStream in) throws IOException {
        ((Seekable) in).seek(0);
        byte[] h = new byte[Format.MAX_HEADER_SIZE];
        int n = in.readNBytes(h, 0, Format.COMPACT_HEADER_SIZE);
        if (n == Format.COMPACT_HEADER_SIZE && FileHeader.lengthFrom(h, n) > n) {
            n += in.readNBytes(h, n, FileHeader.lengthFrom(h, n) - n);
        }
        FileHeader fh = FileHeader.parse(h, n);
        if (fh.folder()) {
            throw new UnsupportedFormatException("a folder archive (format version 3): it is extracted, not read as "
                    + "one stream of lines (mmh decompress ARCHIVE -C DEST)");
        }
        return fh;
    }

    /** A block found by {@link #find}: where its section starts and its number. */
    record Found(long offset, long number) {
    }

    /**
     * The first block section that starts in {@code [from, to)}, or {@code null} if none does. Block 0 is never
     * returned (a split that does not start at 0 never owns it): only blocks numbered 1 and up.
     *
     * @param in a stream that is also {@link Seekable}; left positioned anywhere
     */
    static Found find(InputStream in, FileHeader fh, long from, long to) throws IOException {
        if (from >= to) {
            return null;
        }
        int hl = BlockHeader.size(fh.hash().length());
        ((Seekable) in).seek(from);
        byte[] buf = new byte[SCAN_BUFFER + hl];
        long base = from;
        int len = 0;
        while (true) {
            int n = in.readNBytes(buf, len, buf.length - len);
            len += n;
            boolean eof = len < buf.length;
            for (int i = 0; i + hl <= len; i++) {
                long p = base + i;
                if (p >= to) {
                    return null;
                }
                if (buf[i] != 'M' || LE.get32(buf, i) != Format.SECTION_BLOCK) {
                    continue;
                }
                try {
                    BlockHeader h = BlockHeader.parse(buf, i, fh, p);
                    if (h.number() > 0) {
                        return new Found(p, h.number());
                    }
                } catch (CorruptDataException e) {
                    // not a block header: the magic's bytes occur by chance in compressed data
                }
            }
            if (eof || len < hl) {
                return null;
            }
            int keep = hl - 1;
            System.arraycopy(buf, len - keep, buf, 0, keep);
            base += len - keep;
            len = keep;
        }
    }

    /** Offset of the next section. */
    long position() {
        return pos;
    }

    /**
     * The next block section, its stored bytes in a buffer from {@code buffers}; {@code null} at the index (which a
     * split does not check: a whole-file read does). Sections of other types are skipped as the format says.
     *
     * @throws CorruptDataException if the archive ends before its index, no section starts where one must, or a
     *     block's number is out of sequence
     */
    StoredBlock next(IntFunction<byte[]> buffers) throws IOException {
        while (true) {
            long start = pos;
            int got = in.readNBytes(scratch, 0, 4);
            pos += got;
            if (got < 4) {
                throw new CorruptDataException("archive ends before its index (truncated)", pos, -1);
            }
            int magic = LE.get32(scratch, 0);
            if (magic == Format.SECTION_BLOCK) {
                readFully(scratch, 4, headerLength - 4, "block header", expected);
                BlockHeader h = BlockHeader.parse(scratch, 0, header, start);
                if (h.number() != expected) {
                    throw new CorruptDataException("block number " + h.number() + " out of sequence (expected "
                            + expected + ")", start, expected);
                }
                int stored = (int) h.storedSize();
                byte[] payload = buffers.apply(Math.max(stored, 4));
                readFully(payload, 0, stored, "stored data", expected);
                readFully(scratch, 0, 4, "stored data checksum", expected);
                expected++;
                return new StoredBlock(h, start, payload, LE.get32(scratch, 0));
            }
            if (magic == Format.SECTION_INDEX) {
                return null;
            }
            if ((magic & 0xffffff) != (Format.SECTION_BLOCK & 0xffffff)) {
                throw new CorruptDataException("no section starts here (damaged, or not an mmh section)", start,
                        expected);
            }
            readFully(scratch, 4, Format.SECTION_ENVELOPE - 4, "section envelope", -1);
            int flags = LE.get32(scratch, 4);
            long length = LE.get64(scratch, 8);
            if (length < Format.SECTION_ENVELOPE + 4) {
                throw new CorruptDataException("section has an impossible length " + Long.toUnsignedString(length),
                        start + 8, -1);
            }
            if (magic == Format.SECTION_ENCRYPTION) {
                throw Format.unsupported("section type 'E' (encryption)", start, -1);
            }
            if (magic != Format.SECTION_RECOVERY && (flags & Format.SECTION_MUST_UNDERSTAND) != 0) {
                throw Format.unsupported("unknown section type marked must-understand", start, -1);
            }
            long skip = length - Format.SECTION_ENVELOPE;
            try {
                in.skipNBytes(skip);
            } catch (EOFException e) {
                throw new CorruptDataException("archive ends inside a section (truncated)", start, -1);
            }
            pos += skip;
        }
    }

    private void readFully(byte[] b, int off, int len, String what, long block) throws IOException {
        int n = in.readNBytes(b, off, len);
        pos += n;
        if (n < len) {
            throw new CorruptDataException("archive ends inside the " + what + " (truncated)", pos, block);
        }
    }
}
