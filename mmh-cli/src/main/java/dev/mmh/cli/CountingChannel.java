package dev.mmh.cli;

import dev.mmh.io.ForwardingFileChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.function.LongConsumer;

/**
 * A file channel that tells a {@link Progress} how many bytes were read through it, so that commands whose work is
 * done by the library on a channel they open (protect, repair, gzip, gunzip) can show a bar without the library
 * knowing of it. Everything else is passed to the wrapped channel, which closing this one closes. As thread-safe
 * as the wrapped channel (positional reads from several workers are counted once each).
 */
final class CountingChannel extends ForwardingFileChannel {
    private final LongConsumer read;

    CountingChannel(FileChannel ch, LongConsumer read) {
        super(ch);
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
}
