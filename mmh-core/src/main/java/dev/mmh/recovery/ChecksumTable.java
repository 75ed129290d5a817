package dev.mmh.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The CRC32C of every data shard and then every parity shard (in storage order), kept in the section as two
 * copies made of chunks of {@link RecoveryParams#tableChunkEntries()} entries, each chunk followed by
 * CRC32C(entries || LE32(chunk number)).
 *
 * <p>On reading, a chunk comes from whichever copy checks out. When neither does, both copies' entries are
 * kept and a shard counts as intact if its CRC equals either one: damage must then hit the shard and the same
 * entry in both copies, with the right value, to go unnoticed, and the digest still catches that. Not
 * thread-safe for writes; {@link #matches} may be called concurrently once built.
 */
final class ChecksumTable {
    private static final int BATCH_CHUNKS = 64;

    private final int[] crc;
    private final int chunkEntries;
    private final int chunkSize;
    /** For chunks where neither copy checks out: chunk number to copy 1's entries ({@link #crc} has copy 0's). */
    private final Map<Long, int[]> unverified = new HashMap<>();
    private final long[] damagedChunks = new long[2];

    ChecksumTable(RecoveryParams p) {
        crc = new int[(int) p.tableEntries()];
        chunkEntries = p.tableChunkEntries();
        chunkSize = p.tableChunkSize();
    }

    int size() {
        return crc.length;
    }

    void set(long entry, int value) {
        crc[(int) entry] = value;
    }

    /** Whether the stored CRC of {@code entry} equals {@code actual}. */
    boolean matches(long entry, int actual) {
        int i = (int) entry;
        if (crc[i] == actual) {
            return true;
        }
        int[] alt = unverified.get(entry / chunkEntries);
        return alt != null && alt[i % chunkEntries] == actual;
    }

    /** Whether the entry came from a chunk whose own CRC checked out in at least one copy. */
    boolean verified(long entry) {
        return !unverified.containsKey(entry / chunkEntries);
    }

    /** Chunks of copy 0 or 1 whose CRC failed (or that lie past the end of the file). */
    long damagedChunks(int copy) {
        return damagedChunks[copy];
    }

    /** Chunks where neither copy checked out. */
    long unverifiedChunks() {
        return unverified.size();
    }

    /** Writes one copy of the table at {@code pos}. */
    void write(PositionalIo out, long pos) throws IOException {
        int chunks = (int) RecoveryParams.ceilDiv(crc.length, chunkEntries);
        ByteBuffer buf = ByteBuffer.allocate(BATCH_CHUNKS * chunkSize)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int first = 0; first < chunks; first += BATCH_CHUNKS) {
            buf.clear();
            int last = Math.min(chunks, first + BATCH_CHUNKS);
            for (int c = first; c < last; c++) {
                int start = buf.position();
                for (int e = 0; e < chunkEntries; e++) {
                    int i = c * chunkEntries + e;
                    buf.putInt(i < crc.length ? crc[i] : 0);
                }
                buf.putInt(chunkCrc(buf.array(), start, c));
            }
            buf.flip();
            out.write(pos + (long) first * chunkSize, buf);
        }
    }

    /** Reads both copies of the table of a section and merges them chunk by chunk. */
    static ChecksumTable read(PositionalIo in, long copy0, long copy1, RecoveryParams p) throws IOException {
        ChecksumTable t = new ChecksumTable(p);
        int chunks = (int) p.tableChunks();
        int batchBytes = BATCH_CHUNKS * t.chunkSize;
        ByteBuffer a = ByteBuffer.allocate(batchBytes).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer b = ByteBuffer.allocate(batchBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int first = 0; first < chunks; first += BATCH_CHUNKS) {
            int count = Math.min(BATCH_CHUNKS, chunks - first);
            long rel = (long) first * t.chunkSize;
            int gotA = t.readBatch(in, copy0 + rel, a, count);
            int gotB = t.readBatch(in, copy1 + rel, b, count);
            for (int i = 0; i < count; i++) {
                int off = i * t.chunkSize;
                int c = first + i;
                boolean okA = t.chunkOk(a, off, gotA, c);
                boolean okB = t.chunkOk(b, off, gotB, c);
                t.damagedChunks[0] += okA ? 0 : 1;
                t.damagedChunks[1] += okB ? 0 : 1;
                t.fill(c, okA || !okB ? a : b, off);
                if (!okA && !okB) {
                    int[] alt = new int[t.chunkEntries];
                    for (int e = 0; e < alt.length; e++) {
                        alt[e] = b.getInt(off + 4 * e);
                    }
                    t.unverified.put((long) c, alt);
                }
            }
        }
        return t;
    }

    private int readBatch(PositionalIo in, long pos, ByteBuffer buf, int count) throws IOException {
        buf.clear().limit(count * chunkSize);
        int got = in.read(pos, buf);
        // bytes past the end of the file read as zero (and fail their chunk CRC)
        while (buf.hasRemaining()) {
            buf.put((byte) 0);
        }
        return got;
    }

    private boolean chunkOk(ByteBuffer buf, int off, int got, int chunk) {
        if (off + chunkSize > got) {
            return false;
        }
        int stored = buf.getInt(off + chunkSize - 4);
        return stored == chunkCrc(buf.array(), off, chunk);
    }

    private void fill(int chunk, ByteBuffer src, int off) {
        for (int e = 0; e < chunkEntries; e++) {
            int i = chunk * chunkEntries + e;
            if (i < crc.length) {
                crc[i] = src.getInt(off + 4 * e);
            }
        }
    }

    private int chunkCrc(byte[] b, int off, int chunk) {
        CRC32C c = new CRC32C();
        c.update(b, off, chunkEntries * 4);
        c.update(chunk);
        c.update(chunk >>> 8);
        c.update(chunk >>> 16);
        c.update(chunk >>> 24);
        return (int) c.getValue();
    }
}
