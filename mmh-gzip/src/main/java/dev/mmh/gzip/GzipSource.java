package dev.mmh.gzip;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;

/**
 * Buffered reading of a compressed stream with its absolute offset known at every byte (for error messages).
 * The buffer is in read mode: {@code [position, limit)} holds the bytes not yet consumed.
 */
final class GzipSource {
    /** Buffer size: holds any member header (the extra field is at most 65,535 bytes). */
    static final int CAPACITY = 256 << 10;
    private final ReadableByteChannel in;
    private ByteBuffer buf = ByteBuffer.allocateDirect(CAPACITY).order(ByteOrder.LITTLE_ENDIAN).limit(0);
    /** Absolute offset of buf index 0. */
    private long base;
    private boolean eof;

    GzipSource(ReadableByteChannel in) {
        this.in = in;
    }

    /** Absolute offset of the next unconsumed byte. */
    long offset() {
        return base + buf.position();
    }

    ByteBuffer buffer() {
        return buf;
    }

    /** Makes at least {@code n} bytes (n at most {@link #CAPACITY}) available unless the input ends first. */
    int fill(int n) throws IOException {
        while (buf.remaining() < n && !eof) {
            readMore();
        }
        return buf.remaining();
    }

    /** Reads at least one more byte into the buffer; false at the end of input. */
    boolean readMore() throws IOException {
        if (eof) {
            return false;
        }
        if (buf.position() > 0) {
            base += buf.position();
            buf.compact().flip();
        }
        int lim = buf.limit();
        if (lim == buf.capacity()) {
            return true;
        }
        buf.position(lim).limit(buf.capacity());
        int r;
        do {
            r = in.read(buf);
        } while (r == 0);
        buf.limit(buf.position()).position(0);
        if (r < 0) {
            eof = true;
            return false;
        }
        return true;
    }

    /**
     * Skips {@code n} bytes, seeking when the channel can.
     *
     * @return bytes skipped: less than {@code n} only at the end of input
     */
    long skip(long n) throws IOException {
        long k = Math.min(n, buf.remaining());
        buf.position(buf.position() + (int) k);
        long left = n - k;
        if (left == 0) {
            return n;
        }
        base += buf.limit();
        buf.position(0).limit(0);
        if (in instanceof java.nio.channels.SeekableByteChannel s) {
            long pos = s.position();
            long step = Math.min(left, Math.max(0, s.size() - pos));
            s.position(pos + step);
            base += step;
            return k + step;
        }
        while (left > 0 && readMore()) {
            int m = (int) Math.min(left, buf.remaining());
            buf.position(buf.position() + m);
            left -= m;
        }
        return n - left;
    }

    /**
     * Reads the rest of the input into the buffer, growing it, if the rest is at most {@code limit} bytes.
     * Afterwards the buffer holds every remaining byte and never moves again. Replaces {@link #buffer()}.
     *
     * @return false, with the input position unchanged, when more than {@code limit} bytes remain
     */
    boolean fillToEnd(int limit) throws IOException {
        if (in instanceof java.nio.channels.SeekableByteChannel s && s.size() - s.position() + buf.remaining() > limit) {
            return false;
        }
        while (!eof) {
            if (buf.remaining() > limit) {
                return false;
            }
            if (buf.position() == 0 && buf.limit() == buf.capacity()) {
                int cap = (int) Math.min(2L * buf.capacity(), (long) limit + CAPACITY);
                ByteBuffer nb = ByteBuffer.allocateDirect(cap).order(ByteOrder.LITTLE_ENDIAN);
                nb.put(buf).flip();
                buf = nb;
            }
            readMore();
        }
        return buf.remaining() <= limit;
    }

    /** Whether the input has ended with every byte consumed. */
    boolean atEnd() throws IOException {
        return fill(1) == 0;
    }

    /**
     * Reads exactly {@code n} bytes into {@code dst[0, n)}, straight from the channel once the buffer is drained.
     *
     * @return bytes read: less than {@code n} only at the end of input
     */
    int readFully(ByteBuffer dst, int n) throws IOException {
        int k = Math.min(n, buf.remaining());
        dst.clear().limit(n);
        dst.put(buf.duplicate().limit(buf.position() + k));
        buf.position(buf.position() + k);
        if (dst.hasRemaining()) {
            base += buf.limit();
            buf.position(0).limit(0);
            while (dst.hasRemaining() && !eof) {
                int r = in.read(dst);
                if (r < 0) {
                    eof = true;
                } else {
                    base += r;
                }
            }
        }
        int got = dst.position();
        dst.flip();
        return got;
    }
}
