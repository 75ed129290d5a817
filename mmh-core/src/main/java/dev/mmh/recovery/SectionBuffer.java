package dev.mmh.recovery;

import dev.mmh.LimitExceededException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Collects a section written at positions [base, base + length) in memory, for a sequential output that
 * cannot seek. The encoder writes only, never reads, so reads are refused. Not thread-safe on its own
 * ({@link PositionalIo} serialises access to it).
 */
final class SectionBuffer implements SeekableByteChannel {
    private final long base;
    private final byte[] bytes;
    private long position;

    SectionBuffer(long base, long length, long limit) throws LimitExceededException {
        if (length > limit) {
            throw new LimitExceededException("recovery section held in memory", length, limit);
        }
        this.base = base;
        this.bytes = new byte[(int) length];
        this.position = base;
    }

    /** The collected section (not a copy). */
    byte[] bytes() {
        return bytes;
    }

    /** Writes the collected section to {@code out}. */
    void drainTo(WritableByteChannel out) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    @Override
    public int write(ByteBuffer src) {
        int n = src.remaining();
        long rel = position - base;
        if (rel < 0 || rel + n > bytes.length) {
            throw new IllegalStateException("write outside the section: " + position + "+" + n);
        }
        src.get(bytes, (int) rel, n);
        position += n;
        return n;
    }

    @Override
    public int read(ByteBuffer dst) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long p) {
        position = p;
        return this;
    }

    @Override
    public long size() {
        return base + bytes.length;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new UnsupportedOperationException("fixed-size section buffer");
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {}
}
