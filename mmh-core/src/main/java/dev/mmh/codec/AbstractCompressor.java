package dev.mmh.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link Compressor} with the misuse rules of the codec contract built in, once for every codec: ranges outside
 * their arrays throw {@link IndexOutOfBoundsException} before the codec sees them, and after {@link #close()}
 * every call throws {@link IllegalStateException}. A codec implements {@link #compressBlock} (and may override
 * {@link #compress(ByteBuffer, ByteBuffer)} for direct buffers, calling {@link #checkOpen()} first) and frees its
 * resources in {@link #release()}.
 *
 * <p>Not thread-safe, as every compressor. {@code close()} is idempotent and calls {@code release()} once.
 */
public abstract class AbstractCompressor implements Compressor {
    private final String name;
    private boolean closed;

    /** @param name the codec's name, for messages */
    protected AbstractCompressor(String name) {
        this.name = name;
    }

    @Override
    public final int compress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen)
            throws IOException {
        checkOpen();
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, dstLen, dst.length);
        return compressBlock(src, srcOff, srcLen, dst, dstOff, dstLen);
    }

    @Override
    public int compress(ByteBuffer src, ByteBuffer dst) throws IOException {
        checkOpen();
        return Compressor.super.compress(src, dst);
    }

    /**
     * {@link #compress(byte[], int, int, byte[], int, int)} once the compressor is known to be open and both ranges
     * to lie in their arrays. Writes nothing outside {@code dst[dstOff, dstOff+dstLen)}.
     *
     * @throws IOException if the block does not fit in {@code dstLen} bytes (never when {@code dstLen} is at least
     *     {@link Codec#maxCompressedLength(long)} of {@code srcLen})
     */
    protected abstract int compressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen)
            throws IOException;

    /** Throws {@link IllegalStateException} once the compressor is closed. */
    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException(name + " compressor is closed");
        }
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Frees what the compressor holds (native contexts, large buffers); called once, by the first close(). */
    protected void release() {
    }
}
