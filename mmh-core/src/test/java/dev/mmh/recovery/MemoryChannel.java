package dev.mmh.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/** A growable in-memory channel for tests; optionally hands out at most one byte per read. */
final class MemoryChannel implements SeekableByteChannel {
    private byte[] data;
    private int size;
    private long position;
    private boolean open = true;
    private final boolean trickle;

    MemoryChannel(byte[] initial) {
        this(initial, false);
    }

    MemoryChannel(byte[] initial, boolean trickle) {
        this.data = initial.clone();
        this.size = initial.length;
        this.trickle = trickle;
    }

    MemoryChannel() {
        this(new byte[0]);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(data, size);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        check();
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), size - position);
        if (trickle) {
            n = Math.min(n, 1);
        }
        dst.put(data, (int) position, n);
        position += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        check();
        int n = src.remaining();
        long end = position + n;
        if (end > data.length) {
            data = Arrays.copyOf(data, (int) Math.max(end, data.length * 2L));
        }
        if (position > size) {
            Arrays.fill(data, size, (int) position, (byte) 0);
        }
        src.get(data, (int) position, n);
        position = end;
        size = (int) Math.max(size, end);
        return n;
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
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long s) {
        size = (int) Math.min(size, s);
        position = Math.min(position, size);
        return this;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    private void check() throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
