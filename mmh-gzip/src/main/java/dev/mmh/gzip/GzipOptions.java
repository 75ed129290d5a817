package dev.mmh.gzip;

import dev.mmh.work.WorkerPool;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Options of the parallel gzip engine. Immutable; make one with {@link #builder()}.
 *
 * @param level compression level 1..12 (libdeflate's scale; the JDK fallback treats 10..12 as 9); default 6
 * @param threads worker threads, at least 1; default: the available processors. Output does not depend on it.
 *     Equal to {@code pool.parallelism()} when a pool is given.
 * @param blockSize input bytes per gzip member; 0 picks the default for the level ({@link #defaultBlockSize(int)}).
 *     Blocks of at most {@link GzipFormat#BGZF_MAX_BLOCK} bytes give BGZF layout (subfield BC, EOF marker),
 *     larger ones carry mmh's subfield MH.
 * @param name file name stored in the first member's FNAME field (ISO-8859-1), or null for none
 * @param mtime modification time in seconds since the epoch stored in the first member, 0 for none
 * @param backend the DEFLATE implementation
 * @param maxBytesInFlight decompression: bound on compressed plus decompressed bytes of the members being inflated
 *     at once, and on the size of one member inflated in parallel; members beyond it are inflated as a stream
 * @param pool shared workers for the members instead of threads of each stream's own, or {@code null}: streams on
 *     one pool (file after file) reuse its threads and their deflaters and inflaters; a stream does not close it
 */
public record GzipOptions(int level, int threads, int blockSize, String name, long mtime, DeflateBackend backend,
        long maxBytesInFlight, WorkerPool pool) {
    /** Smallest block size accepted. */
    public static final int MIN_BLOCK_SIZE = 1024;
    /** Largest block size accepted: 16 MiB. */
    public static final int MAX_BLOCK_SIZE = 16 << 20;
    /** Default in-flight bound for decompression: 256 MiB. */
    public static final long DEFAULT_MAX_BYTES_IN_FLIGHT = 256L << 20;

    public GzipOptions {
        if (level < 1 || level > 12) {
            throw new IllegalArgumentException("level must be 1..12, not " + level);
        }
        if (pool != null) {
            threads = pool.parallelism();
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        if (blockSize != 0 && (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE)) {
            throw new IllegalArgumentException(
                    "block size must be " + MIN_BLOCK_SIZE + ".." + MAX_BLOCK_SIZE + " bytes, not " + blockSize);
        }
        if (mtime < 0 || mtime > 0xffffffffL) {
            throw new IllegalArgumentException("mtime must fit in 32 bits unsigned: " + mtime);
        }
        if (name != null && (name.indexOf('\0') >= 0 || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(name))) {
            throw new IllegalArgumentException("name must be ISO-8859-1 without NUL: " + name);
        }
        Objects.requireNonNull(backend, "backend");
        if (maxBytesInFlight < 2L * MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("maxBytesInFlight must be at least " + 2L * MAX_BLOCK_SIZE);
        }
    }

    /**
     * Default block size for a level, chosen by measurement (docs/GZIP.md): 65,280 bytes (BGZF) at levels 1 and 2,
     * where such blocks are still smaller than pigz's output; 1 MiB from level 3, where 64 KiB blocks would cost
     * more than 1% against pigz.
     */
    public static int defaultBlockSize(int level) {
        return level <= 2 ? GzipFormat.BGZF_MAX_BLOCK : 1 << 20;
    }

    /** The block size in effect: {@link #blockSize()} or the level's default. */
    public int effectiveBlockSize() {
        return blockSize != 0 ? blockSize : defaultBlockSize(level);
    }

    /** True when the output is in BGZF layout (every member small enough for a BC subfield). */
    public boolean bgzf() {
        return effectiveBlockSize() <= GzipFormat.BGZF_MAX_BLOCK;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: level 6, all processors, level's block size, no name or time, best backend. */
    public static GzipOptions defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.level = level;
        b.threads = threads;
        b.blockSize = blockSize;
        b.name = name;
        b.mtime = mtime;
        b.backend = backend;
        b.maxBytesInFlight = maxBytesInFlight;
        b.pool = pool;
        return b;
    }

    /** Builder of {@link GzipOptions}; not thread-safe. */
    public static final class Builder {
        private int level = 6;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int blockSize;
        private String name;
        private long mtime;
        private DeflateBackend backend;
        private long maxBytesInFlight = DEFAULT_MAX_BYTES_IN_FLIGHT;
        private WorkerPool pool;

        private Builder() {
        }

        public Builder level(int v) {
            level = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder blockSize(int v) {
            blockSize = v;
            return this;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder mtime(long v) {
            mtime = v;
            return this;
        }

        public Builder backend(DeflateBackend v) {
            backend = v;
            return this;
        }

        public Builder maxBytesInFlight(long v) {
            maxBytesInFlight = v;
            return this;
        }

        /** Shared workers ({@code null}: threads of each stream's own, see {@link #threads}). */
        public Builder pool(WorkerPool v) {
            pool = v;
            return this;
        }

        public GzipOptions build() {
            return new GzipOptions(level, threads, blockSize, name, mtime,
                    backend != null ? backend : DeflateBackend.best(), maxBytesInFlight, pool);
        }
    }
}
