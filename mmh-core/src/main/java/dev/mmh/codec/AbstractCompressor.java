package dev.mmh.codec;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link Compressor} with the misuse rules of the codec contract built in, once for every codec: ranges outside
 * their arrays throw {@link IndexOutOfBoundsException} before the codec sees them, and after {@link #close()}
 * every call throws {@link IllegalStateException}. A codec implements {@link #compressBlock} (and may override
 * {@link #compress(ByteBuffer, ByteBuffer)} for direct buffers, calling {@link #checkOpen()} first) and frees its
 * resources in {@link #release()}.
 *
 * <p>Not thread-safe, as every compressor. {@code close()} is idempotent and calls {@code release()} once.
 */
public abstract class AbstractCompressor extends CodecObject implements Compressor {
    /** @param name the codec's name, for messages */
    protected AbstractCompressor(String name) {
        super(name + " compressor");
    }

    @Override
    public final int compress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen)
            throws IOException {
        checkCall(src, srcOff, srcLen, dst, dstOff, dstLen);
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
}
