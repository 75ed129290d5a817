package dev.mmh.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link Decompressor} with the misuse rules of the codec contract built in, once for every codec: ranges outside
 * their arrays throw {@link IndexOutOfBoundsException} before the codec sees them, and after {@link #close()}
 * every call throws {@link IllegalStateException}. A codec implements {@link #decompressBlock} (and may override
 * {@link #decompress(ByteBuffer, ByteBuffer)} for direct buffers, calling {@link #checkOpen()} first) and frees its
 * resources in {@link #release()}.
 *
 * <p>Not thread-safe, as every decompressor. {@code close()} is idempotent and calls {@code release()} once.
 */
public abstract class AbstractDecompressor implements Decompressor {
    private final String name;
    private boolean closed;

    /** @param name the codec's name, for messages */
    protected AbstractDecompressor(String name) {
        this.name = name;
    }

    @Override
    public final void decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
            throws IOException {
        checkOpen();
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, rawLen, dst.length);
        decompressBlock(src, srcOff, srcLen, dst, dstOff, rawLen);
    }

    @Override
    public void decompress(ByteBuffer src, ByteBuffer dst) throws IOException {
        checkOpen();
        Decompressor.super.decompress(src, dst);
    }

    /**
     * {@link #decompress(byte[], int, int, byte[], int, int)} once the decompressor is known to be open and both
     * ranges to lie in their arrays. Writes nothing outside {@code dst[dstOff, dstOff+rawLen)}.
     *
     * @throws dev.mmh.CorruptDataException if the input is not a valid block of exactly {@code rawLen} bytes
     */
    protected abstract void decompressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
            throws IOException;

    /** Throws {@link IllegalStateException} once the decompressor is closed. */
    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException(name + " decompressor is closed");
        }
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Frees what the decompressor holds (native contexts, large buffers); called once, by the first close(). */
    protected void release() {
    }
}
