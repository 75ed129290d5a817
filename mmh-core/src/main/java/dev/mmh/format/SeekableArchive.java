package dev.mmh.format;

import dev.mmh.CorruptDataException;
import dev.mmh.hash.MerkleTree;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * An archive opened from a file through its footer and index: what {@code mmh info} shows, and the map that
 * random access and per-block verification use. Opening checks the header, the footer, the index (checksums,
 * lengths, offsets in order and inside the file) and that the content ID matches the Merkle root of the index;
 * it does not read the blocks. Thread-safe for reads ({@link #read} uses positional reads).
 */
public final class SeekableArchive implements AutoCloseable {
    private final FileChannel ch;
    private final long size;
    private final FileHeader header;
    private final Footer footer;
    private final Index index;
    private final ArchiveTail tail;

    private SeekableArchive(FileChannel ch, long size, FileHeader header, Footer footer, Index index,
            ArchiveTail tail) {
        this.ch = ch;
        this.size = size;
        this.header = header;
        this.footer = footer;
        this.index = index;
        this.tail = tail;
    }

    public static SeekableArchive open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return of(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Opens the archive in {@code ch}; {@link #close()} closes the channel. The index is held in memory (its bytes,
     * 48 or 72 per block): one larger than a quarter of the heap is refused as {@link LimitExceededException}
     * before anything is allocated for it.
     */
    public static SeekableArchive of(FileChannel ch) throws IOException {
        long size = ch.size();
        byte[] h = new byte[Format.HEADER_SIZE];
        int n = readAt(ch, h, 0, (int) Math.min(h.length, size));
        FileHeader header = FileHeader.parse(h, n);
        if (header.compact()) {
            return compact(ch, size, header);
        }
        ArchiveTail tail = ArchiveTail.read(ch, header.hash().length());
        checkLayout(ch, header, tail.footer(), tail.index());
        return new SeekableArchive(ch, size, header, tail.footer(), tail.index(), tail);
    }

    /**
     * The compact layout: the one block's header stands for the index; the footer is implied (no index, no recovery
     * data, the file's length and the block's raw size).
     */
    private static SeekableArchive compact(FileChannel ch, long size, FileHeader header) throws IOException {
        int hl = BlockHeader.size(header.hash().length());
        long at = Format.COMPACT_HEADER_SIZE;
        byte[] b = new byte[hl];
        if (readAt(ch, b, at, hl) < hl) {
            throw new CorruptDataException("compact archive ends inside its block header (truncated)", size, 0);
        }
        if (LE.get32(b, 0) != Format.SECTION_BLOCK) {
            throw new CorruptDataException("no block starts here (damaged)", at, 0);
        }
        BlockHeader h;
        try {
            h = BlockHeader.parse(b, 0, header, at);
        } catch (dev.mmh.ChecksumMismatchException e) {
            // the one block of this layout is block 0, even when its header's number cannot be trusted
            throw new dev.mmh.ChecksumMismatchException("block header checksum", e.expected(), e.actual(), at, 0);
        }
        if (h.number() != 0) {
            throw new CorruptDataException("block number " + h.number() + " in a compact archive (expected 0)", at, 0);
        }
        long end = at + h.sectionSize();
        if (size != end) {
            throw new CorruptDataException("archive is " + size + " bytes but its block ends at " + end
                    + (size < end ? " (truncated)" : " (data appended)"), Math.min(size, end), size < end ? 0 : -1);
        }
        MerkleTree merkle = new MerkleTree();
        merkle.add(h.rawSize(), h.rawHash());
        Index index = new Index(java.util.List.of(IndexEntry.of(at, h)), h.rawSize(), merkle.root());
        return new SeekableArchive(ch, size, header, new Footer(size, 0, 0, 0, size, h.rawSize()), index, null);
    }

    /**
     * Checks that the index entries are within the limits, in order and inside the blocks' range, that the Merkle
     * root of their hashes is the content ID, and that every byte between the header and the index that no block
     * covers is a section {@link SectionEnvelope} accepts, as the stream reader would find them: sections of other
     * types between blocks, at most one recovery section after the last block, and the footer pointing to it.
     */
    private static void checkLayout(FileChannel ch, FileHeader header, Footer footer, Index index) throws IOException {
        long end = footer.recoveryOffset() != 0 ? footer.recoveryOffset() : footer.indexOffset();
        long expect = Format.HEADER_SIZE;
        long total = 0;
        MerkleTree merkle = new MerkleTree();
        int hl = header.hash().length();
        for (int i = 0; i < index.entries().size(); i++) {
            IndexEntry e = index.entries().get(i);
            long section = BlockHeader.size(hl) + e.storedSize() + 4;
            if (e.offset() < expect || e.rawSize() < 0 || e.rawSize() > header.blockSize() || e.transformedSize() < 0
                    || e.transformedSize() > e.rawSize() + Format.MAX_TRANSFORM_EXPANSION || e.storedSize() < 0
                    || e.storedSize() > Math.max(e.rawSize(), e.transformedSize()) || e.offset() > end
                    || section > end - e.offset()) {
                throw new CorruptDataException("index entry " + i + " is inconsistent", footer.indexOffset(), i);
            }
            if (e.offset() > expect && sections(ch, expect, e.offset()) != null) {
                throw new CorruptDataException("block after the recovery section", e.offset(), i);
            }
            expect = e.offset() + section;
            total += e.rawSize();
            merkle.add(e.rawSize(), e.rawHash());
        }
        SectionEnvelope r = sections(ch, expect, footer.indexOffset());
        if (footer.recoveryOffset() != (r == null ? 0 : r.offset())
                || footer.recoveryLength() != (r == null ? 0 : r.length())) {
            throw new CorruptDataException("footer disagrees with the recovery section",
                    ch.size() - Format.FOOTER_SIZE + 16, -1);
        }
        if (total != index.totalRawSize() || total != footer.totalRawSize()) {
            throw new CorruptDataException("index total size disagrees with its entries", footer.indexOffset(), -1);
        }
        if (!Arrays.equals(merkle.root(), index.contentId())) {
            throw new dev.mmh.ChecksumMismatchException("content ID", Format.hex(index.contentId()),
                    Format.hex(merkle.root()), footer.indexOffset(), -1);
        }
    }

    /**
     * Checks that {@code [from, to)}, bytes no index entry covers, holds only whole sections other than blocks and
     * the index, each accepted by {@link SectionEnvelope#read}; returns the recovery section among them, or
     * {@code null}.
     */
    private static SectionEnvelope sections(FileChannel ch, long from, long to) throws IOException {
        SectionEnvelope recovery = null;
        for (long pos = from; pos < to; ) {
            SectionEnvelope s = SectionEnvelope.read(ch, pos, to);
            if (s.recovery()) {
                if (recovery != null) {
                    throw new CorruptDataException("a second recovery section", pos, -1);
                }
                recovery = s;
            }
            pos += s.length();
        }
        return recovery;
    }

    public FileHeader header() {
        return header;
    }

    /**
     * The footer; in the compact layout the one it implies: index offset = file length, index length 0, no recovery
     * section.
     */
    public Footer footer() {
        return footer;
    }

    public Index index() {
        return index;
    }

    /** What follows the blocks (sections, index, footer); {@code null} in the compact layout, which has none. */
    public ArchiveTail tail() {
        return tail;
    }

    /** Size of the archive file in bytes. */
    public long size() {
        return size;
    }

    /** Reads {@code len} bytes at {@code pos}; fewer only at end of file. Thread-safe. */
    public int read(byte[] b, long pos, int len) throws IOException {
        return readAt(ch, b, pos, len);
    }

    static int readAt(FileChannel ch, byte[] b, long pos, int len) throws IOException {
        return dev.mmh.io.Positional.read(ch, b, pos, len);
    }

    /**
     * The archive's raw size from its footer, or in the compact layout from its one block header, without reading
     * the index; -1 if they cannot be read.
     */
    public static long totalRawSize(FileChannel ch) throws IOException {
        try {
            if (isCompact(ch)) {
                return of(ch).index().totalRawSize(); // one block header: as cheap as the footer
            }
            return ArchiveTail.readFooter(ch).totalRawSize();
        } catch (dev.mmh.MmhException e) {
            return -1;
        }
    }

    /** Whether the archive in {@code ch} has an intact header of the compact layout. */
    public static boolean isCompact(FileChannel ch) throws IOException {
        byte[] h = new byte[Format.HEADER_SIZE];
        int n = readAt(ch, h, 0, (int) Math.min(h.length, ch.size()));
        try {
            return FileHeader.parse(h, n).compact();
        } catch (dev.mmh.MmhException e) {
            return false;
        }
    }

    /** Whether {@code b} could be the start of an mmh archive. */
    public static boolean looksLikeMmh(byte[] b, int n) {
        return n >= Format.MAGIC.length && Arrays.equals(b, 0, 8, Format.MAGIC, 0, 8);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

}
