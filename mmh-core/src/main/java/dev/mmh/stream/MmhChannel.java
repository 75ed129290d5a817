package dev.mmh.stream;

import dev.mmh.UnsupportedFormatException;
import dev.mmh.engine.BlockCodec;
import dev.mmh.engine.CompressOptions;
import dev.mmh.format.FileHeader;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.SeekableArchive;
import dev.mmh.format.StoredBlock;
import dev.mmh.io.ByteChannelFile;
import dev.mmh.work.OrderedPipeline;
import dev.mmh.work.WorkerPool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Random access to the decoded bytes of an mmh archive: a read-only {@link SeekableByteChannel} whose positions and
 * size are offsets in the original (decoded) data, over an archive file or any seekable channel holding one.
 *
 * <p><b>What a read costs.</b> Opening reads the header, the footer and the index (checked as {@code mmh info}
 * checks them: checksums, offsets, and that the content ID is the Merkle root of the index), not the blocks. A
 * read decodes only the blocks that hold a byte of {@code [position, position + dst.remaining())}, each checked as
 * {@code mmh decompress} checks it (header against the index entry, stored-data CRC, decoding, raw hash) before any
 * of its bytes is returned; the blocks a large read needs are read on the calling thread and decoded in parallel on
 * the workers. Decoded blocks are
 * kept in a least-recently-used cache of {@link #cacheBlocks()} blocks, so reads near each other decode once.
 *
 * <p><b>Memory</b>: the index (48 bytes per block with XXH64), the cache (at most {@code cacheBlocks} blocks), and
 * during a read the blocks in flight (as for the streams, {@code 2 * blockSize + 64 KiB} each against the memory
 * limit).
 *
 * <p><b>Channel semantics</b>, those of a read-only file channel: {@link #size()} is the decoded length;
 * {@link #position(long)} may be set past the end, where {@code read} returns -1; a read returns at least one byte
 * unless {@code dst} has no room or the position is at or past the end, and fills {@code dst} as far as the data
 * goes. {@code write} and {@code truncate} throw {@link NonWritableChannelException}. Every method but
 * {@code isOpen} and {@code close} throws {@link ClosedChannelException} after {@code close()}.
 *
 * <p><b>Failures</b>: damage found by a read is an {@link dev.mmh.MmhException} naming the archive offset and block;
 * the position is left where it was (bytes of the blocks before the damaged one may have been put into
 * {@code dst}), and the channel stays usable: other blocks may be sound. Damage to the footer or index fails
 * {@code open}.
 *
 * <p><b>Thread-safe</b>: reads are serialised, as the channel has one position.
 *
 * <p>{@link #close()} stops the channel's own workers, drops the cache and closes the archive's channel (the one
 * {@link #open} opened, or the one given to {@link #of}).
 */
public final class MmhChannel implements SeekableByteChannel {
    /** Blocks the cache holds by default: 32 MiB of decoded data with 8 MiB blocks. */
    public static final int DEFAULT_CACHE_BLOCKS = 4;

    private final SeekableArchive archive;
    private final WorkerPool.Use workers;
    private final List<IndexEntry> entries;
    /** Decoded offset where each block starts, and the total at the end: {@code starts.length == blocks + 1}. */
    private final long[] starts;
    private final int inFlight;
    private final int cacheBlocks;
    private final LongConsumer progress;
    /** An encrypted archive's keys (opened with the options' identities and its end checked), or {@code null}. */
    private final dev.mmh.crypto.ArchiveCipher cipher;
    private final LinkedHashMap<Integer, BlockCodec.Decoded> cache;
    private long position;
    private long decoded;
    private boolean closed;

    private MmhChannel(SeekableArchive archive, WorkerPool.Use workers, CompressOptions o, int cacheBlocks)
            throws IOException {
        if (archive.header().folder()) {
            throw new UnsupportedFormatException("a folder archive (format version 3): it holds many files "
                    + "(dev.mmh.archive.FolderArchive opens them)");
        }
        this.archive = archive;
        this.workers = workers;
        this.entries = archive.index().entries();
        FileHeader h = archive.header();
        this.cipher = h.encrypted() ? dev.mmh.crypto.ArchiveCipher.open(archive.encryptionBody(), h.encode(),
                o.identities(), h.length()) : null;
        if (cipher != null) {
            try (dev.mmh.crypto.CryptoContext c = dev.mmh.crypto.CryptoContext.open()) {
                cipher.checkAuth(c, archive.authBody(), entries.size(), archive.index().totalRawSize(),
                        archive.index().contentId(), archive.authOffset());
            }
        }
        this.starts = new long[entries.size() + 1];
        for (int i = 0; i < entries.size(); i++) {
            starts[i + 1] = starts[i] + entries.get(i).rawSize();
        }
        this.inFlight = BlockCodec.inFlight(o.toBuilder().blockSize(archive.header().blockSize()).build(),
                workers.pool());
        this.cacheBlocks = cacheBlocks;
        this.progress = o.progress();
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, BlockCodec.Decoded> eldest) {
                return size() > MmhChannel.this.cacheBlocks;
            }
        };
    }

    /** Opens the archive file {@code path} with the default options and cache. */
    public static MmhChannel open(Path path) throws IOException {
        return open(path, CompressOptions.defaults(), DEFAULT_CACHE_BLOCKS);
    }

    /**
     * Opens the archive file {@code path}, decoding on {@code options}' threads or pool or executor within its
     * memory limit (codec settings are not used; the progress listener hears the raw bytes of each block decoded),
     * caching up to {@code cacheBlocks} decoded blocks (1 or more).
     *
     * @throws dev.mmh.NotMmhFormatException if it is not an mmh archive
     * @throws dev.mmh.CorruptDataException if its header, footer or index is damaged
     */
    public static MmhChannel open(Path path, CompressOptions options, int cacheBlocks) throws IOException {
        SeekableArchive a = SeekableArchive.open(path);
        return on(a, options, cacheBlocks);
    }

    /**
     * A channel over the archive held in {@code ch} (a file channel, a ZIP file system's entry, an object store's
     * channel), owned from now on: {@link #close()} closes it, as does a failure to open. Reads of {@code ch} move
     * its position; nothing else may use it meanwhile.
     */
    public static MmhChannel of(SeekableByteChannel ch, CompressOptions options, int cacheBlocks) throws IOException {
        SeekableArchive a;
        try {
            a = SeekableArchive.of(ByteChannelFile.of(ch));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return on(a, options, cacheBlocks);
    }

    private static MmhChannel on(SeekableArchive a, CompressOptions options, int cacheBlocks) throws IOException {
        if (cacheBlocks < 1) {
            a.close();
            throw new IllegalArgumentException("the cache must hold at least one block");
        }
        WorkerPool.Use w = null;
        try {
            w = options.workers();
            return new MmhChannel(a, w, options, cacheBlocks);
        } catch (IOException | RuntimeException | Error e) {
            if (w != null) {
                w.close();
            }
            a.close();
            throw e;
        }
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        long size = starts[starts.length - 1];
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (position >= size) {
            return -1;
        }
        long end = Math.min(size, position + dst.remaining());
        int first = blockAt(position);
        int last = blockAt(end - 1);
        // blocks the cache holds now are pinned for this read, so that decoding the others cannot evict them
        Map<Integer, BlockCodec.Decoded> pinned = new HashMap<>();
        FileHeader fh = archive.header();
        long at = position;
        try (OrderedPipeline<BlockCodec.Decoded> pipe = new OrderedPipeline<>(workers.pool(), inFlight, null)) {
            int next = first;
            for (int i = first; i <= last; i++) {
                for (; next <= last && pipe.inFlight() < pipe.maxInFlight(); next++) {
                    BlockCodec.Decoded c = cache.get(next);
                    if (c != null) {
                        pinned.put(next, c);
                    } else {
                        // read here, decoded on a worker: no worker reads the archive's channel, so stopping
                        // the workers after a failure (an interrupt) cannot close it
                        StoredBlock sb = BlockCodec.read(archive, next, workers.pool());
                        pipe.submit(t -> BlockCodec.decode(t, fh, sb, workers.pool(), cipher));
                    }
                }
                BlockCodec.Decoded d = pinned.remove(i);
                if (d == null) {
                    d = pipe.next();
                    decoded++;
                    cache.put(i, d);
                    if (progress != null) {
                        progress.accept(d.length());
                    }
                }
                int from = (int) (at - starts[i]);
                int n = (int) (Math.min(end, starts[i + 1]) - at);
                dst.put(d.bytes(), from, n);
                at += n;
            }
        }
        int n = (int) (at - position);
        position = at;
        return n;
    }

    /** The block holding decoded offset {@code pos} (which is below the size). */
    private int blockAt(long pos) {
        int lo = 0;
        int hi = entries.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= pos) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Refused: the channel is read-only. */
    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public synchronized long position() throws IOException {
        ensureOpen();
        return position;
    }

    /**
     * Sets the decoded offset of the next read; past the end is allowed (reads then return -1).
     *
     * @throws IllegalArgumentException if {@code newPosition} is negative
     */
    @Override
    public synchronized MmhChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    /** The decoded length of the archive, in bytes. */
    @Override
    public synchronized long size() throws IOException {
        ensureOpen();
        return starts[starts.length - 1];
    }

    /** Refused: the channel is read-only. */
    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    /** Number of blocks in the archive. */
    public int blocks() {
        return entries.size();
    }

    /** Most decoded blocks the cache holds. */
    public int cacheBlocks() {
        return cacheBlocks;
    }

    /** Blocks decoded by this channel's reads so far (cache hits are not counted). */
    public synchronized long blocksDecoded() {
        return decoded;
    }

    @Override
    public synchronized boolean isOpen() {
        return !closed;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    /** Stops the channel's own workers, drops the cache and closes the archive's channel; idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        cache.clear();
        try {
            workers.close();
        } finally {
            archive.close();
        }
    }
}
