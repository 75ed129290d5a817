package dev.mmh.recovery;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jpountz.xxhash.StreamingXXHash64;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The digest of a protected range, checked end to end after every repair: XXH64 (seed 0) of
 * LE64(N) || LE32(s) || LE64(XXH64(shard 0)) || ... || LE64(XXH64(shard D-1)).
 *
 * <p>Hashing shards separately lets every worker hash the shards it reads, in any order, and still give the
 * same digest. Together with the CRC32C of each shard, damage slips through only if it fools a 32-bit and a
 * 64-bit check at once. Thread-safe.
 */
final class Digest {
    private static final XXHash64 HASH = XXHashFactory.fastestInstance().hash64();

    private Digest() {}

    /** XXH64 of {@code buf[off, off+len)} (any buffer, direct or heap; position and limit untouched). */
    static long shard(ByteBuffer buf, int off, int len) {
        return HASH.hash(buf, off, len, 0L);
    }

    /** The range's digest from the hashes of its shards. */
    static long combine(long protectedLength, int shardSize, long[] shardHashes) {
        try (StreamingXXHash64 h = XXHashFactory.fastestInstance().newStreamingHash64(0L)) {
            ByteBuffer b = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(protectedLength).putInt(shardSize);
            for (long v : shardHashes) {
                if (b.remaining() < 8) {
                    h.update(b.array(), 0, b.position());
                    b.clear();
                }
                b.putLong(v);
            }
            h.update(b.array(), 0, b.position());
            return h.getValue();
        }
    }
}
