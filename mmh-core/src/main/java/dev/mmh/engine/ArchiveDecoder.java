package dev.mmh.engine;

import dev.mmh.format.ArchiveStreamReader;
import dev.mmh.format.FileHeader;
import dev.mmh.format.StoredBlock;
import dev.mmh.work.OrderedPipeline;
import dev.mmh.work.WorkerPool;
import java.io.IOException;
import java.io.InputStream;

/**
 * The decoding half of the block engine with the blocks pulled out: {@link #next()} gives the archive's blocks in
 * order, decoded ahead on the pool's workers while the caller uses the previous ones. The archive is read front to
 * back through an {@link ArchiveStreamReader} (a pipe is fine; full and compact layouts; sections this version can
 * skip, recovery data among them, are checked and skipped) and checked as {@code mmh decompress} checks it: each
 * block's header CRC, stored-data CRC, decoding and raw hash, then the index against the blocks, the content ID and
 * the footer, and that nothing follows. {@link Mmh#decompress} runs on it.
 *
 * <p>Memory: at most {@link Mmh#inFlightFor} blocks in flight (stored and raw buffers from the pool's shared
 * buffer pools) plus the blocks the caller holds.
 *
 * <p>Failures come in archive order: the blocks before a damaged place are given out first, then the damage is
 * thrown (an {@link dev.mmh.MmhException} naming offset and block, or the input's own {@link IOException}); after
 * that every call but {@link #close()} throws. Not thread-safe: one thread drives a decoder.
 */
public final class ArchiveDecoder implements AutoCloseable {
    private final ArchiveStreamReader reader;
    private final FileHeader fh;
    private final BufferPool rawPool;
    private final BufferPool storedPool;
    private final OrderedPipeline<Mmh.Decoded> pipe;
    /** Whether an encrypted archive's end was authenticated. */
    private boolean authChecked;
    /** The reader has reached the end (or failed: {@link #pending}). */
    private boolean readerDone;
    /** The reader's failure, thrown once the blocks before it are given out. */
    private IOException pending;
    private long total;
    private long blocks;
    /** An encrypted archive's keys, or {@code null}. */
    private final dev.mmh.crypto.ArchiveCipher cipher;

    /** A decoded block: its raw bytes in {@code bytes[0, length)}. */
    public record Block(byte[] bytes, int length) {
    }

    /**
     * Reads and checks the archive's file header from {@code in} (blocking until it has), and prepares to decode
     * on {@code pool}'s workers within {@code memoryLimit} bytes of blocks in flight (0: three quarters of the
     * maximum heap). {@code in} is not closed.
     *
     * @throws dev.mmh.NotMmhFormatException if {@code in} does not start with an mmh header
     * @throws dev.mmh.LimitExceededException if two of the archive's blocks do not fit in the memory limit
     */
    public ArchiveDecoder(InputStream in, WorkerPool pool, long memoryLimit) throws IOException {
        this(new ArchiveStreamReader(in), pool, memoryLimit, java.util.List.of());
    }

    /**
     * As {@link #ArchiveDecoder(InputStream, WorkerPool, long)}, opening an encrypted archive with the first of
     * {@code identities} that matches a recipient.
     *
     * @throws dev.mmh.AuthenticationFailedException the archive is encrypted and no identity opens it
     */
    public ArchiveDecoder(InputStream in, WorkerPool pool, long memoryLimit,
            java.util.List<? extends dev.mmh.crypto.age.Identity> identities) throws IOException {
        this(new ArchiveStreamReader(in), pool, memoryLimit, identities);
    }

    ArchiveDecoder(ArchiveStreamReader reader, WorkerPool pool, long memoryLimit,
            java.util.List<? extends dev.mmh.crypto.age.Identity> identities) throws IOException {
        this.reader = reader;
        this.fh = reader.header();
        this.cipher = fh.encrypted() ? dev.mmh.crypto.ArchiveCipher.open(reader.encryptionBody(), fh.encode(),
                identities, fh.length()) : null;
        int inFlight = Mmh.inFlightFor(fh.blockSize(), pool.parallelism(), memoryLimit);
        this.rawPool = EngineResources.rawBuffers(pool);
        this.storedPool = EngineResources.storedBuffers(pool);
        this.pipe = new OrderedPipeline<>(pool, inFlight, null);
    }

    /** The archive's file header. */
    public FileHeader header() {
        return fh;
    }

    /**
     * The next block, decoded and checked, or {@code null} after the last one once the index, content ID and footer
     * have been checked. Reads further stored blocks from the input and starts decoding them, up to the bound,
     * before it waits.
     */
    public Block next() throws IOException {
        while (!readerDone && pipe.inFlight() < pipe.maxInFlight()) {
            StoredBlock sb;
            try {
                sb = reader.next(storedPool::get);
            } catch (IOException e) {
                pending = e;
                readerDone = true;
                break;
            }
            if (sb == null) {
                readerDone = true;
                break;
            }
            blocks++;
            pipe.submit(t -> Mmh.decode(t, fh, sb, rawPool, storedPool, cipher));
        }
        if (pipe.inFlight() == 0) {
            if (pending != null) {
                throw pending;
            }
            if (cipher != null && !authChecked) {
                // the end of an encrypted archive: its A section must vouch for every block read
                try (dev.mmh.crypto.CryptoContext c = dev.mmh.crypto.CryptoContext.open()) {
                    cipher.checkAuth(c, reader.authBody(), blocks, total, reader.contentId(), reader.authOffset());
                } catch (IOException e) {
                    pending = e;
                    throw e;
                }
                authChecked = true;
            }
            return null;
        }
        Mmh.Decoded d = pipe.next();
        total += d.len();
        return new Block(d.raw(), d.len());
    }

    /** Gives a block's buffer back to the pool once the caller is done with it (optional: else it is collected). */
    public void release(Block b) {
        rawPool.put(b.bytes());
    }

    /** What was decoded: raw bytes given out, archive bytes read, blocks read, and (at the end) the content ID. */
    public Summary summary() {
        return new Summary(total, reader.position(), blocks, reader.contentId());
    }

    /** Stops decoding ahead (returning when no worker is on this archive's blocks); the input is not closed. */
    @Override
    public void close() {
        pipe.close();
    }
}
