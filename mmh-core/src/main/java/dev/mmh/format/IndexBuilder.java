package dev.mmh.format;

import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.hash.MerkleTree;
import java.io.IOException;
import java.util.Arrays;

/**
 * Rebuilds an archive's index from its block headers. Blocks are self-describing, so the index (and with it the
 * footer) can be recreated byte for byte from the blocks alone: this is how a repair restores a lost index.
 */
public final class IndexBuilder {
    private IndexBuilder() {
    }

    /** Something that reads bytes at a position (a file channel, a buffer). */
    public interface Source {
        /** Reads up to {@code len} bytes at {@code pos}; fewer only at the end. */
        int read(byte[] b, long pos, int len) throws IOException;
    }

    /**
     * Parses the file header and the block sections back to back from the header's end up to {@code end} and
     * returns the index they imply. It builds the index section's bytes as it goes (48 or 72 per block, no object
     * per block), within the limits: {@link Format#MAX_BLOCKS} blocks, and what {@link Index#checkHeld} allows.
     *
     * @throws CorruptDataException if a header is damaged or the blocks do not end exactly at {@code end}
     * @throws LimitExceededException at the block after {@link Format#MAX_BLOCKS}, or when the index would take
     *     more memory than allowed, before anything is allocated for it
     */
    public static Index fromBlocks(Source src, long end) throws IOException {
        return scan(src, end).index();
    }

    /**
     * What {@link #scan} finds: the index, and in a folder archive the last manifest section before the end (offset
     * and length of the whole section; 0 when there is none).
     */
    public record Found(Index index, long manifestOffset, long manifestLength) {
    }

    /**
     * As {@link #fromBlocks}, past the sections an archive holds after its blocks (an encrypted archive's {@code E}
     * and {@code A}, signatures), and in a folder archive also past what lies between its blocks: sections of other
     * types (blob tables, manifests, recovery sections of earlier versions), each skipped by its envelope's length,
     * and the tails earlier versions left (an index section and the 80-byte footer after it). The last manifest
     * section met is the one a rebuilt footer points to.
     */
    public static Found scan(Source src, long end) throws IOException {
        byte[] hb = new byte[Format.MAX_HEADER_SIZE];
        FileHeader fh = FileHeader.parse(hb, src.read(hb, 0, hb.length));
        int hashLength = fh.hash().length();
        int entrySize = IndexEntry.size(hashLength);
        byte[] b = new byte[BlockHeader.size(hashLength)];
        byte[] index = new byte[(int) Math.min(64 * 1024, Index.size(0, hashLength) + 16L * entrySize)];
        MerkleTree merkle = new MerkleTree();
        long pos = fh.length();
        long total = 0;
        int count = 0;
        long manifestOffset = 0;
        long manifestLength = 0;
        long signedAt = -1;
        byte[] env = new byte[Format.SECTION_ENVELOPE];
        while (pos < end) {
            int got = src.read(b, pos, b.length);
            int magic = got >= 4 ? LE.get32(b, 0) : 0;
            if ((fh.folder() || magic == Format.SECTION_SIGNATURE
                    || fh.encrypted() && (magic == Format.SECTION_ENCRYPTION || magic == Format.SECTION_AUTH))
                    && magic != Format.SECTION_BLOCK && SectionEnvelope.isSection(magic)
                    && src.read(env, pos, env.length) == env.length) {
                long len = LE.get64(env, 8);
                if (len < Format.SECTION_ENVELOPE + 4 || len > end - pos) {
                    throw new CorruptDataException("section of an impossible length between the blocks", pos, -1);
                }
                if (magic == Format.SECTION_INDEX) {
                    // an earlier version's tail: its index, then its footer
                    len += Format.FOLDER_FOOTER_SIZE;
                    byte[] f = new byte[Format.FOLDER_FOOTER_SIZE];
                    if (len > end - pos || src.read(f, pos + len - f.length, f.length) < f.length
                            || !Footer.hasMagic(f)) {
                        throw new CorruptDataException("an index between the blocks without its footer", pos, -1);
                    }
                } else if (magic == Format.SECTION_SIGNATURE) {
                    signedAt = pos;
                } else if (magic == Format.SECTION_MANIFEST) {
                    manifestOffset = pos;
                    manifestLength = len;
                }
                pos += len;
                continue;
            }
            if (got < b.length || magic != Format.SECTION_BLOCK) {
                throw new CorruptDataException("no block header where the blocks should continue", pos, count);
            }
            if (signedAt >= 0 && !fh.folder()) {
                throw new CorruptDataException("block after a signature section (at offset " + signedAt + ")", pos,
                        count);
            }
            BlockHeader h = BlockHeader.parse(b, 0, fh, pos);
            if (h.number() != count) {
                throw new CorruptDataException("block number out of sequence", pos, count);
            }
            if (count == Format.MAX_BLOCKS) {
                throw new LimitExceededException("archive", Format.MAX_BLOCKS + 1, Format.MAX_BLOCKS, "blocks");
            }
            long need = Index.size(count + 1, hashLength);
            if (need > index.length) {
                Index.checkHeld(need);
                index = Arrays.copyOf(index, (int) Math.min(Math.max(need, 2L * index.length), Index.heldBudget()));
            }
            IndexEntry.of(pos, h).encode(index, Index.ENTRIES + count * entrySize);
            merkle.add(h.rawSize(), h.rawHash());
            total += h.rawSize();
            count++;
            pos += h.sectionSize();
        }
        if (pos != end) {
            throw new CorruptDataException("blocks run past the end of the protected range", end, -1);
        }
        int length = (int) Index.size(count, hashLength);
        index = Arrays.copyOf(index, length);
        LE.put32(index, 0, Format.SECTION_INDEX);
        LE.put64(index, 8, length);
        LE.put64(index, 16, count);
        int p = length - Index.TRAILER;
        LE.put64(index, p, total);
        System.arraycopy(merkle.root(), 0, index, p + 8, 32);
        LE.put32(index, p + 40, Format.crc(index, 0, p + 40));
        return new Found(Index.parse(index, hashLength, -1), manifestOffset, manifestLength);
    }
}
