package dev.mmh.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file channel that shows only the first {@code limit} bytes of another: {@link #size()} is at most the limit and
 * reads stop there, as if the file ended. A folder archive is read through one (its committed length), so that the
 * bytes of an interrupted append after it are invisible to every reader. Writes and truncation pass through (a
 * repair writes inside the limit; truncating below it lowers it). Closing this channel closes the wrapped one. As
 * thread-safe as the wrapped channel for positional reads and writes.
 */
public final class BoundedChannel extends ForwardingFileChannel {
    private volatile long limit;
    /** Bytes that reads see at offset 0 instead of the file's, or {@code null}. */
    private final byte[] overlay;

    public BoundedChannel(FileChannel ch, long limit) {
        this(ch, limit, null);
    }

    /**
     * @param overlay bytes that reads of {@code [0, overlay.length)} return instead of the file's (writes still go to
     *     the file): the recovery code of a folder archive reads its header with the committed length as 0
     */
    public BoundedChannel(FileChannel ch, long limit, byte[] overlay) {
        super(ch);
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.limit = limit;
        this.overlay = overlay == null ? null : overlay.clone();
    }

    public long limit() {
        return limit;
    }

    /** {@code dst} limited to the bytes left before the limit from {@code position}; null when none are. */
    private ByteBuffer clip(ByteBuffer dst, long position) {
        long left = limit - position;
        if (left <= 0) {
            return null;
        }
        if (dst.remaining() > left) {
            return dst.slice().limit((int) left);
        }
        return dst;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        ByteBuffer d = clip(dst, position);
        if (d == null) {
            return dst.hasRemaining() ? -1 : 0;
        }
        int start = d.position();
        int n = ch.read(d, position);
        if (overlay != null && n > 0 && position < overlay.length) {
            int k = (int) Math.min(n, overlay.length - position);
            for (int i = 0; i < k; i++) {
                d.put(start + i, overlay[(int) position + i]);
            }
        }
        if (d != dst && n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        long p = ch.position();
        int n = read(dst, p);
        if (n > 0) {
            ch.position(p + n);
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int n = read(dsts[i]);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        long n = Math.min(count, limit - position);
        if (n <= 0) {
            return 0;
        }
        if (overlay != null && position < overlay.length) {
            // through a buffer, so the overlay is seen
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(n, 1 << 16));
            int got = read(b, position);
            if (got <= 0) {
                return 0;
            }
            b.flip();
            return target.write(b);
        }
        return ch.transferTo(position, n, target);
    }

    @Override
    public long size() throws IOException {
        return Math.min(limit, ch.size());
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        ch.truncate(size);
        if (size < limit) {
            limit = size;
        }
        return this;
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        if (position + size > limit || overlay != null) {
            throw new IOException("mapping past the end of the bounded view, or of an overlaid one");
        }
        return ch.map(mode, position, size);
    }

}
