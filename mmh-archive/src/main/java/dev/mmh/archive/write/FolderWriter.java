package dev.mmh.archive.write;

import dev.mmh.engine.BlockCodec;
import dev.mmh.engine.CompressOptions;
import dev.mmh.format.ArchiveTail;
import dev.mmh.format.Format;
import dev.mmh.format.Index;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.SectionEnvelope;
import dev.mmh.hash.MerkleTree;
import dev.mmh.work.OrderedPipeline;
import dev.mmh.work.WorkerPool;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The packer's {@link BlockSink} on the block engine: each block is encoded on a worker of the pool (analysis,
 * transform, codec, checksums: {@link BlockCodec}) and written in order to the output, where its index entry is
 * recorded; {@link #finish} then writes the blob table, the manifest, the index of every block and the folder
 * footer. For an append, the writer starts after the archive's committed end with the blocks it already holds, so
 * the index and the content ID cover every version. Called from one thread.
 */
public final class FolderWriter implements BlockSink, AutoCloseable {
    private final OutputStream out;
    private final CompressOptions o;
    private final BlockCodec codec;
    private final OrderedPipeline<BlockCodec.Encoded> pipe;
    private final int hashLength;
    private final List<IndexEntry> entries;
    private final MerkleTree merkle = new MerkleTree();
    private final LongConsumer progress;
    private long offset;
    private long total;
    private long next;
    private long dataBlocks;

    /**
     * @param out where the archive continues; {@code offset} is the archive offset of its next byte
     * @param earlier the index entries of the blocks the archive already holds (none for a new archive)
     * @param progress told the raw bytes of each block written
     */
    public FolderWriter(OutputStream out, long offset, List<IndexEntry> earlier, CompressOptions o, WorkerPool pool,
            LongConsumer progress) throws IOException {
        this(out, offset, earlier, o, pool, progress, null);
    }

    /**
     * As {@link #FolderWriter(OutputStream, long, List, CompressOptions, WorkerPool, LongConsumer)}, sealing every
     * block with {@code cipher} (an encrypted archive's keys; {@code null}: a plain archive).
     */
    public FolderWriter(OutputStream out, long offset, List<IndexEntry> earlier, CompressOptions o, WorkerPool pool,
            LongConsumer progress, dev.mmh.crypto.ArchiveCipher cipher) throws IOException {
        this.out = out;
        this.offset = offset;
        this.o = o;
        this.codec = new BlockCodec(o, pool, cipher);
        this.hashLength = o.hash().length();
        this.entries = new ArrayList<>(earlier);
        for (IndexEntry e : earlier) {
            merkle.add(e.rawSize(), e.rawHash());
            total += e.rawSize();
        }
        this.next = earlier.size();
        this.progress = progress;
        this.pipe = new OrderedPipeline<>(pool, BlockCodec.inFlight(o, pool), this::written);
    }

    @Override
    public int blockSize() {
        return o.blockSize();
    }

    @Override
    public byte[] buffer() {
        return codec.rawBuffer();
    }

    @Override
    public long write(byte[] raw, int length, boolean meta) throws IOException {
        long number = next++;
        if (number >= Format.MAX_BLOCKS) {
            throw new dev.mmh.LimitExceededException("archive", number + 1, Format.MAX_BLOCKS, "blocks");
        }
        if (!meta) {
            dataBlocks++;
        }
        pipe.submit(t -> codec.encode(t, raw, length, number, null));
        return number;
    }

    /** The sink of the pipeline: a block, in order. */
    private void written(BlockCodec.Encoded e) throws IOException {
        entries.add(IndexEntry.of(offset, e.header()));
        merkle.add(e.header().rawSize(), e.header().rawHash());
        out.write(e.bytes(), 0, e.length());
        offset += e.length();
        total += e.header().rawSize();
        progress.accept(e.header().rawSize());
        codec.release(e);
    }

    /** Waits for every block to be written; returns the offset after the last one. */
    public long flushBlocks() throws IOException {
        pipe.finish();
        return offset;
    }

    /** The offset of the next byte written. */
    public long offset() {
        return offset;
    }

    /** Writes a whole section (its envelope included) after the blocks; returns its offset. */
    public long section(byte[] section) throws IOException {
        long at = offset;
        out.write(section);
        offset += section.length;
        return at;
    }

    /** Writes the manifest section around {@code body}; returns its offset. */
    public long manifest(byte[] body) throws IOException {
        return section(SectionEnvelope.wrap(Format.SECTION_MANIFEST, 0, body));
    }

    /**
     * Writes the manifest section of an encrypted archive: {@code body} sealed with the end of the archive (block
     * count, total raw size, content ID of every block written so far); returns the section's length.
     */
    public long sealedManifest(dev.mmh.crypto.ArchiveCipher cipher, byte[] body) throws IOException {
        Index i = index();
        byte[] plain = dev.mmh.archive.format.Sealed.manifestPlain(i.entries().size(), i.totalRawSize(),
                i.contentId(), body);
        byte[] s = dev.mmh.archive.format.Sealed.wrap(cipher, Format.SECTION_MANIFEST, offset, plain);
        section(s);
        return s.length;
    }

    /**
     * Writes the index of every block and the folder footer pointing at the manifest section (its offset and
     * length); returns the tail written (its {@link ArchiveTail#fileLength()} is the archive's length).
     */
    public ArchiveTail finish(long manifestOffset, long manifestLength) throws IOException {
        ArchiveTail tail = ArchiveTail.folderAfter(offset, index(), hashLength, manifestOffset, manifestLength);
        tail.writeTo(out);
        out.flush();
        offset = tail.fileLength();
        return tail;
    }

    /** The index of every block written so far (and the archive's earlier ones). */
    public Index index() {
        return new Index(entries, total, merkle.root());
    }

    /** Blocks of data chunks this writer wrote (not metadata). */
    public long dataBlocks() {
        return dataBlocks;
    }

    /** Blocks this writer wrote. */
    public long blocksWritten() {
        return entries.size();
    }

    @Override
    public void close() {
        pipe.close();
    }
}
