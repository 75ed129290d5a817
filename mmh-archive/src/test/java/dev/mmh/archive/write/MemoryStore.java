package dev.mmh.archive.write;

import dev.mmh.archive.format.BlobId;
import dev.mmh.archive.format.BlobTable;
import dev.mmh.archive.read.ArchiveData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Blocks kept in memory as they are written: the packer's sink and extraction's source, so the archive logic is
 * tested without the container (which has its own tests). Counts block reads, to check what extraction decodes.
 */
public final class MemoryStore implements BlockSink, ArchiveData {
    private final int blockSize;
    final List<byte[]> blocks = new ArrayList<>();
    final List<Boolean> meta = new ArrayList<>();
    final BlobIndex index;
    final AtomicInteger reads = new AtomicInteger();

    public MemoryStore(int blockSize, BlobIndex index) {
        this.blockSize = blockSize;
        this.index = index;
    }

    /** The blocks written so far, raw. */
    public List<byte[]> blocks() {
        return blocks;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public byte[] buffer() {
        return new byte[blockSize];
    }

    @Override
    public synchronized long write(byte[] raw, int length, boolean isMeta) {
        blocks.add(java.util.Arrays.copyOf(raw, length));
        meta.add(isMeta);
        return blocks.size() - 1;
    }

    @Override
    public BlobTable.Location locate(BlobId id) {
        return index.get(id);
    }

    @Override
    public Block block(long number) {
        reads.incrementAndGet();
        byte[] b = blocks.get((int) number);
        return new Block(number, b, b.length);
    }
}
