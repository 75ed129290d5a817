package dev.mmh.hadoop;

import dev.mmh.work.OrderedPipeline;
import dev.mmh.work.WorkerPool;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.io.compress.SplitCompressionInputStream;

/**
 * What the split streams of {@code .mmh} archives and of marked gzip files share: independent units (blocks,
 * members) that a {@link Source} finds one after the other and the workers of the JVM's shared pool decode,
 * {@code readAhead} of them ahead of the reader and at most one beyond the split's end before the reader asks for
 * it; positions reported at unit boundaries: {@link #getPos()} is one past the offset that owns the unit whose bytes
 * were returned last ({@link MmhSplitInputStream} says why). One {@code read} never returns bytes of two units.
 * Not thread-safe. {@link #close()} stops the decoding and closes the underlying stream.
 */
abstract class BlockSplitStream extends SplitCompressionInputStream {
    /** Decoded bytes {@code bytes[0, length)}; {@code release} gives the buffer back (or does nothing). */
    record Chunk(byte[] bytes, int length, Runnable release) {
    }

    /** A unit to decode: the offset that owns it (the split it belongs to is the one this offset is in) and how. */
    record Unit(long owner, OrderedPipeline.Task<Chunk> decode) {
    }

    /** Finds the units one after the other. */
    interface Source {
        /** The next unit, or {@code null} after the last. */
        Unit next() throws IOException;
    }

    private record Owned(long owner, Chunk chunk) {
    }

    protected final WorkerPool pool = Workers.pool();
    private final long end;
    private final int readAhead;
    private Source source;
    private OrderedPipeline<Owned> pipe;
    private boolean sourceDone;
    private int pending;
    private long lastSubmitted = -1;
    private Owned current;
    private int offset;
    private long reported;
    private boolean closed;
    private Closeable alsoClose;

    BlockSplitStream(InputStream in, long start, long end, int readAhead) throws IOException {
        super(in, start, end);
        this.end = end;
        this.readAhead = Math.max(1, readAhead);
    }

    /**
     * Sets where the units come from, once, from the constructor.
     *
     * @param s the units, or {@code null} for a split that owns none ({@link #getPos()} is then {@code end + 1})
     * @param initial what {@link #getPos()} reports before the first read
     */
    protected final void begin(Source s, long initial) {
        source = s;
        sourceDone = s == null;
        reported = s == null ? end + 1 : initial;
        pipe = new OrderedPipeline<>(pool, readAhead, null);
    }

    /** Something the source reads through, closed by {@link #close()} before the underlying stream. */
    protected final void alsoClose(Closeable c) {
        alsoClose = c;
    }

    /** Submits units: up to {@code readAhead}, and beyond the split's end only when none is pending. */
    private void fill() throws IOException {
        while (!sourceDone && pending < readAhead && (pending == 0 || lastSubmitted < end)) {
            Unit u;
            try {
                u = source.next();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            if (u == null) {
                sourceDone = true;
                return;
            }
            long owner = u.owner();
            OrderedPipeline.Task<Chunk> task = u.decode();
            lastSubmitted = owner;
            pipe.submit(t -> new Owned(owner, task.run(t)));
            pending++;
        }
    }

    /** Moves to the next unit with bytes in it; false at the end. */
    private boolean nextUnit() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (true) {
            if (current != null) {
                current.chunk().release().run();
                current = null;
            }
            fill();
            if (pending == 0) {
                return false;
            }
            current = pipe.next();
            pending--;
            offset = 0;
            fill();
            if (current.chunk().length() > 0) {
                reported = current.owner() + 1;
                return true;
            }
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (current == null || offset == current.chunk().length()) {
            if (!nextUnit()) {
                return -1;
            }
        }
        int n = Math.min(len, current.chunk().length() - offset);
        System.arraycopy(current.chunk().bytes(), offset, b, off, n);
        offset += n;
        return n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** One past the offset that owns the unit whose bytes were returned last (see the class comment). */
    @Override
    public long getPos() {
        return reported;
    }

    /** Unsupported: these streams cannot start over. */
    @Override
    public void resetState() {
        throw new UnsupportedOperationException("an mmh split stream cannot be reset");
    }

    /** Stops the decoding of units read ahead, then closes the underlying stream. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (pipe != null) {
                pipe.close();
            }
            if (current != null) {
                current.chunk().release().run();
                current = null;
            }
            if (alsoClose != null) {
                alsoClose.close();
            }
        } finally {
            super.close();
        }
    }
}
