package dev.mmh.codec;

import java.util.Objects;

/**
 * What {@link AbstractCompressor} and {@link AbstractDecompressor} share: the closed state. After {@link #close()}
 * (idempotent; it calls {@link #release()} once) {@link #checkOpen()} throws {@link IllegalStateException}. Not
 * thread-safe, as the compressors and decompressors built on it.
 */
public abstract class CodecObject implements AutoCloseable {
    private final String what;
    private boolean closed;

    /** @param what what it is, for messages ("zstd compressor") */
    protected CodecObject(String what) {
        this.what = what;
    }

    /**
     * The checks before a block call on arrays: {@link IllegalStateException} once closed, {@link
     * IndexOutOfBoundsException} unless both ranges lie in their arrays.
     */
    final void checkCall(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen) {
        checkOpen();
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, dstLen, dst.length);
    }

    /** Throws {@link IllegalStateException} once closed. */
    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException(what + " is closed");
        }
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Frees what the object holds (native contexts, large buffers); called once, by the first close(). */
    protected void release() {
    }
}
