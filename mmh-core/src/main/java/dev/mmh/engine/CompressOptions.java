package dev.mmh.engine;

import dev.mmh.analysis.Goal;
import dev.mmh.codec.Codec;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.format.Format;
import dev.mmh.hash.ContentHash;
import dev.mmh.work.WorkerPool;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;

/**
 * What {@link Mmh#compress} is asked to do: the one place a compression run's settings live, and the options of the
 * library's streams and channel ({@code dev.mmh.stream}: {@code MmhOutputStream} uses all of them; {@code
 * MmhInputStream} and {@code MmhChannel} use the threads, pool or executor, memory limit and progress listener,
 * {@link #decoding()}). Immutable; build with {@link #builder()}, change with {@link #toBuilder()}.
 *
 * @param codec the codec for every block (a block that would not shrink is stored instead)
 * @param params level, window and flags for the codec
 * @param threads blocks compressed at once (1 or more): the run's own worker threads, made for the run and stopped
 *     when it returns (or, with an {@code executor}, that many workers on it); equal to {@code pool.parallelism()}
 *     when a pool is given
 * @param blockSize raw bytes per block
 * @param hash hash of each block's raw bytes
 * @param goal when not {@code null}, mmh analyses each block and picks transform, codec and level for this goal;
 *     {@code codec} and {@code params} then only give the window settings
 * @param compact whether an input of exactly one block is written in the compact layout (32-byte header, no
 *     index or footer: 92 bytes of overhead instead of 280 with XXH64); off when recovery data will be added
 * @param pool shared workers to run the blocks on instead of threads of the run's own, or {@code null}: runs on
 *     one pool (file after file, or several at once) reuse its threads, codec contexts and block buffers, and a
 *     run started while another is finishing fills the cores the other leaves idle. The run does not close it.
 * @param executor where the run's own {@code threads} workers run instead of threads made for it (a server's pool,
 *     virtual threads), or {@code null}; not used when a {@code pool} is given, and never shut down by mmh. The
 *     run's worker state (codec contexts, buffers) is its own and freed when it ends, as with threads of its own
 * @param memoryLimit bytes the blocks in flight may take, or 0 for three quarters of the JVM's maximum heap at
 *     the time of the call: each block in flight counts {@code 2 * blockSize + 64 KiB}, at most
 *     {@code 2 * threads + 2} are in flight, fewer to stay within the limit, and a run that cannot have two fails
 *     with {@link dev.mmh.LimitExceededException}
 * @param recipients who can open the archive (age recipients or one passphrase): empty for a plain archive; with
 *     any, every block is sealed and the archive is written in the full layout (docs/FORMAT.md, "Encrypted archives")
 * @param identities for the readers that take these options ({@code MmhInputStream}, {@code MmhChannel}): the keys
 *     tried on an encrypted archive; not used when writing
 * @param pad with recipients: pad each block's sealed contents to a Padmé length, so stored sizes reveal less
 * @param progress called on the calling thread with the raw bytes of each block as it is written, or {@code null}
 * @param plan where to cut blocks (at most {@code blockSize} each) and what the plan declares about each (e.g. from
 *     a weights file's header, {@link BlockPlan#fromTensors}), or {@code null} to cut every {@code blockSize} bytes
 */
public record CompressOptions(Codec codec, CodecParams params, int threads, int blockSize, ContentHash hash,
        Goal goal, boolean compact, WorkerPool pool, Executor executor, long memoryLimit, LongConsumer progress,
        BlockPlan plan, java.util.List<dev.mmh.crypto.age.Recipient> recipients, boolean pad,
        java.util.List<dev.mmh.crypto.age.Identity> identities) {
    public CompressOptions {
        recipients = java.util.List.copyOf(recipients);
        identities = java.util.List.copyOf(identities);
        if (!recipients.isEmpty()) {
            compact = false;
        }
        codec.validate(params);
        if (pool != null) {
            threads = pool.parallelism();
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        if (blockSize < Format.MIN_BLOCK_SIZE || blockSize > Format.MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("block size must be between " + Format.MIN_BLOCK_SIZE + " and "
                    + Format.MAX_BLOCK_SIZE + " bytes");
        }
        if (memoryLimit < 0) {
            throw new IllegalArgumentException("memory limit must not be negative");
        }
    }

    /** Whether the archive is encrypted (it has recipients). */
    public boolean encrypted() {
        return !recipients.isEmpty();
    }

    /**
     * The workers for one run: the shared {@link #pool()} (left open by {@link WorkerPool.Use#close()}), or
     * {@link #threads()} workers of the run's own, on the {@link #executor()} or on threads made for the run (closed
     * with the {@code Use}).
     */
    public WorkerPool.Use workers() {
        return WorkerPool.use(pool, executor, threads);
    }

    /** The decoding options these options imply: the same threads, pool or executor, memory limit and progress. */
    public DecompressOptions decoding() {
        return DecompressOptions.builder().threads(threads).pool(pool).executor(executor).memoryLimit(memoryLimit)
                .progress(progress).identities(identities).build();
    }

    /** These options with the compact layout allowed or not. */
    public CompressOptions withCompact(boolean c) {
        return toBuilder().compact(c).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What {@code mmh compress} uses without options: the analysis picks transform, codec and level per block for
     * {@link Goal#DEFAULT}, 8 MiB blocks, XXH64, the compact layout for one-block inputs, a worker per core. The
     * library's streams use these when given no options, so they write what the command writes.
     */
    public static CompressOptions defaults() {
        return new Builder().goal(Goal.DEFAULT).build();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.codec = codec.name();
        b.level = params.level();
        b.windowLog = params.windowLog();
        b.flags = params.flags();
        b.threads = threads;
        b.blockSize = blockSize;
        b.hash = hash;
        b.goal = goal;
        b.compact = compact;
        b.pool = pool;
        b.executor = executor;
        b.memoryLimit = memoryLimit;
        b.progress = progress;
        b.plan = plan;
        b.recipients = recipients;
        b.pad = pad;
        b.identities = identities;
        return b;
    }

    /**
     * Builder with defaults: zstd at its default level (no analysis), all cores on threads of the run's own, 8 MiB
     * blocks, XXH64, the compact layout for one-block inputs, the default memory limit, no progress listener and
     * no block plan. Not thread-safe.
     */
    public static final class Builder {
        private java.util.List<dev.mmh.crypto.age.Recipient> recipients = java.util.List.of();
        private boolean pad;
        private java.util.List<dev.mmh.crypto.age.Identity> identities = java.util.List.of();

        /** Keys to open encrypted archives with, for the readers that take these options. */
        public Builder identities(java.util.List<? extends dev.mmh.crypto.age.Identity> identities) {
            this.identities = java.util.List.copyOf(identities);
            return this;
        }

        /** With recipients: pad each block's sealed contents to a Padmé length ({@code --pad}). */
        public Builder pad(boolean pad) {
            this.pad = pad;
            return this;
        }
        private String codec = "zstd";
        private Integer level;
        private int windowLog;
        private int flags;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int blockSize = Format.DEFAULT_BLOCK_SIZE;
        private ContentHash hash = ContentHash.XXH64;
        private Goal goal;
        private boolean compact = true;
        private WorkerPool pool;
        private Executor executor;
        private long memoryLimit;
        private LongConsumer progress;
        private BlockPlan plan;

        public Builder codec(String name) {
            this.codec = name;
            return this;
        }

        /** Level; the codec's default when not set. */
        public Builder level(int level) {
            this.level = level;
            return this;
        }

        public Builder windowLog(int windowLog) {
            this.windowLog = windowLog;
            return this;
        }

        /** {@link CodecParams#LONG}, {@link CodecParams#EXTREME}. */
        public Builder flags(int flags) {
            this.flags = flags;
            return this;
        }

        /** Blocks compressed at once, on threads of the run's own; not used when a {@link #pool} is set. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder blockSize(int blockSize) {
            this.blockSize = blockSize;
            return this;
        }

        public Builder hash(ContentHash hash) {
            this.hash = hash;
            return this;
        }

        /** Let mmh choose per block for this goal ({@code null}: use the codec and level as given). */
        public Builder goal(Goal goal) {
            this.goal = goal;
            return this;
        }

        /**
         * Whether a one-block input gets the compact layout (default); {@code false} always writes the full layout,
         * which recovery data can be added to in place.
         */
        public Builder compact(boolean compact) {
            this.compact = compact;
            return this;
        }

        /** Shared workers for the blocks ({@code null}: threads of the run's own, see {@link #threads}). */
        public Builder pool(WorkerPool pool) {
            this.pool = pool;
            return this;
        }

        /**
         * Runs the run's own {@link #threads} workers on {@code executor} instead of threads made for the run
         * ({@code null}: threads of its own); not used when a {@link #pool} is set. Never shut down by mmh.
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /** Bytes the blocks in flight may take; 0 for three quarters of the maximum heap. */
        public Builder memoryLimit(long bytes) {
            this.memoryLimit = bytes;
            return this;
        }

        /** Called with the raw bytes of each block written ({@code null}: none). */
        public Builder progress(LongConsumer progress) {
            this.progress = progress;
            return this;
        }

        /** Block boundaries and declared types ({@code null}: every block size). */
        /** Encrypts the archive to these recipients (empty: a plain archive). */
        public Builder recipients(java.util.List<? extends dev.mmh.crypto.age.Recipient> recipients) {
            this.recipients = java.util.List.copyOf(recipients);
            return this;
        }

        /** Whether the archive will be encrypted. */
        public boolean encrypted() {
            return !recipients.isEmpty();
        }

        public Builder plan(BlockPlan plan) {
            this.plan = plan;
            return this;
        }

        public CompressOptions build() {
            Codec c = Codecs.byName(codec);
            return new CompressOptions(c, new CodecParams(level == null ? c.defaultLevel() : level, windowLog, flags),
                    threads, blockSize, hash, goal, compact, pool, executor, memoryLimit, progress, plan, recipients,
                    pad, identities);
        }
    }
}
