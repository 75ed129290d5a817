package dev.mmh.format;

import dev.mmh.CorruptDataException;
import dev.mmh.hash.MerkleTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

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
     * Parses the file header and the block sections back to back from the header's end up to {@code end} and returns the
     * index they imply.
     *
     * @throws CorruptDataException if a header is damaged or the blocks do not end exactly at {@code end}
     */
    public static Index fromBlocks(Source src, long end) throws IOException {
        byte[] hb = new byte[Format.HEADER_SIZE];
        FileHeader fh = FileHeader.parse(hb, src.read(hb, 0, hb.length));
        int hl = BlockHeader.size(fh.hash().length());
        byte[] b = new byte[hl];
        List<IndexEntry> entries = new ArrayList<>();
        MerkleTree merkle = new MerkleTree();
        long pos = fh.length();
        long total = 0;
        while (pos < end) {
            if (src.read(b, pos, hl) < hl || LE.get32(b, 0) != Format.SECTION_BLOCK) {
                throw new CorruptDataException("no block header where the blocks should continue", pos, entries.size());
            }
            BlockHeader h = BlockHeader.parse(b, 0, fh, pos);
            if (h.number() != entries.size()) {
                throw new CorruptDataException("block number out of sequence", pos, entries.size());
            }
            entries.add(IndexEntry.of(pos, h));
            merkle.add(h.rawSize(), h.rawHash());
            total += h.rawSize();
            pos += h.sectionSize();
        }
        if (pos != end) {
            throw new CorruptDataException("blocks run past the end of the protected range", end, -1);
        }
        return new Index(entries, total, merkle.root());
    }
}
