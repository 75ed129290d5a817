package dev.mmh.codec;

/**
 * Codec parameters recorded in the archive header.
 *
 * @param level codec level (meaning per codec; zstd accepts negatives)
 * @param windowLog log2 of the match window, 0 for the codec's default (zstd: 10..31, brotli: 10..24,
 *     xz: 12..30 as the dictionary size; lz4 and deflate have fixed windows and accept only 0)
 * @param flags {@link #LONG} for zstd long-distance matching, {@link #EXTREME} for xz's extreme presets
 */
public record CodecParams(int level, int windowLog, int flags) {
    /** zstd long-distance matching (with {@link #windowLog()} as its window). */
    public static final int LONG = 1;
    /** xz extreme preset variant ({@code -9e}). */
    public static final int EXTREME = 2;
    /** Bits this version knows; others make an archive unsupported. */
    public static final int KNOWN_FLAGS = LONG | EXTREME;

    public CodecParams {
        if (windowLog < 0 || windowLog > 31) {
            throw new IllegalArgumentException("window log " + windowLog + " is out of range 0..31");
        }
    }

    public static CodecParams level(int level) {
        return new CodecParams(level, 0, 0);
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
