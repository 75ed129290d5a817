package dev.mmh.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.function.LongConsumer;

/**
 * A file channel that tells a {@link Progress} how many bytes were read through it, so that commands whose work is
 * done by the library on a channel they open (protect, repair, gzip, gunzip) can show a bar without the library
 * knowing of it. Everything else is passed to the wrapped channel, which closing this one closes. As thread-safe
 * as the wrapped channel (positional reads from several workers are counted once each).
 */
final class CountingChannel extends FileChannel {
    private final FileChannel ch;
    private final LongConsumer read;

    CountingChannel(FileChannel ch, LongConsumer read) {
        this.ch = ch;
        this.read = read;
    }

    private int counted(int n) {
        if (n > 0) {
            read.accept(n);
        }
        return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return counted(ch.read(dst));
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long n = ch.read(dsts, offset, length);
        if (n > 0) {
            read.accept(n);
        }
        return n;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return counted(ch.read(dst, position));
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        long n = ch.transferTo(position, count, target);
        if (n > 0) {
            read.accept(n);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return ch.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return ch.write(srcs, offset, length);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return ch.write(src, position);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return ch.transferFrom(src, position, count);
    }

    @Override
    public long position() throws IOException {
        return ch.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        ch.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return ch.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        ch.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        ch.force(metaData);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return ch.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return ch.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return ch.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        ch.close();
    }
}
