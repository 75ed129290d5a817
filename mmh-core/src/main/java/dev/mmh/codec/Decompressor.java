package dev.mmh.codec;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Decompresses whole blocks whose raw size is known. Not thread-safe: one per thread, reused.
 * A decompressor never writes outside the given range and fails only with {@link dev.mmh.CorruptDataException}
 * on damaged input: never an unchecked exception, never a hang. A caller's misuse is an unchecked exception:
 * ranges outside their arrays throw {@link IndexOutOfBoundsException} before anything is written, and a call after
 * {@link #close()} (idempotent, frees native memory) throws {@link IllegalStateException}.
 * {@link AbstractDecompressor} implements these rules once.
 */
public interface Decompressor extends AutoCloseable {
    /**
     * Decodes {@code src[srcOff, srcOff+srcLen)} into exactly {@code rawLen} bytes at {@code dst[dstOff]}.
     *
     * @throws dev.mmh.CorruptDataException if the input is not a valid block of exactly {@code rawLen} bytes
     */
    void decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen) throws IOException;

    /** Decodes the remaining bytes of {@code src} into exactly {@code dst.remaining()} bytes, heap or direct. */
    default void decompress(ByteBuffer src, ByteBuffer dst) throws IOException {
        Buffers.viaArrays(src, dst, (s, so, sl, d, dof, dl) -> {
            decompress(s, so, sl, d, dof, dl);
            return dl;
        });
    }

    @Override
    default void close() {
    }
}
