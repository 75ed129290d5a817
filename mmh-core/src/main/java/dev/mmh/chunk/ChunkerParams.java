package dev.mmh.chunk;

/**
 * The parameters of FastCDC content-defined chunking as a folder archive's manifest records them: the minimum,
 * average and maximum chunk size in bytes and the seed of the gear table. {@code docs/CHUNKING.md} specifies the
 * algorithm they drive, byte for byte; the same parameters cut the same bytes at the same places on every machine
 * and in every implementation that follows it.
 *
 * <p>Valid parameters ({@link #validate}):
 * <ul>
 *   <li>{@code avg} is a power of two from {@value #MIN_AVG} to {@value #MAX_AVG};</li>
 *   <li>{@value #WINDOW} &lt;= {@code min} &lt; {@code avg} &lt; {@code max} &lt;= {@value #MAX_MAX};</li>
 *   <li>the seed is any 64-bit value.</li>
 * </ul>
 * {@code min} is at least the gear hash's window, so the hash that decides a cut only ever covers bytes of the
 * current chunk, and an implementation may skip hashing the chunk's first {@code min - 64} bytes.
 *
 * <p>Immutable and thread-safe.
 *
 * @param min no cut leaves a chunk shorter than this (except at the end of the input or at a forced cut), bytes
 * @param avg the target average chunk size, bytes; it sets the two masks ({@link #maskSmall}, {@link #maskLarge})
 * @param max no chunk is longer than this, bytes
 * @param seed the splitmix64 seed of the gear table ({@code 0} unless the archive is encrypted)
 */
public record ChunkerParams(int min, int avg, int max, long seed) {
    /** Bytes of input that the 64-bit gear hash depends on: each step shifts the older bytes one bit further out. */
    public static final int WINDOW = 64;
    /** The smallest allowed {@code avg}. */
    public static final int MIN_AVG = 1 << 8;
    /** The largest allowed {@code avg}. */
    public static final int MAX_AVG = 1 << 28;
    /** The largest allowed {@code max}. */
    public static final int MAX_MAX = 1 << 30;
    /**
     * Normalisation level: the mask before {@code avg} has this many bits more than {@code log2(avg)}, the mask
     * from {@code avg} on this many fewer (FastCDC's "NC 2"). Fixed by the format, not a parameter.
     */
    public static final int NORMALISATION = 2;

    /**
     * The default sizes: min 8 KiB, avg 32 KiB, max 128 KiB, seed 0. Chosen by measurement (docs/CHUNKING.md,
     * "Chunk sizes"): within 1% of the smallest archive on five of six sets and 3.2% on the sixth; 64 KiB costs
     * twice as much per edit of a large file, 16 KiB twice the metadata for no gain elsewhere.
     */
    public static final ChunkerParams DEFAULT = new ChunkerParams(8 << 10, 32 << 10, 128 << 10, 0);

    /** Checks the parameters (see the class comment); throws {@link IllegalArgumentException} naming the rule. */
    public ChunkerParams {
        String why = validate(min, avg, max);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
    }

    /** Parameters with {@code min = avg / 4} and {@code max = avg * 4}, seed 0. */
    public static ChunkerParams ofAverage(int avg) {
        return new ChunkerParams(avg / 4, avg, (int) Math.min((long) avg * 4, MAX_MAX), 0);
    }

    /** The same sizes with another gear seed. */
    public ChunkerParams withSeed(long newSeed) {
        return new ChunkerParams(min, avg, max, newSeed);
    }

    /**
     * Why {@code (min, avg, max)} are not valid, or {@code null} when they are. For readers that must reject a
     * manifest with a format error rather than an {@link IllegalArgumentException}.
     */
    public static String validate(long min, long avg, long max) {
        if (avg < MIN_AVG || avg > MAX_AVG || Long.bitCount(avg) != 1) {
            return "chunker avg " + avg + " is not a power of two from " + MIN_AVG + " to " + MAX_AVG;
        }
        if (min < WINDOW || min >= avg) {
            return "chunker min " + min + " is not in [" + WINDOW + ", avg " + avg + ")";
        }
        if (max <= avg || max > MAX_MAX) {
            return "chunker max " + max + " is not in (avg " + avg + ", " + MAX_MAX + "]";
        }
        return null;
    }

    /** {@code log2(avg)}. */
    public int avgBits() {
        return Integer.numberOfTrailingZeros(avg);
    }

    /**
     * The mask tested while the chunk is shorter than {@code avg}: the {@code avgBits() + 2} most significant bits
     * set (a cut is 4 times less likely than with {@code avgBits()} bits).
     */
    public long maskSmall() {
        return topBits(avgBits() + NORMALISATION);
    }

    /** The mask tested from {@code avg} on: the {@code avgBits() - 2} most significant bits set (4 times likelier). */
    public long maskLarge() {
        return topBits(avgBits() - NORMALISATION);
    }

    /** A mask of the {@code k} most significant bits of a 64-bit word, {@code 1 <= k <= 63}. */
    static long topBits(int k) {
        return -1L << (64 - k);
    }

    /** The gear table of this seed, a new array (see {@link Gear}). */
    public long[] gear() {
        return Gear.table(seed);
    }

    @Override
    public String toString() {
        return "FastCDC(min " + min + ", avg " + avg + ", max " + max + ", seed " + Long.toUnsignedString(seed) + ")";
    }
}
