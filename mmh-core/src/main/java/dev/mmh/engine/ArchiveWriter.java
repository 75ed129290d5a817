package dev.mmh.engine;

import dev.mmh.work.OrderedPipeline;
import dev.mmh.work.WorkerPool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The compressing half of the block engine with the bytes pushed in: the caller writes bytes (or hands over an
 * input stream), full blocks are compressed on the pool's workers while the caller goes on, and the finished
 * blocks, then the index and footer, are written to the output in order. {@link Mmh#compress} runs on it, so what it
 * writes is byte for byte what {@code mmh compress} writes for the same bytes and options, however the bytes were
 * cut into calls.
 *
 * <p>Memory: at most {@link Mmh#inFlightFor} blocks in flight (raw and stored buffers from the pool's shared
 * buffer pools), the block being filled, and in the compact layout block 0 until a second block or the end shows
 * which layout the archive gets. The output is written on the calling thread only; it is neither flushed nor closed.
 *
 * <p>Failures follow {@link OrderedPipeline}'s rule (the first failing block in input order decides the exception);
 * after a failure every call but {@link #close()} throws. Not thread-safe: one thread drives a writer.
 */
public final class ArchiveWriter implements AutoCloseable {
    private final CompressOptions o;
    private final BlockPlan plan;
    private final BufferPool rawPool;
    private final BufferPool outPool;
    private final int headerLen;
    private final int outCap;
    private final Mmh.Writer writer;
    /** An encrypted archive's keys (new for each archive), or {@code null}. */
    private final dev.mmh.crypto.ArchiveCipher cipher;
    private final OrderedPipeline<Mmh.Encoded> pipe;
    /** The block being filled, {@code null} between blocks. */
    private byte[] raw;
    private int filled;
    /** Length of the block being filled. */
    private int want;
    /** Raw bytes before the block being filled. */
    private long pos;
    private long number;
    private Summary summary;

    /**
     * A writer of an archive to {@code out} as {@code o} says (its codec or goal, level, block size, hash, layout,
     * memory limit, progress listener, block plan) on {@code pool}'s workers; {@code o}'s threads, pool and
     * executor are not used. Nothing is written before the first block is finished.
     *
     * @throws dev.mmh.LimitExceededException if two blocks do not fit in the memory limit
     */
    public ArchiveWriter(OutputStream out, CompressOptions o, WorkerPool pool) throws IOException {
        this.o = o;
        this.plan = o.plan();
        int inFlight = Mmh.inFlightFor(o.blockSize(), pool.parallelism(), o.memoryLimit());
        this.rawPool = EngineResources.rawBuffers(pool);
        this.outPool = EngineResources.storedBuffers(pool);
        this.headerLen = dev.mmh.format.BlockHeader.size(o.hash().length());
        this.outCap = Math.toIntExact(Math.min(Integer.MAX_VALUE - 64, headerLen + Mmh.maxStored(o) + 4L));
        dev.mmh.format.FileHeader fh = BlockCodec.header(o);
        this.cipher = o.encrypted() ? dev.mmh.crypto.ArchiveCipher.create(o.recipients(), fh.encode(), o.pad()) : null;
        this.writer = new Mmh.Writer(out, fh, o.compact(), outPool, Mmh.progressOf(o.progress()), cipher);
        this.pipe = new OrderedPipeline<>(pool, inFlight, writer);
    }

    /** Adds one byte. */
    public void write(int b) throws IOException {
        open();
        if (raw == null) {
            start();
        }
        raw[filled++] = (byte) b;
        if (filled == want) {
            submit();
        }
    }

    /** Adds {@code b[off, off + len)}; each block is handed to a worker as soon as it is full. */
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        open();
        while (len > 0) {
            if (raw == null) {
                start();
            }
            int n = Math.min(len, want - filled);
            System.arraycopy(b, off, raw, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == want) {
                submit();
            }
        }
    }

    /** Adds everything {@code in} holds, reading it straight into the block buffers; {@code in} is not closed. */
    public void transferFrom(InputStream in) throws IOException {
        open();
        while (true) {
            if (raw == null) {
                start();
            }
            int n = in.readNBytes(raw, filled, want - filled);
            filled += n;
            if (filled < want) {
                return; // the end of the input
            }
            submit();
        }
    }

    /**
     * Writes the blocks that are finished to the output, without waiting for any. It cannot end the block being
     * filled: a block ended early would give another archive than the same bytes written at once.
     */
    public void writeReady() throws IOException {
        open();
        pipe.deliverReady();
    }

    /** Compresses the last (partial) block, waits for every block, writes them, the index and the footer. */
    public Summary finish() throws IOException {
        open();
        if (raw != null) {
            if (filled > 0) {
                submit();
            } else {
                rawPool.put(raw);
                raw = null;
            }
        }
        pipe.finish();
        summary = writer.finish();
        return summary;
    }

    private void open() {
        if (summary != null) {
            throw new IllegalStateException("archive already finished");
        }
    }

    private void start() {
        raw = rawPool.get(o.blockSize());
        filled = 0;
        want = plan == null ? o.blockSize() : plan.nextLength(pos, o.blockSize());
    }

    private void submit() throws IOException {
        byte[] r = raw;
        int n = filled;
        long num = number++;
        if (num > 0) {
            writer.more = true;
        }
        String dtype = plan == null ? null : plan.dtypeOf(pos, n);
        raw = null;
        filled = 0;
        pos += n;
        pipe.submit(t -> Mmh.encode(t, o, r, n, num, headerLen, outPool.get(outCap), rawPool, dtype, cipher));
    }

    /**
     * Stops the workers on this archive's blocks (returning when none is running) and gives the buffer being filled
     * back; an unfinished archive stays unfinished. The output is not closed. Idempotent.
     */
    @Override
    public void close() {
        pipe.close();
        if (raw != null) {
            rawPool.put(raw);
            raw = null;
        }
    }
}
