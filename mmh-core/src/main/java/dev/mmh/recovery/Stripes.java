package dev.mmh.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The unit of parallel work: a run of consecutive code words [g0, g1). Because code word g's j-th data shard
 * is shard g + j*G, the j-th data shards of a run are one contiguous byte range of the file, and the q-th
 * parity shards of a run are one contiguous range of the parity region. A worker reads row by row and keeps
 * the run's lanes in its own {@link Scratch}.
 */
final class Stripes {
    /** Bytes of one row of a run: small enough that the lanes of a run stay in the L2 cache. */
    private static final int ROW_BYTES = 64 << 10;
    private static final byte[] ZEROS = new byte[8192];

    final RecoveryParams p;
    final int perTask;
    final int tasks;

    Stripes(RecoveryParams p) {
        this.p = p;
        this.perTask = (int) Math.max(1, Math.min(p.codeWords(), ROW_BYTES / p.shardSize()));
        this.tasks = (int) RecoveryParams.ceilDiv(p.codeWords(), perTask);
    }

    long first(int task) {
        return (long) task * perTask;
    }

    long end(int task) {
        return Math.min(p.codeWords(), first(task) + perTask);
    }

    /** Number of data shards of row j among code words [g0, g1) (0 when the row is past the data). */
    int rowShards(long g0, long g1, int j) {
        long base = (long) j * p.codeWords();
        return (int) Math.max(0, Math.min(g1, p.dataShards() - base) - g0);
    }

    /**
     * Reads row j of code words [g0, g1) into {@code s.io} from position 0.
     *
     * @return bytes read; fewer than the row's length if the channel ends early
     */
    int readDataRow(PositionalIo in, Scratch s, long g0, long g1, int j) throws IOException {
        int count = rowShards(g0, g1, j);
        long firstShard = g0 + (long) j * p.codeWords();
        long from = firstShard * p.shardSize();
        long to = Math.min(p.protectedLength(), (firstShard + count) * p.shardSize());
        s.io.clear().limit((int) (to - from));
        return in.read(from, s.io);
    }

    /** Zero-fills {@code s.io} from {@code from} to {@code lanes} longs and converts it into {@code dst}. */
    static void toLanes(Scratch s, int from, long[] dst, int lanes) {
        ByteBuffer io = s.io;
        io.clear().position(from);
        int end = lanes * 8;
        while (io.position() < end) {
            io.put(ZEROS, 0, Math.min(ZEROS.length, end - io.position()));
        }
        io.clear();
        io.asLongBuffer().get(dst, 0, lanes);
    }

    /** Puts {@code lanes} longs of {@code src} into {@code s.io} as bytes, ready to be written. */
    static void fromLanes(Scratch s, long[] src, int lanes) {
        s.io.clear();
        s.io.asLongBuffer().put(src, 0, lanes);
        s.io.limit(lanes * 8);
    }

    /** CRC32C of {@code len} bytes of the scratch buffer at {@code off}. */
    static int crc(Scratch s, int off, int len) {
        return Digest.checksum(s.crc, s.io, off, len);
    }

    /** One worker's buffers, sized for a full run. Not thread-safe. */
    final class Scratch {
        final ByteBuffer io;
        final long[] row;
        final long[][] acc;
        final long[][] out;
        final long[] tmp;
        final CRC32C crc = new CRC32C();
        final CRC32 crc32 = new CRC32();

        /**
         * @param accumulators syndrome arrays (m)
         * @param outputs parity arrays for a whole run (m for the encoder, 0 for the decoder, which solves one
         *     code word at a time)
         */
        Scratch(int accumulators, int outputs) {
            int bytes = perTask * p.shardSize();
            io = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int lanes = bytes / 8;
            row = new long[lanes];
            acc = new long[accumulators][lanes];
            out = new long[outputs][lanes];
            tmp = new long[outputs > 0 ? lanes : 0];
        }
    }
}
