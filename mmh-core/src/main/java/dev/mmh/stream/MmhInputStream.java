package dev.mmh.stream;

import dev.mmh.engine.ArchiveDecoder;
import dev.mmh.engine.CompressOptions;
import dev.mmh.engine.Summary;
import dev.mmh.work.WorkerPool;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * An input stream that decodes an mmh archive read from another stream (a file, a socket, a pipe: it never seeks),
 * decoding blocks ahead on several threads.
 *
 * <p><b>What it reads.</b> Any single-stream archive {@code mmh compress} or {@link MmhOutputStream} writes, in the
 * full or the compact layout; sections this version can skip (recovery data added by {@code mmh protect} or
 * {@code --recovery}) are checked and skipped. Folder archives are refused
 * ({@link dev.mmh.UnsupportedFormatException}): they hold many files.
 *
 * <p><b>Checks.</b> Everything {@code mmh decompress} checks: the header, each block's header CRC, stored-data CRC,
 * decoding and raw hash before any of its bytes is returned; at the end the index against the blocks read, the
 * content ID (the Merkle root of the blocks), the footer, and that nothing follows the archive. {@code read}
 * returns -1 only after all of them passed, so a caller that reads to the end has read the exact archive.
 *
 * <p><b>Parallel inside.</b> When a block is needed, the stream reads stored blocks from the underlying stream on
 * the calling thread and decodes up to {@code 2 * threads + 2} of them at once on workers (fewer under the memory
 * limit) while the caller consumes earlier ones. Workers: the options' shared {@link WorkerPool}, or the stream's
 * own {@code threads} (on the options' executor, if any), which {@link #close()} stops.
 *
 * <p><b>Memory</b> is bounded by the archive's block size, not its length: the blocks in flight, counted at
 * {@code 2 * blockSize + 64 KiB} each against the memory limit, plus the block being read. An archive whose blocks
 * do not fit twice in the limit is refused with {@link dev.mmh.LimitExceededException} when it is opened.
 *
 * <p><b>Failures</b> are {@link dev.mmh.MmhException}s naming the archive offset and block
 * ({@link dev.mmh.CorruptDataException}, {@link dev.mmh.ChecksumMismatchException}, ...; a truncated archive is a
 * {@code CorruptDataException} "... (truncated)"), or the underlying stream's {@link IOException}. Every byte
 * before the damaged block is returned first. After a failure every later call (but {@link #close()}) throws an
 * {@link IOException} whose cause is the first failure.
 *
 * <p><b>{@link #close()}</b> stops the workers (returning when none is decoding for this stream), closes the
 * underlying stream and is idempotent. Closing before the end is allowed; nothing after the bytes read is checked.
 *
 * <p><b>Not thread-safe</b>, like {@link java.util.zip.InflaterInputStream}: one thread at a time reads a stream.
 */
public final class MmhInputStream extends InputStream {
    private final InputStream in;
    private final WorkerPool.Use workers;
    private final ArchiveDecoder decoder;
    private final LongConsumer progress;
    private ArchiveDecoder.Block block;
    private int pos;
    private boolean eof;
    private boolean closed;
    private IOException failure;

    /**
     * A stream decoding the archive in {@code in} with the default options (a worker per core, the default memory
     * limit). Reads the archive's header before it returns. {@code in} is owned by the new stream: {@link #close()}
     * closes it; if this constructor throws, {@code in} is left open.
     *
     * @throws dev.mmh.NotMmhFormatException if {@code in} does not start with an mmh archive's header
     */
    public MmhInputStream(InputStream in) throws IOException {
        this(in, CompressOptions.defaults());
    }

    /**
     * A stream decoding the archive in {@code in} with {@code options}' threads or pool or executor, memory limit and
     * progress listener (called on the reading thread with the raw bytes of each block as the stream takes it up);
     * the codec settings are not used (the archive says how it was compressed). Reads the archive's header before it
     * returns. {@code in} is owned by the new stream: {@link #close()} closes it; if this constructor throws,
     * {@code in} is left open.
     *
     * @throws dev.mmh.NotMmhFormatException if {@code in} does not start with an mmh archive's header
     * @throws dev.mmh.LimitExceededException if two of the archive's blocks do not fit in the memory limit
     */
    public MmhInputStream(InputStream in, CompressOptions options) throws IOException {
        this.in = Objects.requireNonNull(in, "in");
        this.progress = options.progress();
        WorkerPool.Use w = options.workers();
        try {
            this.decoder = new ArchiveDecoder(in, w.pool(), options.memoryLimit(), options.identities());
        } catch (IOException | RuntimeException | Error e) {
            w.close();
            throw e;
        }
        this.workers = w;
    }

    @Override
    public int read() throws IOException {
        if (!ready()) {
            return -1;
        }
        return block.bytes()[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            usable();
            return 0;
        }
        int done = 0;
        while (done < len) {
            if (done > 0 && (block == null || pos == block.length())) {
                break; // what the current block held; the next read decodes on
            }
            if (!ready()) {
                return done == 0 ? -1 : done;
            }
            int n = Math.min(len - done, block.length() - pos);
            System.arraycopy(block.bytes(), pos, b, off + done, n);
            pos += n;
            done += n;
        }
        return done;
    }

    @Override
    public long skip(long n) throws IOException {
        long done = 0;
        while (done < n && ready()) {
            int k = (int) Math.min(n - done, block.length() - pos);
            pos += k;
            done += k;
        }
        return done;
    }

    /** Bytes of the current decoded block not read yet: what can be read without waiting. */
    @Override
    public int available() throws IOException {
        usable();
        return block == null ? 0 : block.length() - pos;
    }

    /**
     * What has been read: raw bytes decoded, archive bytes consumed and blocks; the content ID once {@code read} has
     * returned -1.
     */
    public Summary summary() {
        return decoder.summary();
    }

    /** Whether a byte is there to read: takes the next block when the current one is used up; false at the end. */
    private boolean ready() throws IOException {
        usable();
        if (block != null && pos < block.length()) {
            return true;
        }
        if (eof) {
            return false;
        }
        try {
            while (true) {
                if (block != null) {
                    decoder.release(block);
                    block = null;
                }
                ArchiveDecoder.Block next = decoder.next();
                if (next == null) {
                    eof = true;
                    shutDown(); // every check passed: the workers are not needed any more
                    return false;
                }
                block = next;
                pos = 0;
                if (progress != null) {
                    progress.accept(next.length());
                }
                if (next.length() > 0) {
                    return true;
                }
            }
        } catch (IOException e) {
            failure = e;
            shutDown();
            throw e;
        } catch (RuntimeException | Error e) {
            failure = new IOException("archive stream failed: " + e, e);
            shutDown();
            throw e;
        }
    }

    private void usable() throws IOException {
        if (failure != null) {
            throw new IOException("archive stream failed earlier: " + failure.getMessage(), failure);
        }
        if (closed) {
            throw new IOException("stream closed");
        }
    }

    private void shutDown() {
        decoder.close();
        workers.close();
        block = null;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        shutDown();
        in.close();
    }
}
