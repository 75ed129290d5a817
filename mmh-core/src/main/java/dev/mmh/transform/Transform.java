package dev.mmh.transform;

import dev.mmh.CorruptDataException;

/**
 * A reversible, size-preserving-or-shrinking rewrite of one block applied before the codec.
 *
 * <p>A block records the transform's {@link #id()}, the 32-bit {@code param} and the transformed size; decoding
 * runs the codec to the transformed size and then {@link #decode} back to exactly the raw size.
 *
 * <p>Implementations are stateless and thread-safe. Buffers belong to the caller and are neither kept nor
 * modified outside the given ranges. {@link #decode} validates the parameter and every length it reads and fails
 * only with {@link CorruptDataException}; it never allocates from an unchecked length.
 */
public interface Transform {
    /** Stable id written into archives (0..255); see {@link Transforms}. */
    int id();

    /** Lower-case name, e.g. {@code delta}. */
    String name();

    /**
     * Checks that {@code param} is valid for this transform.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    void validateParam(int param);

    /** Upper bound of the transformed size of {@code rawLen} bytes; size {@link #encode} destinations with it. */
    long maxEncodedLength(int rawLen, int param);

    /**
     * Transforms {@code src[srcOff, srcOff+srcLen)} into {@code dst} at {@code dstOff}.
     *
     * @param dst room for at least {@link #maxEncodedLength(int, int)} bytes from {@code dstOff}
     * @return the transformed size in bytes
     * @throws IllegalArgumentException if {@code param} is invalid
     */
    int encode(byte[] src, int srcOff, int srcLen, int param, byte[] dst, int dstOff);

    /**
     * Inverts {@link #encode}: decodes {@code src[srcOff, srcOff+srcLen)} into exactly {@code rawLen} bytes at
     * {@code dst[dstOff]}. {@code src} and the destination range must not overlap.
     *
     * @throws CorruptDataException if the parameter or the data are not a valid encoding of {@code rawLen} bytes
     */
    void decode(byte[] src, int srcOff, int srcLen, int param, byte[] dst, int dstOff, int rawLen)
            throws CorruptDataException;
}
