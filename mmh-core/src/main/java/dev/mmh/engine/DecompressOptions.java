package dev.mmh.engine;

import dev.mmh.work.WorkerPool;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;

/**
 * How {@link Mmh#decompress} and {@link Verifier#verify} run: the one place a decoding run's settings live.
 * Immutable; build with {@link #builder()}, change with {@link #toBuilder()}.
 *
 * @param threads blocks decoded at once (1 or more): the run's own worker threads, made for the run and stopped
 *     when it returns; equal to {@code pool.parallelism()} when a pool is given
 * @param pool shared workers to run the blocks on instead, or {@code null}: runs on one pool (archive after
 *     archive, or several at once) reuse its threads, codec contexts and block buffers. The run does not close it.
 * @param executor where the run's own {@code threads} workers run instead of threads made for it, or {@code null}
 *     (as {@link CompressOptions#executor()}); never shut down by mmh
 * @param memoryLimit bytes the blocks in flight may take, or 0 for three quarters of the JVM's maximum heap at the
 *     time of the call (as {@link CompressOptions#memoryLimit()}, with the archive's block size)
 * @param progress called on the calling thread with the raw bytes of each block as it is finished, or {@code null}
 * @param identities keys tried, in order, on an encrypted archive (age identities or a passphrase); unused on a plain
 *     one. An encrypted archive without a matching identity fails with {@link dev.mmh.AuthenticationFailedException}
 */
public record DecompressOptions(int threads, WorkerPool pool, Executor executor, long memoryLimit,
        LongConsumer progress, java.util.List<dev.mmh.crypto.age.Identity> identities) {
    public DecompressOptions {
        identities = java.util.List.copyOf(identities);
        if (pool != null) {
            threads = pool.parallelism();
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        if (memoryLimit < 0) {
            throw new IllegalArgumentException("memory limit must not be negative");
        }
    }

    /** The workers for one run, as {@link CompressOptions#workers()}. */
    public WorkerPool.Use workers() {
        return WorkerPool.use(pool, executor, threads);
    }

    /** Defaults: all cores on threads of the run's own, the default memory limit, no progress listener. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.threads = threads;
        b.pool = pool;
        b.executor = executor;
        b.memoryLimit = memoryLimit;
        b.progress = progress;
        b.identities = identities;
        return b;
    }

    /** Builder of {@link DecompressOptions}; not thread-safe. */
    public static final class Builder {
        private int threads = Runtime.getRuntime().availableProcessors();
        private WorkerPool pool;
        private Executor executor;
        private long memoryLimit;
        private LongConsumer progress;
        private java.util.List<dev.mmh.crypto.age.Identity> identities = java.util.List.of();

        private Builder() {
        }

        /** Keys to open an encrypted archive with, tried in order. */
        public Builder identities(java.util.List<? extends dev.mmh.crypto.age.Identity> identities) {
            this.identities = java.util.List.copyOf(identities);
            return this;
        }

        /** Blocks decoded at once, on threads of the run's own; not used when a {@link #pool} is set. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Shared workers for the blocks ({@code null}: threads of the run's own, see {@link #threads}). */
        public Builder pool(WorkerPool pool) {
            this.pool = pool;
            return this;
        }

        /** Runs the run's own {@link #threads} workers on {@code executor} ({@code null}: threads of its own). */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /** Bytes the blocks in flight may take; 0 for three quarters of the maximum heap. */
        public Builder memoryLimit(long bytes) {
            this.memoryLimit = bytes;
            return this;
        }

        /** Called with the raw bytes of each block finished ({@code null}: none). */
        public Builder progress(LongConsumer progress) {
            this.progress = progress;
            return this;
        }

        public DecompressOptions build() {
            return new DecompressOptions(threads, pool, executor, memoryLimit, progress, identities);
        }
    }
}
