package dev.mmh.gzip;

import dev.mmh.work.OrderedPipeline;
import dev.mmh.work.WorkerPool;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Compresses to standard gzip (RFC 1952) on several threads. The input is cut into blocks of
 * {@link GzipOptions#effectiveBlockSize()} bytes; each block becomes one gzip member that records its own size in
 * the extra field (BGZF's {@code BC} subfield for blocks up to 65,280 bytes, with the BGZF end-of-file marker
 * after the last member; mmh's {@code MH} subfield for larger blocks). Any gzip reader decodes the result;
 * {@link ParallelGzipInputStream}, htslib and mmh decode it in parallel.
 *
 * <p>The output depends only on the bytes written and the options' level, block size, name, mtime and backend:
 * never on the thread count or timing. Memory: at most {@code 2 * threads + 2} blocks in flight, each an input
 * buffer of the block size and an output buffer of its worst-case compressed size (direct memory). The blocks are
 * compressed on an {@link OrderedPipeline}, on the options' shared {@link WorkerPool} or on threads of the stream's
 * own; a failure follows the pipeline's rule (an IOException as thrown, a RuntimeException unchanged).
 *
 * <p>Not thread-safe: one writer thread. {@link #flush()} writes the members already compressed and flushes the
 * sink; it does not cut the current block. {@link #close()} compresses the last block, writes every member and
 * the end marker, waits for its blocks' workers, stops the stream's own threads and frees their native memory (a
 * shared pool keeps its workers and their deflaters), and closes the sink. After a failure the stream only accepts
 * {@link #close()}.
 */
public final class ParallelGzipOutputStream extends OutputStream {
    private final WritableByteChannel sink;
    private final Flushable flushable;
    private final GzipOptions options;
    private final int blockSize;
    private final boolean bgzf;
    private final byte[] name;
    private final BackendContexts deflaters;
    private final WorkerPool.Use workers;
    private final OrderedPipeline<Block> pipeline;
    private final int outCapacity;
    private final ArrayDeque<ByteBuffer> freeIn = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> freeOut = new ArrayDeque<>();
    private ByteBuffer current;
    private long blocks;
    private long bytesIn;
    private long bytesOut;
    private boolean finished;
    private boolean closed;
    /** The first failure (an IOException or a RuntimeException); the stream then only accepts close(). */
    private Exception failure;

    private record Block(ByteBuffer in, ByteBuffer out) {
    }

    /** Compresses to {@code out}, which {@link #close()} closes. */
    public ParallelGzipOutputStream(OutputStream out, GzipOptions options) {
        this(ChannelSink.of(Objects.requireNonNull(out, "out")), out, options);
    }

    /** Compresses to {@code out}, which {@link #close()} closes. */
    public ParallelGzipOutputStream(WritableByteChannel out, GzipOptions options) {
        this(out, out instanceof Flushable f ? f : null, options);
    }

    private ParallelGzipOutputStream(WritableByteChannel sink, Flushable flushable, GzipOptions options) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.flushable = flushable;
        this.options = Objects.requireNonNull(options, "options");
        this.blockSize = options.effectiveBlockSize();
        this.bgzf = options.bgzf();
        // htslib reads a BGZF member's data at a fixed offset, so BGZF output cannot carry a name
        this.name = bgzf || options.name() == null ? null : options.name().getBytes(StandardCharsets.ISO_8859_1);
        DeflateBackend backend = options.backend();
        int level = options.level();
        int bound;
        try (DeflateBackend.BlockDeflater probe = backend.deflater(level)) {
            bound = probe.maxCompressedLength(blockSize);
        }
        this.outCapacity = headerLength(true) + bound + GzipFormat.TRAILER;
        this.deflaters = BackendContexts.deflater(backend, level);
        this.workers = WorkerPool.use(options.pool(), options.threads());
        this.pipeline = new OrderedPipeline<>(workers.pool(), 2 * options.threads() + 2, new Writer());
    }

    /** The options this stream compresses with. */
    public GzipOptions options() {
        return options;
    }

    /** Uncompressed bytes accepted so far. */
    public long bytesIn() {
        return bytesIn;
    }

    /** Compressed bytes written to the sink so far. */
    public long bytesOut() {
        return bytesOut;
    }

    @Override
    public void write(int b) throws IOException {
        ByteBuffer c = current();
        c.put((byte) b);
        bytesIn++;
        if (!c.hasRemaining()) {
            submit();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            ByteBuffer c = current();
            int n = Math.min(len, c.remaining());
            c.put(b, off, n);
            off += n;
            len -= n;
            bytesIn += n;
            if (!c.hasRemaining()) {
                submit();
            }
        }
    }

    /**
     * Reads {@code in} to its end and compresses everything, reading straight into the block buffers (no extra
     * copy). Does not close {@code in}.
     *
     * @return bytes read
     */
    public long transferFrom(ReadableByteChannel in) throws IOException {
        long total = 0;
        while (true) {
            ByteBuffer c = current();
            int n = in.read(c);
            if (n < 0) {
                return total;
            }
            total += n;
            bytesIn += n;
            if (!c.hasRemaining()) {
                submit();
            }
        }
    }

    private ByteBuffer current() throws IOException {
        if (closed || finished) {
            throw new IOException("gzip stream already " + (closed ? "closed" : "finished"));
        }
        if (failure != null) {
            throw new IOException("gzip stream failed earlier: " + failure, failure);
        }
        if (current == null) {
            ByteBuffer b = freeIn.poll();
            current = b != null ? b.clear() : ByteBuffer.allocateDirect(blockSize);
        }
        return current;
    }

    private void submit() throws IOException {
        ByteBuffer in = current.flip();
        current = null;
        ByteBuffer o = freeOut.poll();
        ByteBuffer out = o != null ? o.clear() : ByteBuffer.allocateDirect(outCapacity).order(ByteOrder.LITTLE_ENDIAN);
        boolean first = blocks++ == 0;
        Block block = new Block(in, out);
        DeflateBackend backend = options.backend();
        try {
            pipeline.submit(w -> compressMember(deflaters.deflater(w), backend, block, first));
        } catch (IOException | RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    private Block compressMember(DeflateBackend.BlockDeflater deflater, DeflateBackend backend, Block b,
            boolean first) {
        ByteBuffer in = b.in;
        ByteBuffer out = b.out;
        int len = in.limit();
        int header = headerLength(first);
        int n = deflater.compress(in, 0, len, out, header, out.capacity() - header - GzipFormat.TRAILER);
        int total = header + n + GzipFormat.TRAILER;
        if (bgzf && total > GzipFormat.BGZF_MAX_MEMBER) {
            throw new IllegalStateException("BGZF member of " + total + " bytes for a block of " + len);
        }
        writeHeader(out, first, total);
        out.putInt(header + n, backend.crc32(in, 0, len));
        out.putInt(header + n + 4, len);
        out.limit(total).position(0);
        return b;
    }

    private int headerLength(boolean first) {
        int h = bgzf ? GzipFormat.BGZF_HEADER : GzipFormat.MH_HEADER;
        return first && name != null ? h + name.length + 1 : h;
    }

    private void writeHeader(ByteBuffer out, boolean first, int total) {
        int flags = GzipFormat.FEXTRA | (first && name != null ? GzipFormat.FNAME : 0);
        out.put(0, (byte) GzipFormat.ID1).put(1, (byte) GzipFormat.ID2).put(2, (byte) GzipFormat.CM_DEFLATE);
        out.put(3, (byte) flags);
        out.putInt(4, first ? (int) options.mtime() : 0);
        out.put(8, (byte) 0).put(9, (byte) GzipFormat.OS_UNKNOWN);
        int p = GzipFormat.FIXED_HEADER;
        if (bgzf) {
            out.putShort(p, (short) 6);
            out.put(p + 2, (byte) GzipFormat.BC_SI1).put(p + 3, (byte) GzipFormat.BC_SI2).putShort(p + 4, (short) 2);
            out.putShort(p + 6, (short) (total - 1));
            p += 8;
        } else {
            out.putShort(p, (short) 8);
            out.put(p + 2, (byte) GzipFormat.MH_SI1).put(p + 3, (byte) GzipFormat.MH_SI2).putShort(p + 4, (short) 4);
            out.putInt(p + 6, total);
            p += 10;
        }
        if (first && name != null) {
            out.put(p, name);
            out.put(p + name.length, (byte) 0);
        }
    }

    /** Writes the finished members in order, on the writer's thread, and recycles their buffers. */
    private final class Writer implements OrderedPipeline.Sink<Block> {
        @Override
        public void accept(Block b) throws IOException {
            bytesOut += b.out.remaining();
            while (b.out.hasRemaining()) {
                sink.write(b.out);
            }
            freeIn.add(b.in);
            freeOut.add(b.out);
        }
    }

    /** Writes the members compressed so far and flushes the sink; the block being filled stays open. */
    @Override
    public void flush() throws IOException {
        if (failure == null) {
            try {
                pipeline.deliverReady();
            } catch (IOException | RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        if (flushable != null) {
            flushable.flush();
        }
    }

    /**
     * Compresses the last block and writes all members and the end marker, without closing the sink. Further
     * writes fail.
     */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (current != null && current.position() > 0) {
            submit();
        } else if (blocks == 0 && !bgzf) {
            // empty input: one empty member so that the output is a gzip file
            current();
            submit();
        }
        try {
            pipeline.finish();
        } catch (IOException | RuntimeException e) {
            failure = e;
            throw e;
        }
        if (bgzf) {
            ByteBuffer eof = ByteBuffer.wrap(GzipFormat.BGZF_EOF);
            bytesOut += eof.remaining();
            while (eof.hasRemaining()) {
                sink.write(eof);
            }
        }
        finished = true;
        if (flushable != null) {
            flushable.flush();
        }
    }

    /**
     * Finishes (unless a failure happened), waits for the blocks still being compressed, stops the stream's own
     * workers and frees their native memory, and closes the sink.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (failure == null) {
                finish();
            }
        } finally {
            closed = true;
            try {
                pipeline.close();
                workers.close();
            } finally {
                sink.close();
            }
        }
    }
}
