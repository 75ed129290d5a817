package dev.mmh.codec;

/**
 * A block compression algorithm, found through {@link java.util.ServiceLoader} (see {@link Codecs}).
 *
 * <p>A codec is stateless and thread-safe; the {@link Compressor}s and {@link Decompressor}s it makes are not:
 * each worker thread keeps its own and reuses it for every block, because native contexts are expensive to
 * create. The {@link #id()} is written into archives and never changes meaning; the {@link #name()} is what the
 * command line accepts.
 */
public interface Codec {
    /** Stable id written into archives (0..255). */
    int id();

    /** Lower-case name used on the command line, e.g. {@code zstd}. */
    String name();

    /** Lowest accepted level (may be negative, e.g. zstd's fast levels). */
    int minLevel();

    /** Highest accepted level. */
    int maxLevel();

    /** Level used when the user gives none. */
    int defaultLevel();

    /** The level {@code --fast} maps to. */
    default int fastLevel() {
        return minLevel();
    }

    /** Upper bound of the compressed size of {@code rawLength} bytes; callers size destinations with it. */
    long maxCompressedLength(long rawLength);

    /** New compressor with the given parameters; the level must lie in [{@link #minLevel()}, {@link #maxLevel()}]. */
    Compressor newCompressor(CodecParams params);

    /** New decompressor able to decode any block this codec wrote with {@code params}' window settings. */
    Decompressor newDecompressor(CodecParams params);

    /** Name and version of the library behind this codec, e.g. {@code zstd-jni 1.5.7-28 (libzstd 1.5.7)}. */
    String libraryVersion();

    /** Whether the codec runs native code in this process ({@code false} for pure Java). */
    boolean isNative();

    /**
     * Checks that parameters are valid for this codec.
     *
     * @throws IllegalArgumentException with a message naming the allowed range
     */
    default void validate(CodecParams params) {
        if (params.level() < minLevel() || params.level() > maxLevel()) {
            throw new IllegalArgumentException(
                    name() + " level " + params.level() + " is out of range " + minLevel() + ".." + maxLevel());
        }
    }
}
