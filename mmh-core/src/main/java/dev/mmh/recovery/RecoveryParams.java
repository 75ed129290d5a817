package dev.mmh.recovery;

import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;

/**
 * The shape of the recovery data for a protected byte range [0, N): shard size, code, interleave and the
 * layout of the recovery section. Every field follows from (N, shard size, k, m); {@link #plan} chooses them
 * for a fraction and {@link #validated} checks a set read from a file. See docs/RECOVERY-FORMAT.md.
 *
 * <p>Data shard i is bytes [i*s, min(N, (i+1)*s)). Code word g (0 &lt;= g &lt; G) holds data shards
 * g, g+G, g+2G, ... (at code positions 0, 1, 2, ...) and parity shards g, G+g, 2G+g, ... of the parity region
 * (at code positions k, k+1, ...): consecutive shards belong to consecutive code words, so a burst of b
 * shards costs each code word at most ceil(b/G) shards. Immutable.
 *
 * @param protectedLength N, in bytes
 * @param shardSize s, the unit of checksumming and repair, a power of two
 * @param dataShards D = ceil(N / s)
 * @param dataRows k: data shards per code word (the last row may be short: code words past its end hold a
 *     zero shard there)
 * @param parityRows m: parity shards per code word
 * @param codeWords G = ceil(D / k), also the interleave stride
 * @param tableChunkEntries checksum table entries per table chunk (each chunk carries its own CRC)
 */
public record RecoveryParams(long protectedLength, int shardSize, long dataShards, int dataRows, int parityRows,
        long codeWords, int tableChunkEntries) {
    /** Size of one copy of the section header. */
    public static final int HEADER_SIZE = 128;
    /** Bounds of the checksum table entries per chunk (a power of two). */
    public static final int MIN_TABLE_CHUNK_ENTRIES = 16;
    public static final int MAX_TABLE_CHUNK_ENTRIES = 4096;
    /** Entries per chunk that the writer uses for large tables. */
    static final int PLANNED_TABLE_CHUNK_ENTRIES = 256;
    public static final int MIN_SHARD_SIZE = 64;
    public static final int MAX_SHARD_SIZE = 1 << 20;
    /** At most this many data shards (bounds the checksum tables held in memory). */
    public static final long MAX_DATA_SHARDS = 1L << 22;
    /** At most this many checksum table entries, data and parity together. */
    public static final long MAX_TABLE_ENTRIES = 1L << 23;
    /** Largest protected range: {@link #MAX_DATA_SHARDS} shards of {@link #MAX_SHARD_SIZE}. */
    public static final long MAX_PROTECTED_LENGTH = MAX_DATA_SHARDS * MAX_SHARD_SIZE;
    /** Smallest and largest recovery fraction accepted by {@link #plan}. */
    public static final double MIN_FRACTION = 0.001;
    public static final double MAX_FRACTION = 0.5;

    /** Shard count aimed at: enough code words that scattered damage rarely piles up in one of them. */
    static final long TARGET_SHARDS = 32768;
    /** Parity shards per code word above which encoding gets slow (cost grows with m^2). */
    static final int MAX_PLANNED_PARITY = 10;

    /**
     * Chooses the parameters for protecting N bytes with recovery data of at least {@code fraction} x N.
     *
     * <p>The shard size is the power of two giving about {@value #TARGET_SHARDS} shards, but at least 512 B (so the
     * checksum tables stay below 1.6% of N) unless N is below 32 KiB, where it gives about 64 shards of at least
     * 64 B; at most 1 MiB. A code
     * word has m = ceil(fraction x 100) parity shards (at least 2, at most 10) for k = floor(m / fraction) data
     * shards, so 5% gives 100 + 5 and 1% gives 200 + 2; below 0.8% it is 1 parity shard per up to 254.
     * Deterministic: the same N and fraction always give the same parameters.
     *
     * @throws IllegalArgumentException if fraction is outside [{@value #MIN_FRACTION}, {@value #MAX_FRACTION}]
     * @throws LimitExceededException if N is above {@link #MAX_PROTECTED_LENGTH}
     */
    public static RecoveryParams plan(long protectedLength, double fraction) throws LimitExceededException {
        if (!(fraction >= MIN_FRACTION && fraction <= MAX_FRACTION)) {
            throw new IllegalArgumentException("recovery fraction " + fraction + " outside [0.001, 0.5]");
        }
        if (protectedLength < 0) {
            throw new IllegalArgumentException("negative length " + protectedLength);
        }
        if (protectedLength > MAX_PROTECTED_LENGTH) {
            throw new LimitExceededException("recovery data", protectedLength, MAX_PROTECTED_LENGTH);
        }
        long want = Math.max(ceilDiv(protectedLength, TARGET_SHARDS), Math.min(512, ceilDiv(protectedLength, 64)));
        int s = MIN_SHARD_SIZE;
        while (s < MAX_SHARD_SIZE && s < want) {
            s <<= 1;
        }
        long d = ceilDiv(protectedLength, s);
        int m = (int) Math.min(MAX_PLANNED_PARITY, Math.max(2, Math.ceil(fraction * 100 - 1e-9)));
        int k = (int) Math.floor(m / fraction + 1e-9);
        if (k + m > ReedSolomon.MAX_SHARDS) {
            m = 1;
            k = (int) Math.min(ReedSolomon.MAX_SHARDS - 1, Math.floor(1 / fraction + 1e-9));
        }
        if (d == 0) {
            return new RecoveryParams(protectedLength, s, 0, 1, 1, 0, MIN_TABLE_CHUNK_ENTRIES);
        }
        long g = ceilDiv(d, k);
        int kEff = (int) ceilDiv(d, g);
        int mEff = (int) Math.max(1, Math.min(m, Math.ceil(fraction * kEff - 1e-9)));
        // about 16 chunks for small tables, so a small file does not pay for a 1 KiB chunk
        long entries = d + mEff * g;
        int chunk = MIN_TABLE_CHUNK_ENTRIES;
        while (chunk < PLANNED_TABLE_CHUNK_ENTRIES && chunk * 16L < entries) {
            chunk <<= 1;
        }
        return new RecoveryParams(protectedLength, s, d, kEff, mEff, g, chunk);
    }

    /**
     * Checks a parameter set read from a file: every field within limits and consistent with the others, so
     * that nothing allocated or computed from it can overflow.
     */
    static RecoveryParams validated(long n, long s, long d, long k, long m, long g, long chunkEntries)
            throws CorruptDataException, LimitExceededException {
        if (chunkEntries < MIN_TABLE_CHUNK_ENTRIES || chunkEntries > MAX_TABLE_CHUNK_ENTRIES
                || Long.bitCount(chunkEntries) != 1) {
            throw new CorruptDataException("recovery table chunk of " + chunkEntries + " entries", -1, -1);
        }
        if (s < MIN_SHARD_SIZE || s > MAX_SHARD_SIZE || Long.bitCount(s) != 1) {
            throw new CorruptDataException("recovery shard size " + s + " invalid", -1, -1);
        }
        if (n < 0 || n > MAX_PROTECTED_LENGTH) {
            throw new LimitExceededException("recovery-protected range", n, MAX_PROTECTED_LENGTH);
        }
        if (k < 1 || m < 1 || m > ReedSolomon.MAX_PARITY || k + m > ReedSolomon.MAX_SHARDS) {
            throw new CorruptDataException("recovery code " + k + "+" + m + " invalid", -1, -1);
        }
        if (d != ceilDiv(n, s)) {
            throw new CorruptDataException("recovery header: " + d + " shards for " + n + " bytes", -1, -1);
        }
        long expectG = d == 0 ? 0 : ceilDiv(d, k);
        if (g != expectG || (d > 0 && k != ceilDiv(d, g)) || (d == 0 && k != 1)) {
            throw new CorruptDataException("recovery header: inconsistent code word count " + g, -1, -1);
        }
        RecoveryParams p = new RecoveryParams(n, (int) s, d, (int) k, (int) m, g, (int) chunkEntries);
        if (p.tableEntries() > MAX_TABLE_ENTRIES) {
            throw new LimitExceededException("recovery checksum table", p.tableEntries() * 4, MAX_TABLE_ENTRIES * 4);
        }
        return p;
    }

    /** Parity shards in all: m x G. */
    public long parityShards() {
        return (long) parityRows * codeWords;
    }

    /** Checksum table entries: one per data shard, then one per parity shard. */
    public long tableEntries() {
        return dataShards + parityShards();
    }

    long tableChunks() {
        return ceilDiv(tableEntries(), tableChunkEntries);
    }

    /** Bytes of one table chunk: its entries and its CRC. */
    int tableChunkSize() {
        return tableChunkEntries * 4 + 4;
    }

    /** Bytes of one copy of the checksum table. */
    public long tableCopyLength() {
        return tableChunks() * tableChunkSize();
    }

    /** Bytes of all parity shards. */
    public long parityLength() {
        return parityShards() * shardSize;
    }

    /** Offset of header copy 0 (0) or 1 within the section. */
    public long headerOffset(int copy) {
        return copy == 0 ? 0 : HEADER_SIZE + 2 * tableCopyLength() + parityLength();
    }

    /** Offset of checksum table copy 0 or 1 within the section. */
    public long tableOffset(int copy) {
        return copy == 0 ? HEADER_SIZE : HEADER_SIZE + tableCopyLength() + parityLength();
    }

    /** Offset of the parity region within the section. */
    public long parityOffset() {
        return HEADER_SIZE + tableCopyLength();
    }

    /** Total bytes of the recovery section. */
    public long sectionLength() {
        return 2L * HEADER_SIZE + 2 * tableCopyLength() + parityLength();
    }

    /** Length of data shard i (the last one may be short). */
    int dataShardLength(long i) {
        return (int) Math.min(shardSize, protectedLength - i * shardSize);
    }

    /** The share of N that the parity takes, e.g. 0.05. */
    public double parityFraction() {
        return protectedLength == 0 ? 0 : (double) parityLength() / protectedLength;
    }

    static long ceilDiv(long a, long b) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }
}
