package dev.mmh.archive.write;

import dev.mmh.archive.format.BlobId;
import dev.mmh.archive.format.BlobTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The blobs an archive holds, in memory, for deduplication while packing: ID to (block, offset, length, type), in
 * flat arrays with open addressing (about 60 bytes a blob at most, 48 of them the entry itself), so a million
 * blobs cost about 60 MB and no object per blob. Blobs added by this run are marked new and listed by
 * {@link #added()}. A blob may be put while its block has no number yet ({@link #PENDING}); {@link #settle} gives
 * the number once the block is written. Not thread-safe.
 */
public final class BlobIndex {
    /** Block number of a blob whose block is not written yet. */
    public static final long PENDING = -1;

    private byte[] ids;
    private long[] blocks;
    private int[] offsets;
    private int[] lengths;
    private byte[] types;
    private boolean[] fresh;
    private int[] slots; // open addressing: 0 = empty, else entry index + 1
    private int size;

    public BlobIndex() {
        this(1024);
    }

    public BlobIndex(int expected) {
        int cap = Math.max(16, Integer.highestOneBit(Math.max(1, expected)) * 2);
        ids = new byte[cap * BlobId.LENGTH];
        blocks = new long[cap];
        offsets = new int[cap];
        lengths = new int[cap];
        types = new byte[cap];
        fresh = new boolean[cap];
        slots = new int[cap * 2];
    }

    public int size() {
        return size;
    }

    private int slot(byte[] id, int idOff) {
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = h << 8 | id[idOff + i] & 0xff;
        }
        return (int) (h ^ h >>> 29) & (slots.length - 1);
    }

    /** Index of the entry for {@code id}, or -1. */
    private int find(BlobId id) {
        byte[] b = id.bytes();
        for (int s = slot(b, 0); ; s = s + 1 & slots.length - 1) {
            int e = slots[s] - 1;
            if (e < 0) {
                return -1;
            }
            if (Arrays.equals(ids, e * BlobId.LENGTH, e * BlobId.LENGTH + BlobId.LENGTH, b, 0, BlobId.LENGTH)) {
                return e;
            }
        }
    }

    /** Where {@code id} is, or {@code null}; a blob of a block not yet written has block {@link #PENDING}. */
    public BlobTable.Location get(BlobId id) {
        int e = find(id);
        return e < 0 ? null : location(e);
    }

    public boolean contains(BlobId id) {
        return find(id) >= 0;
    }

    private BlobTable.Location location(int e) {
        return new BlobTable.Location(BlobId.of(ids, e * BlobId.LENGTH), types[e], Math.max(0, blocks[e]), offsets[e],
                lengths[e]);
    }

    /** The block a blob is in ({@link #PENDING} if not yet written), or -2 if the index does not hold it. */
    public long block(BlobId id) {
        int e = find(id);
        return e < 0 ? -2 : blocks[e];
    }

    /**
     * Adds a blob.
     *
     * @param isNew whether this run stored it (it then goes into this run's blob table)
     * @return the entry's handle, for {@link #settle}
     * @throws IllegalArgumentException if the index already holds {@code id}
     */
    public int put(BlobId id, int type, long block, int offset, int length, boolean isNew) {
        if (find(id) >= 0) {
            throw new IllegalArgumentException("blob " + id + " is already indexed");
        }
        if (size == blocks.length) {
            grow();
        }
        int e = size++;
        id.copyTo(ids, e * BlobId.LENGTH);
        blocks[e] = block;
        offsets[e] = offset;
        lengths[e] = length;
        types[e] = (byte) type;
        fresh[e] = isNew;
        insert(e);
        return e;
    }

    /** Gives the block number of entries put as {@link #PENDING}. */
    public void settle(int handle, long block) {
        blocks[handle] = block;
    }

    private void insert(int e) {
        for (int s = slot(ids, e * BlobId.LENGTH); ; s = s + 1 & slots.length - 1) {
            if (slots[s] == 0) {
                slots[s] = e + 1;
                return;
            }
        }
    }

    private void grow() {
        int cap = blocks.length * 2;
        ids = Arrays.copyOf(ids, cap * BlobId.LENGTH);
        blocks = Arrays.copyOf(blocks, cap);
        offsets = Arrays.copyOf(offsets, cap);
        lengths = Arrays.copyOf(lengths, cap);
        types = Arrays.copyOf(types, cap);
        fresh = Arrays.copyOf(fresh, cap);
        slots = new int[cap * 2];
        for (int e = 0; e < size; e++) {
            insert(e);
        }
    }

    /** The blobs this run added, for its blob table (every block must be settled). */
    public List<BlobTable.Location> added() {
        List<BlobTable.Location> l = new ArrayList<>();
        for (int e = 0; e < size; e++) {
            if (fresh[e]) {
                if (blocks[e] < 0) {
                    throw new IllegalStateException("blob " + BlobId.of(ids, e * BlobId.LENGTH) + " has no block yet");
                }
                l.add(location(e));
            }
        }
        return l;
    }

    /** Bytes of heap this index holds, for reports. */
    public long heapBytes() {
        return (long) ids.length + blocks.length * 8L + offsets.length * 4L + lengths.length * 4L + types.length
                + fresh.length + slots.length * 4L;
    }
}
