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
            if (size < Format.HEADER_SIZE + Format.FOOTER_SIZE) {
                throw new CorruptDataException("archive of " + size + " bytes is too short to hold an index and footer",
                        size, -1);
            }
            long footerAt = size - Format.FOOTER_SIZE;
            byte[] f = new byte[Format.FOOTER_SIZE];
            readAt(ch, f, footerAt, f.length);
            Footer footer = Footer.parse(f, footerAt);
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

    /** Whether {@code b} could be the start of an mmh archive. */
    public static boolean looksLikeMmh(byte[] b, int n) {
        return n >= Format.MAGIC.length && Arrays.equals(b, 0, 8, Format.MAGIC, 0, 8);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

}
