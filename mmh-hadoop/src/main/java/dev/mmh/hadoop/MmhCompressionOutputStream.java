package dev.mmh.hadoop;

import dev.mmh.engine.CompressOptions;
import dev.mmh.engine.Mmh;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.io.compress.CompressionOutputStream;

/**
 * Writes an {@code .mmh} archive of the bytes written to it, exactly the archive {@code mmh compress} writes of
 * the same bytes with the same options (full layout, or compact for one block), which {@code mmh decompress}
 * reads. The bytes go to {@link Mmh#compress} on a thread of this stream's own ("mmh-hadoop-compress"), through a
 * bounded hand-off of 4 chunks of 1 MiB, and its blocks are compressed on the options' workers; memory is that of
 * the engine's blocks in flight plus 5 MiB, whatever is written.
 *
 * <p><b>Life cycle.</b> {@link #finish()} ends the archive (its last block, index and footer) and waits until it
 * is written to the underlying stream, which it leaves open; {@link #close()} finishes and closes it. After
 * {@code finish()}, writing fails. {@link #flush()} writes nothing: the archive is written a block at a time, and
 * a flush does not end a block (that would make the archive depend on when flushes happen). A failure of the
 * engine (or of the underlying stream) is thrown by the next write, {@code finish()} or {@code close()}; the
 * stream is then unusable, and what was written of the archive is incomplete.
 *
 * <p>Not thread-safe: one writer at a time. The underlying stream is written by the compressing thread only,
 * until {@code finish()} returns.
 */
public final class MmhCompressionOutputStream extends CompressionOutputStream {
    private static final int CHUNK = 1 << 20;
    private static final byte[] END = new byte[0];

    private final CompressOptions options;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(4);
    private byte[] chunk = new byte[CHUNK];
    private int filled;
    private Thread thread;
    private volatile Throwable failure;
    private volatile boolean aborted;
    private boolean finished;
    private boolean failureThrown;

    /**
     * @param out where the archive goes; written by this stream's thread until {@link #finish()} returns, closed
     *     by {@link #close()}
     * @param options how to compress (codec or goal, level, block size, workers)
     */
    public MmhCompressionOutputStream(OutputStream out, CompressOptions options) {
        super(out);
        this.options = options;
    }

    private void start() {
        Handoff source = new Handoff();
        thread = new Thread(() -> {
            try {
                Mmh.compress(source, out, options);
            } catch (Throwable t) {
                failure = t;
                queue.clear();
            }
        }, "mmh-hadoop-compress");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("the mmh archive is finished: nothing more can be written to it");
        }
        rethrow();
        while (len > 0) {
            int n = Math.min(len, CHUNK - filled);
            System.arraycopy(b, off, chunk, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == CHUNK) {
                hand(chunk);
                chunk = new byte[CHUNK];
                filled = 0;
            }
        }
    }

    /** Passes a chunk to the compressing thread, waiting while the hand-off is full. */
    private void hand(byte[] c) throws IOException {
        if (thread == null) {
            start();
        }
        try {
            while (!queue.offer(c, 100, TimeUnit.MILLISECONDS)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            abort();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        }
        rethrow();
    }

    /**
     * Throws the compressing thread's failure: as it is the first time, then as the cause of a new IOException (one
     * exception thrown twice, by a write and then by close, would be its own suppressed exception).
     */
    private void rethrow() throws IOException {
        Throwable t = failure;
        if (t == null) {
            return;
        }
        if (!failureThrown) {
            failureThrown = true;
            if (t instanceof IOException e) {
                throw e;
            } else if (t instanceof RuntimeException e) {
                throw e;
            } else if (t instanceof Error e) {
                throw e;
            }
        }
        throw new IOException("the mmh archive was not written: " + t.getMessage(), t);
    }

    private void abort() {
        aborted = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Ends the archive and waits until all of it is written to the underlying stream (not flushed or closed). */
    @Override
    public void finish() throws IOException {
        if (finished) {
            rethrow();
            return;
        }
        finished = true;
        if (filled > 0) {
            hand(java.util.Arrays.copyOf(chunk, filled));
        }
        chunk = null;
        hand(END);
        try {
            thread.join();
        } catch (InterruptedException e) {
            abort();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        }
        rethrow();
    }

    /** Writes nothing (see the class comment). */
    @Override
    public void flush() {
    }

    /** Unsupported once anything was written: an mmh archive is one stream, not a series of members. */
    @Override
    public void resetState() {
        if (thread != null || filled > 0) {
            throw new UnsupportedOperationException("an mmh archive cannot be followed by another in one stream");
        }
    }

    /** The compressing thread's input: the chunks handed over, until {@code END}. */
    private final class Handoff extends InputStream {
        private byte[] cur = END;
        private int pos;
        private boolean eof;

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (!eof && pos == cur.length) {
                if (aborted) {
                    throw new InterruptedIOException("the writer was interrupted");
                }
                try {
                    byte[] c = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (c == END) {
                        eof = true;
                    } else if (c != null) {
                        cur = c;
                        pos = 0;
                    }
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("interrupted while compressing");
                }
            }
            if (eof) {
                return -1;
            }
            int n = Math.min(len, cur.length - pos);
            System.arraycopy(cur, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }
}
