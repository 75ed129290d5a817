package dev.mmh.archive.read;

import dev.mmh.archive.format.BlobId;
import dev.mmh.archive.format.BlobTable;
import java.io.IOException;

/**
 * Blobs with their places: what extraction needs to read data in block order. A folder archive answers from its
 * blob tables and blocks; a repository from its index and packs. Implementations are thread-safe.
 */
public interface ArchiveData extends BlobSource {
    /** Where the blob {@code id} lies, or {@code null} if the source does not hold it. */
    BlobTable.Location locate(BlobId id) throws IOException;

    /**
     * The raw bytes of block {@code number}, decoded and checked (repaired from recovery data where that is
     * possible); the caller reads {@code [0, length)} of the array and must not change it.
     */
    Block block(long number) throws IOException;

    /**
     * As {@link #block(long)}, on worker {@code t} of the pool the caller runs on (a source that decodes with the
     * block engine uses the worker's codec contexts; the default ignores it).
     */
    default Block block(dev.mmh.work.WorkerState t, long number) throws IOException {
        return block(number);
    }

    /**
     * As {@link #block(dev.mmh.work.WorkerState, long)}, for a caller that is done with the block soon: the bytes may
     * be a buffer lent from the source's pool instead of a copy of its own (an 8 MiB copy and 8 MiB of fresh memory
     * saved per block), which the caller must give back with {@link #release(Block)} once it has read them, and not
     * use after that. The default lends nothing ({@link #block(dev.mmh.work.WorkerState, long)}).
     */
    default Block lend(dev.mmh.work.WorkerState t, long number) throws IOException {
        return block(t, number);
    }

    /**
     * Gives back a block from {@link #lend}; a block that was not lent (a cached one) is left alone. Call it once per
     * lent block. The default does nothing.
     */
    default void release(Block b) throws IOException {
    }

    /** A decoded block: its raw bytes in {@code bytes[0, length)}. */
    record Block(long number, byte[] bytes, int length) {
    }

    @Override
    default byte[] get(BlobId id, int type) throws IOException {
        BlobTable.Location l = locate(id);
        if (l == null) {
            throw new dev.mmh.CorruptDataException("blob " + id.shortHex() + " is not in the archive", -1, -1);
        }
        if (l.type() != type) {
            throw new dev.mmh.CorruptDataException("blob " + id.shortHex() + " is of type " + l.type() + ", not "
                    + type, -1, l.block());
        }
        Block b = block(l.block());
        if ((long) l.offset() + l.length() > b.length()) {
            throw new dev.mmh.CorruptDataException("blob " + id.shortHex() + " at " + l.offset() + "+" + l.length()
                    + " lies outside its block of " + b.length() + " bytes", -1, l.block());
        }
        return java.util.Arrays.copyOfRange(b.bytes(), l.offset(), l.offset() + l.length());
    }
}
