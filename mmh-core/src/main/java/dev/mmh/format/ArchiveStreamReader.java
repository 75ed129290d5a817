package dev.mmh.format;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.hash.MerkleTree;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Reads an archive front to back without seeking, so a pipe can be decoded: header, then block sections (and
 * sections this version can skip, checked by {@link SectionEnvelope}), then the index, the footer and the end of
 * the input.
 *
 * <p>Every length is checked against the header's limits before anything is allocated for it. At the index the
 * reader checks that it lists exactly the blocks that were read, that the content ID matches the Merkle root of
 * their headers, and that the footer agrees (with the index and with the recovery section, if one was read) and
 * is the last thing in the input. Not thread-safe.
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
    /** The recovery section read, or {@code null}. */
    private SectionEnvelope recovery;
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
                if (recovery != null) {
                    throw new CorruptDataException("block after the recovery section", start, seen.size());
                }
                return readBlock(start, buffers);
            } else if (magic == Format.SECTION_INDEX) {
                readIndexAndFooter(start);
                return null;
            } else if (SectionEnvelope.isSection(magic)) {
                readFully(scratch, 4, Format.SECTION_ENVELOPE - 4, "section header", -1);
                SectionEnvelope s = SectionEnvelope.check(scratch, start, (b, len, what) -> readFully(b, 0, len, what,
                        -1));
                if (s.recovery()) {
                    if (recovery != null) {
                        throw new CorruptDataException("a second recovery section", start, -1);
                    }
                    recovery = s;
                }
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
        if (ft.recoveryOffset() != (recovery == null ? 0 : recovery.offset())
                || ft.recoveryLength() != (recovery == null ? 0 : recovery.length())) {
            throw new CorruptDataException("footer disagrees with the recovery section", footerAt + 16, -1);
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
        int n = read(b, off, len);
        if (n < len) {
            throw new CorruptDataException("archive ends inside the " + what + " (truncated)", pos, block);
        }
    }

}
