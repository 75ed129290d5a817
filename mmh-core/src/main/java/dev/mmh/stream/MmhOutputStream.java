package dev.mmh.stream;

import dev.mmh.engine.ArchiveWriter;
import dev.mmh.engine.CompressOptions;
import dev.mmh.engine.Summary;
import dev.mmh.work.WorkerPool;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * An output stream that compresses what is written to it into an mmh archive, on several threads.
 *
 * <p><b>Output.</b> The archive is byte for byte what {@code mmh compress} (and {@link dev.mmh.engine.Mmh#compress})
 * writes for the same bytes and options, however the bytes are cut into {@code write} calls: the input is cut into
 * blocks of {@link CompressOptions#blockSize()} raw bytes, each compressed on its own.
 *
 * <p><b>Parallel inside.</b> Each full block is handed to a worker as soon as the last byte of it is written; the
 * caller goes on filling the next one while up to {@code 2 * threads + 2} blocks are compressed (fewer under the
 * options' memory limit), and finished blocks are written to the underlying stream in order, on the calling thread,
 * during later {@code write}, {@code flush} and {@code close} calls. The workers are the options' shared
 * {@link WorkerPool}, or the stream's own {@code threads} workers (on the options' executor, if any), which
 * {@link #close()} stops.
 *
 * <p><b>Memory</b> is bounded by the block size, not the input: the blocks in flight, counted at
 * {@code 2 * blockSize + 64 KiB} each against the memory limit, the block being filled, and while the archive has
 * only one block, that block (an input of exactly one block gets the compact layout, so its header waits for the
 * end). With 8 MiB blocks and 2 threads: 6 blocks in flight, about 100 MB at most.
 *
 * <p><b>{@link #flush()}</b> writes the blocks that have finished compressing and flushes the underlying stream.
 * It does <em>not</em> end the block being filled: an archive whose blocks were ended early would differ from the
 * archive of the same bytes written at once, so up to one block of bytes written before {@code flush()} (and every
 * block still being compressed) is not yet in the underlying stream, and a reader cannot decode any of the archive
 * until {@code close()} has written its index and footer. Flushing does not wait for workers.
 *
 * <p><b>{@link #close()}</b> compresses the last partial block, waits for all blocks, writes them, the index and the
 * footer, closes the underlying stream and stops the stream's own workers. Calling it again does nothing.
 * {@link #finish()} does the same without closing the underlying stream.
 *
 * <p><b>After a failure</b> (the underlying stream's {@link IOException}, a {@link dev.mmh.LimitExceededException},
 * an {@link java.io.InterruptedIOException} when the writing thread is interrupted, a codec's failure) the archive
 * is incomplete and every later call throws an {@link IOException} whose cause is the first failure; {@code close()}
 * throws too, after stopping the workers and closing the underlying stream (once). A failure found by
 * {@code close()} itself (writing the last blocks, the index or footer) is thrown by it as it is.
 *
 * <p><b>Not thread-safe</b>, like {@link java.util.zip.DeflaterOutputStream}: one thread at a time writes to a
 * stream (the workers are internal).
 */
public final class MmhOutputStream extends OutputStream {
    private final OutputStream out;
    private final WorkerPool.Use workers;
    private final ArchiveWriter writer;
    private Summary summary;
    private IOException failure;
    private boolean closed;

    /**
     * A stream writing an archive to {@code out} with {@link CompressOptions#defaults()}, the options of
     * {@code mmh compress} without options (codec and level chosen per block, 8 MiB blocks, a worker per core), so
     * it writes what {@code mmh compress FILE} writes. {@code out} is owned by the new stream: {@link #close()}
     * closes it.
     */
    public MmhOutputStream(OutputStream out) throws IOException {
        this(out, CompressOptions.defaults());
    }

    /**
     * A stream writing an archive to {@code out} as {@code options} say (codec or goal, level, block size, hash,
     * threads or pool or executor, memory limit, progress listener: called on the writing thread with the raw bytes
     * of each block as it reaches {@code out}). {@code out} is owned by the new stream: {@link #close()} closes it.
     * Nothing is written to {@code out} before the first block is compressed.
     *
     * @throws dev.mmh.LimitExceededException if two blocks do not fit in the options' memory limit
     */
    public MmhOutputStream(OutputStream out, CompressOptions options) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        Objects.requireNonNull(options, "options");
        WorkerPool.Use w = options.workers();
        try {
            this.writer = new ArchiveWriter(out, options, w.pool());
        } catch (IOException | RuntimeException | Error e) {
            w.close();
            throw e;
        }
        this.workers = w;
    }

    @Override
    public void write(int b) throws IOException {
        usable();
        try {
            writer.write(b);
        } catch (IOException | RuntimeException | Error e) {
            throw fail(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        usable();
        try {
            writer.write(b, off, len);
        } catch (IOException | RuntimeException | Error e) {
            throw fail(e);
        }
    }

    /**
     * Writes the blocks that have finished compressing to the underlying stream and flushes it; the block being
     * filled is not ended (see the class comment).
     */
    @Override
    public void flush() throws IOException {
        usable();
        try {
            writer.writeReady();
            out.flush();
        } catch (IOException | RuntimeException | Error e) {
            throw fail(e);
        }
    }

    /**
     * Ends the archive: compresses the last block, writes every block, the index and the footer, and flushes the
     * underlying stream, which stays open; the stream's own workers are stopped. Later writes throw.
     *
     * @return what was written: raw bytes, archive bytes, blocks and the content ID
     */
    public Summary finish() throws IOException {
        if (summary != null && failure == null) {
            return summary;
        }
        usable();
        try {
            summary = writer.finish();
            out.flush();
        } catch (IOException | RuntimeException | Error e) {
            throw fail(e);
        } finally {
            writer.close();
            workers.close();
        }
        return summary;
    }

    /**
     * Finishes the archive (see {@link #finish()}) if that was not done, and closes the underlying stream; does
     * nothing the second time. After a failure it stops the workers, closes the underlying stream and throws.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            if (failure != null) {
                throw failed();
            }
            return;
        }
        IOException now = null;
        try {
            if (failure == null && summary == null) {
                finish();
            }
        } catch (IOException e) {
            now = e; // recorded as the failure; thrown as it is once the stream is closed
        } finally {
            closed = true;
            writer.close();
            workers.close();
            try {
                out.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (now != null) {
            throw now;
        }
        if (failure != null) {
            throw failed();
        }
    }

    private void usable() throws IOException {
        if (failure != null) {
            throw failed();
        }
        if (closed || summary != null) {
            throw new IOException("stream " + (closed ? "closed" : "finished"));
        }
    }

    private IOException failed() {
        return new IOException("archive stream failed earlier: " + failure.getMessage(), failure);
    }

    /** Records the first failure, stops the workers, and gives the exception to throw now. */
    private IOException fail(Throwable e) {
        writer.close();
        workers.close();
        if (e instanceof IOException io) {
            failure = io;
            return io;
        }
        failure = new IOException("archive stream failed: " + e, e);
        if (e instanceof RuntimeException r) {
            throw r;
        }
        throw (Error) e;
    }
}
