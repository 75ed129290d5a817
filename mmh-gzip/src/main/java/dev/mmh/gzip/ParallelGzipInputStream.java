package dev.mmh.gzip;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.work.OrderedPipeline;
import dev.mmh.work.WorkerPool;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses gzip (RFC 1952): every member of a multi-member file or a concatenation, each one's CRC-32 and
 * length checked. Members that record their size (BGZF's {@code BC} subfield or mmh's {@code MH}) are inflated
 * in parallel on {@link GzipOptions#threads()} threads and returned in order; other members are inflated as a
 * stream with the JDK's zlib, in bounded memory whatever their size.
 *
 * <p>Errors come only through the {@link dev.mmh.MmhException} family with the byte offset in the compressed
 * input: {@link dev.mmh.NotMmhFormatException} if the input does not start with a gzip member,
 * {@link CorruptDataException} for truncation or bad data, {@link ChecksumMismatchException} for a CRC-32
 * mismatch, {@link LimitExceededException} for a marked member larger than the in-flight bound, and
 * {@link TrailingGarbageException} (after all valid data was returned) for bytes after the last member.
 *
 * <p>Memory: compressed plus decompressed bytes of the members in flight stay under
 * {@link GzipOptions#maxBytesInFlight()}, plus a 256 KiB input and output buffer. The marked members are inflated
 * on an {@link OrderedPipeline}, on the options' shared {@link WorkerPool} or on threads of the stream's own. After
 * a failure every read throws it again. Not thread-safe: one reader. {@link #close()} waits for its members'
 * workers, stops the stream's own threads and frees their native memory (a shared pool keeps its workers and their
 * inflaters), and closes the underlying input.
 */
public final class ParallelGzipInputStream extends InputStream {
    private static final int STREAM_CHUNK = 256 << 10;
    private final ReadableByteChannel channel;
    private final GzipSource src;
    private final GzipOptions options;
    private final BackendContexts inflaters;
    private final WorkerPool.Use workers;
    private final int maxQueued;
    /** The marked members in flight, in order; taken with {@code next()}. */
    private final OrderedPipeline<Decoded> queue;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private long bytesQueued;
    private long members;
    /** Output being served to the caller. */
    private ByteBuffer current;
    private Decoded currentBlock;
    /** Header of an unmarked member being inflated as a stream, else null. */
    private MemberHeader streaming;
    private Inflater inflater;
    private final CRC32 streamCrc = new CRC32();
    private long streamOut;
    private ByteBuffer streamBuf;
    private boolean inputDone;
    private TrailingGarbageException garbage;
    private MemberHeader firstHeader;
    private boolean closed;
    /** The first failure (an IOException or a RuntimeException), thrown again by every later read. */
    private Exception failure;
    private final byte[] one = new byte[1];

    private record Decoded(ByteBuffer in, ByteBuffer out, long cost) {
    }

    /** Decompresses {@code in}, which {@link #close()} closes. */
    public ParallelGzipInputStream(InputStream in, GzipOptions options) {
        this(in instanceof FileInputStream f ? f.getChannel() : ChannelSink.source(Objects.requireNonNull(in, "in")),
                options);
    }

    /** Decompresses {@code in}, which {@link #close()} closes. */
    public ParallelGzipInputStream(ReadableByteChannel in, GzipOptions options) {
        this.channel = Objects.requireNonNull(in, "in");
        this.options = Objects.requireNonNull(options, "options");
        this.src = new GzipSource(in);
        this.inflaters = BackendContexts.inflater(options.backend());
        this.maxQueued = 4 * options.threads() + 4;
        this.workers = WorkerPool.use(options.pool(), options.threads());
        this.queue = new OrderedPipeline<>(workers.pool(), maxQueued, null);
    }

    /** Gzip members fully parsed so far. */
    public long members() {
        return members;
    }

    /** Compressed bytes consumed so far. */
    public long compressedOffset() {
        return src.offset();
    }

    /**
     * The first member's header fields (name and mtime), read on the first call if needed; null name or 0 mtime
     * when absent.
     */
    public String firstName() throws IOException {
        ensureStarted();
        return firstHeader.name();
    }

    /** The first member's MTIME in seconds since the epoch, 0 when absent. */
    public long firstMtime() throws IOException {
        ensureStarted();
        return firstHeader.mtime();
    }

    private void ensureStarted() throws IOException {
        if (firstHeader == null && !inputDone) {
            topUp();
        }
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        ByteBuffer c = next();
        if (c == null) {
            return -1;
        }
        int n = Math.min(len, c.remaining());
        c.get(b, off, n);
        return n;
    }

    /**
     * Writes all remaining decompressed bytes to {@code out} straight from the decoder's buffers. Does not close
     * {@code out}.
     *
     * @return bytes written
     */
    public long transferTo(WritableByteChannel out) throws IOException {
        long total = 0;
        ByteBuffer c;
        while ((c = next()) != null) {
            total += c.remaining();
            while (c.hasRemaining()) {
                out.write(c);
            }
        }
        return total;
    }

    @Override
    public long transferTo(OutputStream out) throws IOException {
        return transferTo(ChannelSink.of(out));
    }

    /** The buffer holding the next decompressed bytes, or null at the end. */
    private ByteBuffer next() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        try {
            return nextPiece();
        } catch (TrailingGarbageException g) {
            throw g; // all the data was returned: the stream is at its end, not failed
        } catch (IOException | RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    private ByteBuffer nextPiece() throws IOException {
        while (current == null || !current.hasRemaining()) {
            release();
            if (!advance()) {
                if (garbage != null) {
                    TrailingGarbageException g = garbage;
                    garbage = null;
                    throw g;
                }
                return null;
            }
        }
        return current;
    }

    private void release() {
        if (currentBlock != null) {
            if (currentBlock.in != null) {
                recycle(currentBlock.in);
            }
            recycle(currentBlock.out);
            bytesQueued -= currentBlock.cost;
            currentBlock = null;
        }
        current = null;
    }

    /** Makes {@code current} the next piece of output; false at the end. */
    private boolean advance() throws IOException {
        topUp();
        if (queue.inFlight() > 0) {
            currentBlock = queue.next();
            current = currentBlock.out;
            return true;
        }
        if (streaming != null) {
            current = inflateChunk();
            if (streaming == null) {
                topUp();
            }
            return true;
        }
        return false;
    }

    /** Reads ahead and queues marked members until the in-flight bound, an unmarked member, or the end. */
    private void topUp() throws IOException {
        while (!inputDone && streaming == null && queue.inFlight() < maxQueued) {
            MemberHeader h = pendingMarked;
            if (h == null) {
                MemberHeader.Result r = MemberHeader.read(src, firstHeader == null);
                if (r instanceof MemberHeader.End) {
                    inputDone = true;
                    return;
                }
                if (r instanceof MemberHeader.Garbage g) {
                    inputDone = true;
                    garbage = new TrailingGarbageException(g.offset());
                    return;
                }
                h = ((MemberHeader.Member) r).header();
                if (firstHeader == null) {
                    firstHeader = h;
                }
                if (h.memberSize() < 0 || h.memberSize() > options.maxBytesInFlight() / 4) {
                    if (inflateWholeMember(h)) {
                        continue;
                    }
                    startStream(h);
                    return;
                }
            }
            long body = h.memberSize() - h.length();
            if (queue.inFlight() > 0 && bytesQueued + body * 2 > options.maxBytesInFlight()) {
                // the header is parsed: serve the queue first, then come back to this member
                pendingMarked = h;
                return;
            }
            pendingMarked = null;
            queueMember(h, (int) body);
        }
    }

    /** A marked member whose header is parsed but whose body waits for room in flight. */
    private MemberHeader pendingMarked;

    private void queueMember(MemberHeader h, int body) throws IOException {
        ByteBuffer in = take(body);
        int got = src.readFully(in, body);
        if (got < body) {
            recycle(in);
            throw new CorruptDataException("truncated gzip member: its size field says " + h.memberSize()
                    + " bytes, the input ends after " + (h.length() + got), src.offset(), members);
        }
        int dataLen = body - GzipFormat.TRAILER;
        int expectedCrc = in.getInt(dataLen);
        long isize = in.getInt(dataLen + 4) & 0xffffffffL;
        long trailerAt = h.offset() + h.length() + dataLen;
        long limit = options.maxBytesInFlight() / 2;
        if (isize > limit) {
            recycle(in);
            throw new LimitExceededException("gzip member at offset " + h.offset() + " (ISIZE)", isize, limit);
        }
        ByteBuffer out = take((int) isize);
        long cost = body + isize;
        bytesQueued += cost;
        long index = members++;
        DeflateBackend backend = options.backend();
        queue.submit(w -> {
            long r = inflaters.inflater(w).inflate(in, 0, dataLen, out, 0, (int) isize);
            if (r == DeflateBackend.BlockInflater.BAD_DATA) {
                throw new CorruptDataException("invalid or truncated deflate data in the gzip member at offset "
                        + h.offset(), h.offset() + h.length(), index);
            }
            if (r == DeflateBackend.BlockInflater.NO_ROOM) {
                throw new CorruptDataException("length mismatch: the member inflates to more than its ISIZE of "
                        + isize + " bytes", trailerAt + 4, index);
            }
            long read = r >>> 32;
            int written = (int) r;
            if (written != isize) {
                throw new CorruptDataException("length mismatch: ISIZE says " + isize + " bytes, the data inflates to "
                        + written, trailerAt + 4, index);
            }
            if (read != dataLen) {
                throw new CorruptDataException("the deflate data ends " + (dataLen - read)
                        + " bytes before the trailer its size field places", h.offset() + h.length() + read, index);
            }
            int actual = backend.crc32(out, 0, written);
            if (actual != expectedCrc) {
                throw new ChecksumMismatchException("CRC-32", hex(expectedCrc), hex(actual), trailerAt, index);
            }
            out.limit(written).position(0);
            return new Decoded(in, out, cost);
        });
    }

    /**
     * Inflates an unmarked member in one call when the rest of the input is small enough to hold (a quarter of the
     * in-flight bound) and the backend is faster that way. The last four bytes of the input (the last member's
     * ISIZE) size the output; when they are too small, or the data is bad, it returns false and the member is
     * streamed instead, which also gives the precise error.
     */
    private boolean inflateWholeMember(MemberHeader h) throws IOException {
        if (!options.backend().fastWholeMembers()) {
            return false;
        }
        if (!src.fillToEnd((int) Math.min(Integer.MAX_VALUE - 64, options.maxBytesInFlight() / 4))) {
            return false;
        }
        ByteBuffer b = src.buffer();
        int pos = b.position();
        int rem = b.remaining();
        if (rem < GzipFormat.TRAILER + 2) {
            return false;
        }
        long guess = b.getInt(b.limit() - 4) & 0xffffffffL;
        if (guess > options.maxBytesInFlight() / 2) {
            return false;
        }
        if (wholeInflater == null) {
            wholeInflater = options.backend().inflater();
        }
        ByteBuffer out = take((int) guess);
        long r = wholeInflater.inflate(b, pos, rem, out, 0, (int) guess);
        int read = (int) (r >>> 32);
        if (r < 0 || rem - read < GzipFormat.TRAILER) {
            recycle(out);
            return false;
        }
        int written = (int) r;
        long trailerAt = src.offset() + read;
        int expectedCrc = b.getInt(pos + read);
        long isize = b.getInt(pos + read + 4) & 0xffffffffL;
        int actual = options.backend().crc32(out, 0, written);
        if (actual != expectedCrc) {
            throw new ChecksumMismatchException("CRC-32", hex(expectedCrc), hex(actual), trailerAt, members);
        }
        if (isize != written) {
            throw new CorruptDataException("length mismatch: ISIZE says " + isize + " bytes, the data inflates to "
                    + written, trailerAt + 4, members);
        }
        b.position(pos + read + GzipFormat.TRAILER);
        members++;
        out.limit(written).position(0);
        bytesQueued += written;
        queue.submitCompleted(new Decoded(null, out, written));
        return true;
    }

    private DeflateBackend.BlockInflater wholeInflater;

    private static String hex(int v) {
        return String.format("%08x", v);
    }

    private void startStream(MemberHeader h) {
        streaming = h;
        if (inflater == null) {
            inflater = new Inflater(true);
            streamBuf = ByteBuffer.allocateDirect(STREAM_CHUNK);
        }
        inflater.reset();
        inflater.setInput(src.buffer());
        streamCrc.reset();
        streamOut = 0;
    }

    /** Inflates the next piece of the streamed member; at its end checks the trailer and clears {@code streaming}. */
    private ByteBuffer inflateChunk() throws IOException {
        ByteBuffer out = streamBuf.clear();
        while (out.hasRemaining() && !inflater.finished()) {
            if (inflater.needsInput()) {
                if (!src.readMore()) {
                    throw new CorruptDataException("unexpected end of input inside the gzip member at offset "
                            + streaming.offset(), src.offset(), members);
                }
                inflater.setInput(src.buffer());
            }
            try {
                inflater.inflate(out);
            } catch (DataFormatException e) {
                throw new CorruptDataException("invalid deflate data in the gzip member at offset "
                        + streaming.offset() + " (" + e.getMessage() + ")", src.offset(), members);
            }
            if (inflater.needsDictionary()) {
                throw new CorruptDataException("deflate data asks for a preset dictionary", src.offset(), members);
            }
        }
        out.flip();
        streamCrc.update(out.duplicate());
        streamOut += out.remaining();
        if (inflater.finished()) {
            finishStreamedMember();
        }
        return out;
    }

    private void finishStreamedMember() throws IOException {
        long trailerAt = src.offset();
        if (src.fill(GzipFormat.TRAILER) < GzipFormat.TRAILER) {
            throw new CorruptDataException("truncated gzip member: end of input in its trailer", trailerAt, members);
        }
        ByteBuffer b = src.buffer();
        int expectedCrc = b.getInt(b.position());
        long isize = b.getInt(b.position() + 4) & 0xffffffffL;
        b.position(b.position() + GzipFormat.TRAILER);
        int actual = (int) streamCrc.getValue();
        if (actual != expectedCrc) {
            throw new ChecksumMismatchException("CRC-32", hex(expectedCrc), hex(actual), trailerAt, members);
        }
        if (isize != (streamOut & 0xffffffffL)) {
            throw new CorruptDataException("length mismatch: ISIZE says " + isize + " bytes (mod 2^32), the data has "
                    + streamOut, trailerAt + 4, members);
        }
        members++;
        streaming = null;
    }

    private ByteBuffer take(int size) {
        for (Iterator<ByteBuffer> it = free.iterator(); it.hasNext();) {
            ByteBuffer b = it.next();
            if (b.capacity() >= size) {
                it.remove();
                return b.clear().limit(size);
            }
        }
        int cap = Math.max(64 << 10, Integer.highestOneBit(Math.max(size, 1) - 1) << 1);
        return ByteBuffer.allocateDirect(Math.max(cap, size)).order(ByteOrder.LITTLE_ENDIAN).limit(size);
    }

    private void recycle(ByteBuffer b) {
        if (free.size() < 2 * maxQueued) {
            free.add(b);
        }
    }

    /**
     * Waits for the members still being inflated, stops the stream's own workers, frees native memory and closes
     * the input.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.close();
            workers.close();
            if (inflater != null) {
                inflater.end();
            }
            if (wholeInflater != null) {
                wholeInflater.close();
            }
        } finally {
            channel.close();
        }
    }
}
