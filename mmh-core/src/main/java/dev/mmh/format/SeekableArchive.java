package dev.mmh.format;

import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.hash.MerkleTree;
import java.io.IOException;
import java.nio.ByteBuffer;
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

    private SeekableArchive(FileChannel ch, long size, FileHeader header, Footer footer, Index index) {
        this.ch = ch;
        this.size = size;
        this.header = header;
        this.footer = footer;
        this.index = index;
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

    /** Opens the archive in {@code ch}; {@link #close()} closes the channel. */
    public static SeekableArchive of(FileChannel ch) throws IOException {
        {
            long size = ch.size();
            byte[] h = new byte[Format.HEADER_SIZE];
            int n = readAt(ch, h, 0, (int) Math.min(h.length, size));
            FileHeader header = FileHeader.parse(h, n);
            if (header.compact()) {
                return compact(ch, size, header);
            }
            if (size < Format.HEADER_SIZE + Format.FOOTER_SIZE) {
                throw new CorruptDataException("archive of " + size + " bytes is too short to hold an index and footer",
                        size, -1);
            }
            long footerAt = size - Format.FOOTER_SIZE;
            byte[] f = new byte[Format.FOOTER_SIZE];
            readAt(ch, f, footerAt, f.length);
            Footer footer = Footer.parse(f, footerAt);
            if (footer.recoveryOffset() != 0) {
                checkRecoveryEnvelope(ch, footer.recoveryOffset(), footer.recoveryLength());
            }
            long maxIndex = Index.size(Format.MAX_BLOCKS, header.hash().length());
            if (footer.indexLength() > maxIndex) {
                throw new LimitExceededException("index", footer.indexLength(), maxIndex);
            }
            byte[] ib = new byte[(int) Math.min(footer.indexLength(), Integer.MAX_VALUE - 16)];
            if (ib.length != footer.indexLength()) {
                throw new LimitExceededException("index", footer.indexLength(), Integer.MAX_VALUE - 16);
            }
            readAt(ch, ib, footer.indexOffset(), ib.length);
            Index index = Index.parse(ib, header.hash().length(), footer.indexOffset());
            checkIndex(header, footer, index);
            return new SeekableArchive(ch, size, header, footer, index);
        }
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
        return new SeekableArchive(ch, size, header, new Footer(size, 0, 0, 0, size, h.rawSize()), index);
    }

    /**
     * Checks the envelope of the recovery section the footer points to as {@link ArchiveStreamReader} checks it when
     * it skips the section: an archive this class opens must be one the stream reader reads. The body is read only
     * when the envelope does not say it carries its own checksums (the recovery section always does).
     */
    private static void checkRecoveryEnvelope(FileChannel ch, long at, long length) throws IOException {
        byte[] env = new byte[Format.SECTION_ENVELOPE];
        int magic = readAt(ch, env, at, env.length) == env.length ? LE.get32(env, 0) : 0;
        if (magic != Format.SECTION_RECOVERY || LE.get64(env, 8) != length || length < Format.SECTION_ENVELOPE + 4) {
            throw new CorruptDataException("the footer points to a recovery section of " + length
                    + " bytes that is not there (damaged envelope)", at, -1);
        }
        int flags = LE.get32(env, 4);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(env, 0, env.length);
        if ((flags & Format.SECTION_SELF_CHECKED) == 0) {
            byte[] buf = new byte[64 * 1024];
            for (long p = at + env.length, end = at + length - 4; p < end; ) {
                int n = (int) Math.min(buf.length, end - p);
                readAt(ch, buf, p, n);
                crc.update(buf, 0, n);
                p += n;
            }
        }
        byte[] stored = new byte[4];
        readAt(ch, stored, at + length - 4, 4);
        if (LE.get32(stored, 0) != (int) crc.getValue()) {
            throw new dev.mmh.ChecksumMismatchException("section 'R' checksum", Format.hex32(LE.get32(stored, 0)),
                    Format.hex32((int) crc.getValue()), at, -1);
        }
        ArchiveStreamReader.checkSkippable(magic, flags, at);
    }

    private static void checkIndex(FileHeader header, Footer footer, Index index) throws CorruptDataException {
        long end = footer.recoveryOffset() != 0 ? footer.recoveryOffset() : footer.indexOffset();
        long expect = Format.HEADER_SIZE;
        long total = 0;
        MerkleTree merkle = new MerkleTree();
        int hl = header.hash().length();
        for (int i = 0; i < index.entries().size(); i++) {
            IndexEntry e = index.entries().get(i);
            long section = BlockHeader.size(hl) + e.storedSize() + 4;
            // v1 writers put blocks back to back; later ones may put other sections between them
            if (e.offset() < expect || e.rawSize() < 0 || e.rawSize() > header.blockSize() || e.storedSize() < 0
                    || e.storedSize() > Math.max(e.rawSize(), e.transformedSize()) || e.offset() > end
                    || section > end - e.offset()) {
                throw new CorruptDataException("index entry " + i + " is inconsistent", footer.indexOffset(), i);
            }
            expect = e.offset() + section;
            total += e.rawSize();
            merkle.add(e.rawSize(), e.rawHash());
        }
        if (expect > end) {
            throw new CorruptDataException("index does not account for bytes " + expect + ".." + end,
                    footer.indexOffset(), -1);
        }
        if (total != index.totalRawSize() || total != footer.totalRawSize()) {
            throw new CorruptDataException("index total size disagrees with its entries", footer.indexOffset(), -1);
        }
        if (!Arrays.equals(merkle.root(), index.contentId())) {
            throw new dev.mmh.ChecksumMismatchException("content ID", Format.hex(index.contentId()),
                    Format.hex(merkle.root()), footer.indexOffset(), -1);
        }
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
        long size = ch.size();
        try {
            if (isCompact(ch)) {
                return of(ch).index().totalRawSize(); // one block header: as cheap as the footer
            }
            if (size < Format.HEADER_SIZE + Format.FOOTER_SIZE) {
                return -1;
            }
            byte[] f = new byte[Format.FOOTER_SIZE];
            readAt(ch, f, size - f.length, f.length);
            return Footer.parse(f, size - f.length).totalRawSize();
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
