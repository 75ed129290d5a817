package dev.mmh.recovery;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Checksum;

/**
 * The digest of a protected range, checked end to end after every repair. Each data shard i contributes
 * v_i = CRC32C(shard) &lt;&lt; 32 | CRC32(shard) (the zlib polynomial, independent of the Castagnoli one), and
 *
 * <pre>
 *   h = mix(N ^ (s &lt;&lt; 40))
 *   for i in 0 .. D-1:  h = mix(h ^ v_i) + i
 *   digest = mix(h)
 * </pre>
 *
 * where mix is the SplitMix64 finaliser. Damage that fools the table's CRC32C must also fool a CRC with a
 * different polynomial (together a 64-bit check), and the digest binds the CRC32C table to the data.
 * Both CRCs are JIT intrinsics, so the digest costs a fraction of reading the data. Shards are hashed
 * separately so that workers can hash them in any order. Not cryptographic: the archive's content ID is.
 * Thread-safe.
 */
final class Digest {
    private Digest() {}

    /** The 64-bit contribution of one shard, given its CRC32C and the shard's bytes at [off, off+len). */
    static long shard(int crc32c, ByteBuffer buf, int off, int len, CRC32 scratch) {
        return (long) crc32c << 32 | (checksum(scratch, buf, off, len) & 0xFFFFFFFFL);
    }

    /**
     * Resets {@code c} and returns its value over {@code buf[off, off+len)}, leaving the buffer's position and
     * limit as they were (no duplicate buffer per shard).
     */
    static int checksum(Checksum c, ByteBuffer buf, int off, int len) {
        int position = buf.position();
        int limit = buf.limit();
        buf.limit(off + len).position(off);
        c.reset();
        c.update(buf);
        buf.limit(limit).position(position);
        return (int) c.getValue();
    }

    /** The range's digest from the contributions of its shards, in shard order. */
    static long combine(long protectedLength, int shardSize, long[] shards) {
        long h = mix(protectedLength ^ ((long) shardSize << 40));
        for (int i = 0; i < shards.length; i++) {
            h = mix(h ^ shards[i]) + i;
        }
        return mix(h);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
