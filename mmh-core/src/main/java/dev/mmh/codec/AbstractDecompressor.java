package dev.mmh.codec;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link Decompressor} with the misuse rules of the codec contract built in, once for every codec: ranges outside
 * their arrays throw {@link IndexOutOfBoundsException} before the codec sees them, and after {@link #close()}
 * every call throws {@link IllegalStateException}. A codec implements {@link #decompressBlock} (and may override
 * {@link #decompress(ByteBuffer, ByteBuffer)} for direct buffers, calling {@link #checkOpen()} first) and frees its
 * resources in {@link #release()}.
 *
 * <p>Not thread-safe, as every decompressor. {@code close()} is idempotent and calls {@code release()} once.
 */
public abstract class AbstractDecompressor extends CodecObject implements Decompressor {
    /** @param name the codec's name, for messages */
    protected AbstractDecompressor(String name) {
        super(name + " decompressor");
    }

    @Override
    public final void decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
            throws IOException {
        checkCall(src, srcOff, srcLen, dst, dstOff, rawLen);
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
}
