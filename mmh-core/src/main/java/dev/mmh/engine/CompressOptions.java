package dev.mmh.engine;

import dev.mmh.analysis.Goal;
import dev.mmh.codec.Codec;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.format.Format;
import dev.mmh.hash.ContentHash;

/**
 * What {@link Mmh#compress} is asked to do. Immutable; build with {@link #builder()}.
 *
 * @param codec the codec for every block (a block that would not shrink is stored instead)
 * @param params level, window and flags for the codec
 * @param threads worker threads (1 or more)
 * @param blockSize raw bytes per block
 * @param hash hash of each block's raw bytes
 * @param goal when not {@code null}, mmh analyses each block and picks transform, codec and level for this goal;
 *     {@code codec} and {@code params} then only give the window settings
 * @param compact whether an input of exactly one block is written in the compact layout (32-byte header, no
 *     index or footer: 92 bytes of overhead instead of 280 with XXH64); off when recovery data will be added
 */
public record CompressOptions(Codec codec, CodecParams params, int threads, int blockSize, ContentHash hash,
        Goal goal, boolean compact) {
    public CompressOptions {
        codec.validate(params);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        if (blockSize < Format.MIN_BLOCK_SIZE || blockSize > Format.MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("block size must be between " + Format.MIN_BLOCK_SIZE + " and "
                    + Format.MAX_BLOCK_SIZE + " bytes");
        }
    }

    /** These options with the compact layout allowed or not. */
    public CompressOptions withCompact(boolean c) {
        return new CompressOptions(codec, params, threads, blockSize, hash, goal, c);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builder with defaults: zstd at its default level (no analysis), all cores, 8 MiB blocks, XXH64, the compact
     * layout for one-block inputs.
     */
    public static final class Builder {
        private String codec = "zstd";
        private Integer level;
        private int windowLog;
        private int flags;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int blockSize = Format.DEFAULT_BLOCK_SIZE;
        private ContentHash hash = ContentHash.XXH64;
        private Goal goal;
        private boolean compact = true;

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

        public CompressOptions build() {
            Codec c = Codecs.byName(codec);
            return new CompressOptions(c, new CodecParams(level == null ? c.defaultLevel() : level, windowLog, flags),
                    threads, blockSize, hash, goal, compact);
        }
    }
}
