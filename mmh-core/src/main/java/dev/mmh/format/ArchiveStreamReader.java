package dev.mmh.format;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.hash.MerkleTree;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.zip.CRC32C;

/**
 * Reads an archive front to back without seeking, so a pipe can be decoded: header, then block sections (and
 * sections this version can skip), then the index, the footer and the end of the input.
 *
 * <p>Every length is checked against the header's limits before anything is allocated for it. At the index the
 * reader checks that it lists exactly the blocks that were read, that the content ID matches the Merkle root of
 * their headers, and that the footer agrees and is the last thing in the input. Not thread-safe.
 */
public final class ArchiveStreamReader {
    private final InputStream in;
    private final FileHeader header;
    private final int hashLength;
    private final List<IndexEntry> seen = new ArrayList<>();
    private final MerkleTree merkle = new MerkleTree();
    private final byte[] scratch = new byte[Format.BLOCK_FIXED + 32 + 4];
    private long pos;
    private long totalRaw;
    private Index index;
    private Footer footer;

    /** Reads and checks the file header (of either layout: it reads no further than the header's end). */
    public ArchiveStreamReader(InputStream in) throws IOException {
        this.in = in;
        byte[] h = new byte[Format.HEADER_SIZE];
        int n = in.readNBytes(h, 0, Format.COMPACT_HEADER_SIZE);
        if (n == Format.COMPACT_HEADER_SIZE && FileHeader.lengthFrom(h, n) > n) {
            n += in.readNBytes(h, n, Format.HEADER_SIZE - n);
        }
        pos = n;
        header = FileHeader.parse(h, n);
        hashLength = header.hash().length();
    }

    public FileHeader header() {
        return header;
    }

    /** Bytes consumed so far. */
    public long position() {
        return pos;
    }

    /** The index, once {@link #next} has returned {@code null}. */
    public Index index() {
        return index;
    }

    /** The footer, once {@link #next} has returned {@code null}; {@code null} in the compact layout. */
    public Footer footer() {
        return footer;
    }

    /**
     * Reads the next block section.
     *
     * @param buffers gives a buffer of at least the requested size for the stored bytes
     * @return the block, or {@code null} when the index and footer were reached and checked
     */
    public StoredBlock next(IntFunction<byte[]> buffers) throws IOException {
        if (header.compact()) {
            return nextCompact(buffers);
        }
        while (true) {
            long start = pos;
            int got = read(scratch, 0, 4);
            if (got < 4) {
                throw new CorruptDataException("archive ends after " + seen.size() + " blocks without an index (truncated)",
                        pos, -1);
            }
            int magic = LE.get32(scratch, 0);
            if (magic == Format.SECTION_BLOCK) {
                return readBlock(start, buffers);
            } else if (magic == Format.SECTION_INDEX) {
                readIndexAndFooter(start);
                return null;
            } else if ((magic & 0xffffff) == (Format.SECTION_BLOCK & 0xffffff)) {
                skipSection(start, magic);
            } else {
                throw new CorruptDataException("no section starts here (damaged, or not an mmh section)", start,
                        seen.size());
            }
        }
    }

    /** The compact layout: exactly one block section, then the end of the input. */
    private StoredBlock nextCompact(IntFunction<byte[]> buffers) throws IOException {
        if (index != null) {
            return null;
        }
        long start = pos;
        if (seen.isEmpty()) {
            int got = read(scratch, 0, 4);
            if (got < 4) {
                throw new CorruptDataException("compact archive ends before its block (truncated)", pos, 0);
            }
            if (LE.get32(scratch, 0) != Format.SECTION_BLOCK) {
                throw new CorruptDataException("no block starts here (damaged)", start, 0);
            }
            return readBlock(start, buffers);
        }
        if (in.read() != -1) {
            throw new CorruptDataException("data after the end of the archive", pos, -1);
        }
        index = new Index(List.copyOf(seen), totalRaw, merkle.root());
        return null;
    }

    private StoredBlock readBlock(long start, IntFunction<byte[]> buffers) throws IOException {
        int rest = Format.BLOCK_FIXED + hashLength + 4 - 4;
        readFully(scratch, 4, rest, "block header", seen.size());
        BlockHeader h = BlockHeader.parse(scratch, 0, header, start);
        if (h.number() != seen.size()) {
            throw new CorruptDataException("block number " + h.number() + " out of sequence (expected " + seen.size() + ")",
                    start, seen.size());
        }
        int stored = (int) h.storedSize();
        byte[] payload = buffers.apply(Math.max(stored, 4));
        readFully(payload, 0, stored, "stored data", h.number());
        readFully(scratch, 0, 4, "stored data checksum", h.number());
        int crc = LE.get32(scratch, 0);
        seen.add(IndexEntry.of(start, h));
        merkle.add(h.rawSize(), h.rawHash());
        totalRaw += h.rawSize();
        return new StoredBlock(h, start, payload, crc);
    }

    /**
     * Reads a section of another type whole, checking its CRC first: only an intact section can be "unsupported"
     * (a damaged block magic must be reported as damage, not as an unknown section type).
     */
    private void skipSection(long start, int magic) throws IOException {
        char type = (char) (magic >>> 24);
        // a section cut off is reported where it starts: its envelope (or a damaged block magic) said how long
        // it is, and the end of the input, where the shortfall shows, is no place to look for the damage
        String cut = "section '" + type + "' that starts here";
        readFully(scratch, 4, 12, cut, start, -1);
        int flags = LE.get32(scratch, 4);
        long length = LE.get64(scratch, 8);
        if (length < Format.SECTION_ENVELOPE + 4) {
            throw new CorruptDataException("section '" + type + "' has an impossible length " + length, start + 8, -1);
        }
        CRC32C crc = new CRC32C();
        crc.update(scratch, 0, 16);
        boolean selfChecked = (flags & Format.SECTION_SELF_CHECKED) != 0;
        byte[] buf = new byte[64 * 1024];
        long left = length - Format.SECTION_ENVELOPE - 4;
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            readFully(buf, 0, n, cut, start, -1);
            if (!selfChecked) {
                crc.update(buf, 0, n);
            }
            left -= n;
        }
        readFully(scratch, 0, 4, cut, start, -1);
        int expected = LE.get32(scratch, 0);
        if (expected != (int) crc.getValue()) {
            throw new ChecksumMismatchException("section '" + type + "' checksum", Format.hex32(expected),
                    Format.hex32((int) crc.getValue()), start, -1);
        }
        checkSkippable(magic, flags, start);
    }

    /**
     * Whether a reader that does not decode a section of this type may skip it (its envelope's checksum having
     * held): not an encryption section, and not one flagged must-understand. {@link SeekableArchive} applies the
     * same rule to the recovery section the footer points to.
     */
    static void checkSkippable(int magic, int flags, long start) throws UnsupportedFormatException {
        if (magic == Format.SECTION_ENCRYPTION || (flags & Format.SECTION_MUST_UNDERSTAND) != 0) {
            throw new UnsupportedFormatException("section type '" + (char) (magic >>> 24) + "' at offset " + start
                    + " is not supported by this version of mmh");
        }
    }

    private void readIndexAndFooter(long start) throws IOException {
        readFully(scratch, 4, 12, "index header", -1);
        long length = LE.get64(scratch, 8);
        long expected = Index.size(seen.size(), hashLength);
        if (length != expected) {
            throw new CorruptDataException("index length " + length + " does not fit the " + seen.size()
                    + " blocks read (expected " + expected + ")", start + 8, -1);
        }
        byte[] b = new byte[(int) length];
        System.arraycopy(scratch, 0, b, 0, 16);
        readFully(b, 16, b.length - 16, "index", -1);
        Index idx = Index.parse(b, hashLength, start);
        for (int i = 0; i < seen.size(); i++) {
            if (!seen.get(i).equals(idx.entries().get(i))) {
                throw new CorruptDataException("index entry " + i + " disagrees with the block header", start, i);
            }
        }
        if (idx.totalRawSize() != totalRaw) {
            throw new CorruptDataException("index total size " + idx.totalRawSize() + " disagrees with the blocks ("
                    + totalRaw + ")", start, -1);
        }
        byte[] root = merkle.root();
        if (!Arrays.equals(root, idx.contentId())) {
            throw new ChecksumMismatchException("content ID", Format.hex(idx.contentId()), Format.hex(root), start, -1);
        }
        long footerAt = pos;
        byte[] f = new byte[Format.FOOTER_SIZE];
        int n = read(f, 0, f.length);
        if (n < f.length) {
            throw new CorruptDataException("archive ends inside the footer (truncated)", pos, -1);
        }
        Footer ft = Footer.parse(f, footerAt);
        if (ft.indexOffset() != start || ft.totalRawSize() != totalRaw) {
            throw new CorruptDataException("footer disagrees with the index", footerAt, -1);
        }
        if (in.read() != -1) {
            throw new CorruptDataException("data after the end of the archive", pos, -1);
        }
        index = idx;
        footer = ft;
    }

    private int read(byte[] b, int off, int len) throws IOException {
        int n = in.readNBytes(b, off, len);
        pos += n;
        return n;
    }

    private void readFully(byte[] b, int off, int len, String what, long block) throws IOException {
        readFully(b, off, len, what, -1, block);
    }

    /** As above, reporting a shortfall at {@code at} instead of the end of the input when it is not -1. */
    private void readFully(byte[] b, int off, int len, String what, long at, long block) throws IOException {
        int n = read(b, off, len);
        if (n < len) {
            throw new CorruptDataException("archive ends inside the " + what + " (truncated)", at >= 0 ? at : pos,
                    block);
        }
    }

}
