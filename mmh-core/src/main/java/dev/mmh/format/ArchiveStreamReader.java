package dev.mmh.format;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.hash.MerkleTree;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.zip.CRC32C;
import net.jpountz.xxhash.StreamingXXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Reads an archive front to back without seeking, so a pipe can be decoded: header, then block sections (and
 * sections this version can skip, checked by {@link SectionEnvelope}), then the index, the footer and the end of
 * the input.
 *
 * <p>Every length is checked against the limits before anything is allocated for it, and every limit as the
 * input goes: the block count ({@link Format#MAX_BLOCKS}) when a block arrives, not when the index does. The
 * reader's memory does not grow with the number of blocks: it keeps a running digest of the blocks' index
 * entries (their canonical encoding, {@link IndexEntry#encode}) and a Merkle tree of O(log n) nodes, and reads
 * the index through the same digest in 64 KiB pieces. At the index it checks that the index lists exactly the
 * blocks that were read, that the content ID is the Merkle root of their headers, and that the footer agrees
 * (with the index and with the recovery section, if one was read) and is the last thing in the input.
 *
 * <p>The entries' digest is XXH64: it catches an index that disagrees with the blocks by accident, at a tenth of
 * SHA-256's cost per block. It need not resist a forger: the content ID (a SHA-256 Merkle root, checked here
 * against the blocks) binds the decoded bytes, and every reader that uses an entry's offset, sizes or ids checks
 * them against the block header it finds there. Not thread-safe.
 */
public final class ArchiveStreamReader {
    private final InputStream in;
    private final FileHeader header;
    private final int hashLength;
    private final MerkleTree merkle = new MerkleTree();
    /** XXH64 of the index entries of the blocks read so far, as {@link IndexEntry#encode} writes them. */
    private final StreamingXXHash64 entries = XXHashFactory.fastestJavaInstance().newStreamingHash64(0);
    private final byte[] scratch = new byte[Math.max(Format.BLOCK_FIXED + 32 + 4, Index.TRAILER)];
    private final byte[] entry;
    private long pos;
    private long blocks;
    private long totalRaw;
    /** The recovery section read, or {@code null}. */
    private SectionEnvelope recovery;
    private byte[] contentId;
    private Footer footer;
    /** An encrypted archive's E section body, read with the header; its A section body and offset, once read. */
    private byte[] encryption;
    private byte[] auth;
    private long authAt = -1;
    /** Offset of the first signature section met (docs/FORMAT.md, "Signed archives"), or -1. */
    private long signedAt = -1;

    /** Reads and checks the file header (of either layout: it reads no further than the header's end). */
    public ArchiveStreamReader(InputStream in) throws IOException {
        this.in = in;
        byte[] h = new byte[Format.MAX_HEADER_SIZE];
        int n = in.readNBytes(h, 0, Format.COMPACT_HEADER_SIZE);
        if (n == Format.COMPACT_HEADER_SIZE && FileHeader.lengthFrom(h, n) > n) {
            n += in.readNBytes(h, n, FileHeader.lengthFrom(h, n) - n);
        }
        pos = n;
        header = FileHeader.parse(h, n);
        if (header.folder()) {
            // its blocks are chunks of many files, in no order a stream of them could be written out in
            throw new dev.mmh.UnsupportedFormatException("a folder archive (format version 3): it is extracted, not "
                    + "decoded as one stream (mmh decompress ARCHIVE -C DEST, or dev.mmh.archive.FolderArchive)");
        }
        hashLength = header.hash().length();
        entry = new byte[IndexEntry.size(hashLength)];
        if (header.encrypted()) {
            long start = pos;
            if (read(scratch, 0, 4) < 4 || LE.get32(scratch, 0) != Format.SECTION_ENCRYPTION) {
                throw new CorruptDataException("an encrypted archive must have its encryption section here", start, -1);
            }
            encryption = cryptoSection(start, dev.mmh.crypto.ArchiveCipher.MAX_E_BODY);
        }
    }

    /**
     * Reads the rest of an E or A section whose magic is in {@code scratch[0, 4)}, checks it as every section is
     * checked, and returns its body (at most {@code max} bytes).
     */
    private byte[] cryptoSection(long start, int max) throws IOException {
        readFully(scratch, 4, Format.SECTION_ENVELOPE - 4, "section that starts here", start, -1);
        long length = LE.get64(scratch, 8);
        if (length < Format.SECTION_ENVELOPE + 4 || length - Format.SECTION_ENVELOPE - 4 > max) {
            throw new CorruptDataException("section " + SectionEnvelope.typeName(LE.get32(scratch, 0))
                    + " has an impossible length " + Long.toUnsignedString(length), start + 8, -1);
        }
        byte[] body = new byte[(int) (length - Format.SECTION_ENVELOPE - 4)];
        int[] at = {0};
        SectionEnvelope.check(scratch, start, (b, len, what) -> {
            readFully(b, 0, len, what + " that starts here", start, -1);
            if (at[0] < body.length) {
                System.arraycopy(b, 0, body, at[0], Math.min(len, body.length - at[0]));
                at[0] += len;
            }
        }, true);
        return body;
    }

    /** An encrypted archive's E section body (read with the header), or {@code null} for a plain archive. */
    public byte[] encryptionBody() {
        return encryption == null ? null : encryption.clone();
    }

    /** An encrypted archive's A section body, once {@link #next} has returned null; {@code null} if it had none. */
    public byte[] authBody() {
        return auth == null ? null : auth.clone();
    }

    /** Offset of the A section, or -1. */
    public long authOffset() {
        return authAt;
    }

    public FileHeader header() {
        return header;
    }

    /** Bytes consumed so far. */
    public long position() {
        return pos;
    }

    /** Blocks read so far. */
    public long blocks() {
        return blocks;
    }

    /** The content ID (Merkle root of the blocks, equal to the index's), once {@link #next} has returned null. */
    public byte[] contentId() {
        return contentId == null ? null : contentId.clone();
    }

    /** Raw bytes of the blocks read so far; once {@link #next} has returned null, the archive's (as its index says). */
    public long totalRawSize() {
        return totalRaw;
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
        if (contentId != null) {
            return null;
        }
        if (header.compact()) {
            return nextCompact(buffers);
        }
        while (true) {
            long start = pos;
            int got = read(scratch, 0, 4);
            if (got < 4) {
                throw new CorruptDataException("archive ends after " + blocks + " blocks without an index (truncated)",
                        pos, -1);
            }
            int magic = LE.get32(scratch, 0);
            if (magic == Format.SECTION_BLOCK) {
                if (auth != null) {
                    throw new CorruptDataException("block after the authentication section", start, blocks);
                }
                if (recovery != null) {
                    throw new CorruptDataException("block after the recovery section", start, blocks);
                }
                if (signedAt >= 0) {
                    throw new CorruptDataException("block after a signature section", start, blocks);
                }
                return readBlock(start, buffers);
            } else if (magic == Format.SECTION_INDEX) {
                readIndexAndFooter(start);
                return null;
            } else if (magic == Format.SECTION_AUTH && header.encrypted()) {
                if (auth != null || recovery != null || signedAt >= 0) {
                    throw new CorruptDataException("an authentication section out of place", start, -1);
                }
                auth = cryptoSection(start, dev.mmh.crypto.ArchiveCipher.AUTH_BODY);
                authAt = start;
            } else if (SectionEnvelope.isSection(magic)) {
                // a section cut off is reported where it starts: its envelope (or a damaged block magic) said how
                // long it is, and the end of the input, where the shortfall shows, is no place to look for damage
                readFully(scratch, 4, Format.SECTION_ENVELOPE - 4, "section that starts here", start, -1);
                SectionEnvelope s = SectionEnvelope.check(scratch, start, (b, len, what) -> readFully(b, 0, len,
                        what + " that starts here", start, -1));
                if (s.recovery()) {
                    if (recovery != null) {
                        throw new CorruptDataException("a second recovery section", start, -1);
                    }
                    recovery = s;
                } else if (s.magic() == Format.SECTION_SIGNATURE && !header.folder()) {
                    if (recovery != null) {
                        throw new CorruptDataException("a signature section after the recovery section", start, -1);
                    }
                    if (signedAt < 0) {
                        signedAt = start;
                    }
                }
            } else {
                throw new CorruptDataException("no section starts here (damaged, or not an mmh section)", start,
                        blocks);
            }
        }
    }

    /** The compact layout: exactly one block section, then the end of the input. */
    private StoredBlock nextCompact(IntFunction<byte[]> buffers) throws IOException {
        long start = pos;
        if (blocks == 0) {
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
        contentId = merkle.root();
        return null;
    }

    private StoredBlock readBlock(long start, IntFunction<byte[]> buffers) throws IOException {
        int rest = Format.BLOCK_FIXED + hashLength + 4 - 4;
        readFully(scratch, 4, rest, "block header", blocks);
        BlockHeader h = BlockHeader.parse(scratch, 0, header, start);
        if (h.number() != blocks) {
            throw new CorruptDataException("block number " + h.number() + " out of sequence (expected " + blocks + ")",
                    start, blocks);
        }
        if (blocks == Format.MAX_BLOCKS) {
            throw new LimitExceededException("archive", blocks + 1, Format.MAX_BLOCKS, "blocks");
        }
        int stored = (int) h.storedSize();
        byte[] payload = buffers.apply(Math.max(stored, 4));
        readFully(payload, 0, stored, "stored data", h.number());
        readFully(scratch, 0, 4, "stored data checksum", h.number());
        int crc = LE.get32(scratch, 0);
        IndexEntry.of(start, h).encode(entry, 0);
        entries.update(entry, 0, entry.length);
        merkle.add(h.rawSize(), h.rawHash());
        totalRaw += h.rawSize();
        blocks++;
        return new StoredBlock(h, start, payload, crc);
    }

    /**
     * Reads the index in pieces, through a CRC and a digest of its entries, then the footer. The index's length
     * must be the one the blocks read imply before anything of it is read; then come its CRC, its flags (none
     * defined), and its agreement with the blocks.
     */
    private void readIndexAndFooter(long start) throws IOException {
        readFully(scratch, 4, Index.ENTRIES - 4, "index header", -1);
        int flags = LE.get32(scratch, 4);
        long length = LE.get64(scratch, 8);
        long count = LE.get64(scratch, 16);
        long expected = Index.size(blocks, hashLength);
        if (length != expected) {
            throw new CorruptDataException("index length " + Long.toUnsignedString(length) + " does not fit the "
                    + blocks + " blocks read (expected " + expected + ")", start + 8, -1);
        }
        CRC32C crc = new CRC32C();
        crc.update(scratch, 0, Index.ENTRIES);
        StreamingXXHash64 listed = XXHashFactory.fastestJavaInstance().newStreamingHash64(0);
        byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(1, length - Index.size(0, hashLength)))];
        for (long left = length - Index.size(0, hashLength); left > 0; ) {
            int n = (int) Math.min(buf.length, left);
            readFully(buf, 0, n, "index", -1);
            crc.update(buf, 0, n);
            listed.update(buf, 0, n);
            left -= n;
        }
        readFully(scratch, 0, Index.TRAILER, "index", -1);
        crc.update(scratch, 0, Index.TRAILER - 4);
        int stored = LE.get32(scratch, Index.TRAILER - 4);
        if (stored != (int) crc.getValue()) {
            throw new ChecksumMismatchException("index checksum", Format.hex32(stored),
                    Format.hex32((int) crc.getValue()), start, -1);
        }
        Format.requireKnownBits("index flags", flags & 0xffffffffL, 0, start + 4);
        if (count != blocks) {
            throw new CorruptDataException("index lists " + Long.toUnsignedString(count) + " blocks, " + blocks
                    + " were read", start + 16, -1);
        }
        if (entries.getValue() != listed.getValue()) {
            throw new CorruptDataException("index entries disagree with the block headers", start + Index.ENTRIES, -1);
        }
        long indexTotal = LE.get64(scratch, 0);
        if (indexTotal != totalRaw) {
            throw new CorruptDataException("index total size " + indexTotal + " disagrees with the blocks (" + totalRaw
                    + ")", start, -1);
        }
        byte[] root = merkle.root();
        byte[] id = Arrays.copyOfRange(scratch, 8, 40);
        if (!Arrays.equals(root, id)) {
            throw new ChecksumMismatchException("content ID", Format.hex(id), Format.hex(root), start, -1);
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
        footer = ft;
        contentId = root;
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
