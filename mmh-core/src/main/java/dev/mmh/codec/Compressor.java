package dev.mmh.codec;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Compresses whole blocks. Not thread-safe: one per thread, reused for every block.
 * {@link #close()} frees native memory (idempotent); a call after it throws {@link IllegalStateException}. Ranges
 * outside their arrays throw {@link IndexOutOfBoundsException} before anything is written; a compressor never
 * writes outside {@code dst[dstOff, dstOff+dstLen)}. {@link AbstractCompressor} implements these rules once.
 */
public interface Compressor extends AutoCloseable {
    /**
     * Compresses {@code src[srcOff, srcOff+srcLen)} into {@code dst} starting at {@code dstOff}.
     *
     * @param dstLen room in {@code dst}; at least {@link Codec#maxCompressedLength(long)} of {@code srcLen}
     * @return number of bytes written
     * @throws IOException if the codec fails (never for valid arguments and enough room)
     */
    int compress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen) throws IOException;

    /**
     * Compresses the remaining bytes of {@code src} into {@code dst}, heap or direct. Positions advance by the
     * bytes read and written; the default implementation copies direct buffers through arrays.
     *
     * @return number of bytes written
     */
    default int compress(ByteBuffer src, ByteBuffer dst) throws IOException {
        return Buffers.viaArrays(src, dst, this::compress);
    }

    @Override
    default void close() {
    }
}
