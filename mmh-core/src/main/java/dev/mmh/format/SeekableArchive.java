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
    /** An encrypted archive's A section offset, else -1. */
    private long authAt = -1;

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
     * 48 or 72 per block): one larger than a quarter of the heap is refused as {@link dev.mmh.LimitExceededException}
     * before anything is allocated for it.
     */
    public static SeekableArchive of(FileChannel ch) throws IOException {
        ch = committed(ch);
        long size = ch.size();
        byte[] h = new byte[Format.FOLDER_HEADER_SIZE];
        int n = readAt(ch, h, 0, (int) Math.min(h.length, size));
        FileHeader header = FileHeader.parse(h, n);
        if (header.compact()) {
            return compact(ch, size, header);
        }
        ArchiveTail tail = ArchiveTail.read(ch, header.hash().length());
        long authAt = checkLayout(ch, header, tail.footer(), tail.index());
        SeekableArchive a = new SeekableArchive(ch, size, header, tail.footer(), tail.index(), tail);
        a.authAt = authAt;
        return a;
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
     * types between blocks, at most one recovery section after the last block, and the footer pointing to it. In a
     * folder archive the bytes between blocks may also be an earlier version's tail ({@link #supersededTail}) and
     * its recovery section, and the footer must point to a manifest section.
     */
    private static long checkLayout(FileChannel ch, FileHeader header, Footer footer, Index index) throws IOException {
        long end = footer.recoveryOffset() != 0 ? footer.recoveryOffset() : footer.indexOffset();
        long expect = header.length();
        boolean enc = header.encrypted();
        if (enc) {
            SectionEnvelope e = SectionEnvelope.read(ch, expect, end, true);
            if (e.magic() != Format.SECTION_ENCRYPTION) {
                throw new CorruptDataException("an encrypted archive must have its encryption section here", expect,
                        -1);
            }
            expect += e.length();
        }
        long total = 0;
        MerkleTree merkle = new MerkleTree();
        int hl = header.hash().length();
        for (int i = 0; i < index.entries().size(); i++) {
            IndexEntry e = index.entries().get(i);
            long section = BlockHeader.size(hl) + e.storedSize() + 4;
            if (e.offset() < expect || e.rawSize() < 0 || e.rawSize() > header.blockSize() || e.transformedSize() < 0
                    || e.transformedSize() > e.rawSize() + Format.MAX_TRANSFORM_EXPANSION || e.storedSize() < 0
                    || e.storedSize() > Format.maxStored(header, e.rawSize(), e.transformedSize()) || e.offset() > end
                    || section > end - e.offset()) {
                throw new CorruptDataException("index entry " + i + " is inconsistent", footer.indexOffset(), i);
            }
            if (e.offset() > expect && sections(ch, expect, e.offset(), header.folder(), enc, true) != null
                    && !header.folder()) {
                throw new CorruptDataException("block after the recovery section", e.offset(), i);
            }
            expect = e.offset() + section;
            total += e.rawSize();
            merkle.add(e.rawSize(), e.rawHash());
        }
        long authAt = -1;
        if (enc && !header.folder()) {
            SectionEnvelope a = expect < end ? SectionEnvelope.read(ch, expect, end, true) : null;
            if (a == null || a.magic() != Format.SECTION_AUTH) {
                throw new dev.mmh.AuthenticationFailedException("the archive has no authentication section after its "
                        + "last block (offset " + expect + "): it was truncated or altered");
            }
            authAt = expect;
            expect += a.length();
        }
        SectionEnvelope r = sections(ch, expect, footer.indexOffset(), header.folder(), enc, false);
        if (footer.recoveryOffset() != (r == null ? 0 : r.offset())
                || footer.recoveryLength() != (r == null ? 0 : r.length())) {
            throw new CorruptDataException("footer disagrees with the recovery section",
                    ch.size() - footer.size() + 16, -1);
        }
        if (header.folder()) {
            SectionEnvelope m;
            try {
                m = SectionEnvelope.read(ch, footer.manifestOffset(), end);
            } catch (CorruptDataException e) {
                throw new CorruptDataException("the footer points to a manifest that is not there: " + e.reason(),
                        footer.manifestOffset(), -1);
            }
            if (m.magic() != Format.SECTION_MANIFEST || m.length() != footer.manifestLength()) {
                throw new CorruptDataException("the footer points to a manifest that is not there",
                        footer.manifestOffset(), -1);
            }
        }
        if (total != index.totalRawSize() || total != footer.totalRawSize()) {
            throw new CorruptDataException("index total size disagrees with its entries", footer.indexOffset(), -1);
        }
        if (!Arrays.equals(merkle.root(), index.contentId())) {
            throw new dev.mmh.ChecksumMismatchException("content ID", Format.hex(index.contentId()),
                    Format.hex(merkle.root()), footer.indexOffset(), -1);
        }
        return authAt;
    }

    /**
     * Checks that {@code [from, to)}, bytes no index entry covers, holds only whole sections other than blocks and
     * the index, each accepted by {@link SectionEnvelope#read}; returns the recovery section among them, or
     * {@code null}. Signature sections stand after the last block ({@code beforeBlock}: a block follows {@code
     * to}) and before the recovery section.
     */
    private static SectionEnvelope sections(FileChannel ch, long from, long to, boolean folder, boolean encrypted,
            boolean beforeBlock) throws IOException {
        SectionEnvelope recovery = null;
        for (long pos = from; pos < to; ) {
            long superseded = supersededTail(ch, pos, to);
            if (superseded > 0) {
                pos += superseded; // an earlier version's index and footer, which an append left behind
                continue;
            }
            SectionEnvelope s = SectionEnvelope.read(ch, pos, to, encrypted);
            if (s.crypto() && !folder) {
                throw new CorruptDataException("section " + SectionEnvelope.typeName(s.magic()) + " out of place", pos,
                        -1);
            }
            if (s.magic() == Format.SECTION_SIGNATURE && !folder && (beforeBlock || recovery != null)) {
                throw new CorruptDataException(beforeBlock ? "block after a signature section"
                        : "a signature section after the recovery section", pos, -1);
            }
            if (s.recovery()) {
                // a folder archive keeps the recovery sections of its earlier versions (an append does not rewrite
                // what it commits after); the last one counts
                if (recovery != null && !folder) {
                    throw new CorruptDataException("a second recovery section", pos, -1);
                }
                recovery = s;
            }
            pos += s.length();
        }
        return recovery;
    }

    /**
     * The channel a reader should use for the archive in {@code ch}: {@code ch} itself, or for a folder archive whose
     * header records a committed length, a {@link dev.mmh.io.BoundedChannel} that ends there, so the bytes of an
     * interrupted append after it are invisible. A damaged or foreign header gives {@code ch} (the reader then
     * reports it).
     */
    public static FileChannel committed(FileChannel ch) throws IOException {
        if (ch instanceof dev.mmh.io.BoundedChannel) {
            return ch;
        }
        byte[] h = new byte[Format.FOLDER_HEADER_SIZE];
        int n = readAt(ch, h, 0, (int) Math.min(h.length, ch.size()));
        try {
            FileHeader fh = FileHeader.parse(h, n);
            return fh.folder() && fh.committedLength() != 0 ? new dev.mmh.io.BoundedChannel(ch, fh.committedLength())
                    : ch;
        } catch (dev.mmh.MmhException e) {
            return ch;
        }
    }

    /**
     * The channel the recovery code should use for the archive in {@code ch}: for a folder archive, the committed
     * part (as {@link #committed}), whose header reads with the committed length as 0 and its checksum made for that
     * value; else {@code ch}. Recovery data covers a folder archive's header so (docs/FORMAT.md, "Folder archives"),
     * so that an append, which rewrites the committed length, leaves the recovery data of the archive it extends
     * valid until its own replaces it, and a repaired header means what a repaired file is: an archive that ends
     * at the end of the file.
     */
    public static FileChannel forRecovery(FileChannel ch) throws IOException {
        if (ch instanceof dev.mmh.io.BoundedChannel) {
            return ch;
        }
        byte[] h = new byte[Format.FOLDER_HEADER_SIZE];
        int n = readAt(ch, h, 0, (int) Math.min(h.length, ch.size()));
        try {
            FileHeader fh = FileHeader.parse(h, n);
            if (!fh.folder()) {
                return ch;
            }
            long limit = fh.committedLength() != 0 ? fh.committedLength() : Long.MAX_VALUE;
            return new dev.mmh.io.BoundedChannel(ch, limit, fh.asFolder(0).encode());
        } catch (dev.mmh.MmhException e) {
            return ch; // a damaged header: the recovery code reads the file as it is (and repairs the header)
        }
    }

    /**
     * The length of an earlier version's tail that starts at {@code pos} in a folder archive (an index section whose
     * checksum holds, then a folder footer right after it that ends where its own file length says and points back
     * to that index), or 0 if none starts there. An append leaves the tail it superseded in place, so that the
     * archive stays whole until the new header commits it.
     */
    public static long supersededTail(FileChannel ch, long pos, long end) throws IOException {
        byte[] env = new byte[Format.SECTION_ENVELOPE];
        if (end - pos < Format.SECTION_ENVELOPE + Format.FOLDER_FOOTER_SIZE
                || readAt(ch, env, pos, env.length) < env.length || LE.get32(env, 0) != Format.SECTION_INDEX) {
            return 0;
        }
        long length = LE.get64(env, 8);
        if (length < Format.SECTION_ENVELOPE + 4 || length > end - pos - Format.FOLDER_FOOTER_SIZE) {
            return 0;
        }
        byte[] f = new byte[Format.FOLDER_FOOTER_SIZE];
        readAt(ch, f, pos + length, f.length);
        try {
            Footer old = Footer.parse(f, pos + length, true);
            if (old.indexOffset() != pos || old.indexLength() != length) {
                return 0;
            }
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            byte[] buf = new byte[(int) Math.min(1 << 16, length)];
            for (long at = pos, left = length - 4; left > 0; ) {
                int k = (int) Math.min(buf.length, left);
                readAt(ch, buf, at, k);
                crc.update(buf, 0, k);
                at += k;
                left -= k;
            }
            byte[] stored = new byte[4];
            readAt(ch, stored, pos + length - 4, 4);
            return LE.get32(stored, 0) == (int) crc.getValue() ? length + Format.FOLDER_FOOTER_SIZE : 0;
        } catch (dev.mmh.MmhException e) {
            return 0;
        }
    }

    /** Bytes of the file after the archive's committed length (an interrupted append), 0 if none. */
    public long uncommittedBytes() throws IOException {
        return ch instanceof dev.mmh.io.BoundedChannel b ? Math.max(0, b.unwrap().size() - b.limit()) : 0;
    }

    /** An encrypted archive's E section body (the age header and salt), or {@code null} for a plain archive. */
    public byte[] encryptionBody() throws IOException {
        if (!header.encrypted()) {
            return null;
        }
        long at = header.length();
        SectionEnvelope e = SectionEnvelope.read(ch, at, size, true);
        return SectionEnvelope.readBody(ch, at, e.length(), Format.SECTION_ENCRYPTION);
    }

    /** An encrypted single-stream archive's A section body, or {@code null}. */
    public byte[] authBody() throws IOException {
        if (authAt < 0) {
            return null;
        }
        SectionEnvelope e = SectionEnvelope.read(ch, authAt, size, true);
        return SectionEnvelope.readBody(ch, authAt, e.length(), Format.SECTION_AUTH);
    }

    /** Offset of the A section, or -1. */
    public long authOffset() {
        return authAt;
    }

    public FileHeader header() {
        return header;
    }

    /**
     * The channel the archive is read through (for a folder archive, the committed part only); for readers of
     * section types this class does not interpret. Positional reads only; closing the archive closes it.
     */
    public FileChannel channel() {
        return ch;
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
        byte[] h = new byte[Format.MAX_HEADER_SIZE];
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
