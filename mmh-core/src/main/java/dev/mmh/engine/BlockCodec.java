package dev.mmh.engine;

import dev.mmh.CorruptDataException;
import dev.mmh.format.BlockHeader;
import dev.mmh.format.FileHeader;
import dev.mmh.format.Format;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.LE;
import dev.mmh.format.SeekableArchive;
import dev.mmh.format.StoredBlock;
import dev.mmh.work.WorkerPool;
import dev.mmh.work.WorkerState;
import java.io.IOException;

/**
 * The block engine one block at a time, for writers and readers that lay out their own archives (folder archives,
 * repository packs): encode a block on a worker exactly as {@link Mmh#compress} does (analysis, transform, codec,
 * hash, checksums; byte for byte the same section), and read and decode one block of an open archive exactly as
 * {@link Mmh#decompress} does (every check). Buffers come from the pool's shared buffer pools, so run after run
 * allocates no new arrays. Thread-safe: one instance serves every worker of its pool.
 */
public final class BlockCodec {
    private final CompressOptions o;
    private final BufferPool rawPool;
    private final BufferPool outPool;
    private final int headerLen;
    private final int outCap;
    private final dev.mmh.crypto.ArchiveCipher cipher;

    /** An encoded block section: {@code bytes[0, length)}, header through stored-data CRC. */
    public record Encoded(BlockHeader header, byte[] bytes, int length) {
    }

    /** A decoded block: its raw bytes in {@code bytes[0, length)}. */
    public record Decoded(byte[] bytes, int length) {
    }

    /** Encodes blocks as {@code o} says (its codec or goal, level, block size, hash), with {@code pool}'s buffers. */
    public BlockCodec(CompressOptions o, WorkerPool pool) throws IOException {
        this(o, pool, null);
    }

    /**
     * As {@link #BlockCodec(CompressOptions, WorkerPool)}, sealing every block with {@code cipher} (an encrypted
     * archive's keys; {@code null}: a plain archive).
     */
    public BlockCodec(CompressOptions o, WorkerPool pool, dev.mmh.crypto.ArchiveCipher cipher) throws IOException {
        this.o = o;
        this.cipher = cipher;
        this.rawPool = EngineResources.rawBuffers(pool);
        this.outPool = EngineResources.storedBuffers(pool);
        this.headerLen = BlockHeader.size(o.hash().length());
        long seal = cipher != null && !o.encrypted() ? Format.SEAL_OVERHEAD : 0;
        this.outCap = Math.toIntExact(Math.min(Integer.MAX_VALUE - 64, headerLen + Mmh.maxStored(o) + seal + 4L));
    }

    /**
     * The file header of an archive written with {@code o} (full layout): the codec and level asked for, or {@link
     * FileHeader#AUTO} and the goal when mmh chooses per block.
     */
    public static FileHeader header(CompressOptions o) {
        return new FileHeader(o.hash(), o.goal() == null ? o.codec().id() : FileHeader.AUTO, o.params(), o.blockSize(),
                o.goal() == null ? 0 : 1 + o.goal().ordinal()).withEncrypted(o.encrypted());
    }

    /** A buffer of at least the block size for raw bytes, from the pool (given back by {@link #encode}). */
    public byte[] rawBuffer() {
        return rawPool.get(o.blockSize());
    }

    /**
     * Encodes {@code raw[0, n)} as block {@code number} on worker {@code t}: the raw buffer goes back to the pool;
     * give the result back with {@link #release} once it is written.
     *
     * @param dtype what the bytes are declared to be (a tensor element type), or {@code null}
     */
    public Encoded encode(WorkerState t, byte[] raw, int n, long number, String dtype) throws IOException {
        Mmh.Encoded e = Mmh.encode(t, o, raw, n, number, headerLen, outPool.get(outCap), rawPool, dtype, cipher);
        return new Encoded(e.header(), e.buf(), e.len());
    }

    /** Gives an encoded block's buffer back to the pool. */
    public void release(Encoded e) {
        outPool.put(e.bytes());
    }

    /**
     * How many blocks of {@code o} may be in flight on {@code pool} within its memory limit.
     *
     * @throws dev.mmh.LimitExceededException if not even two fit
     */
    public static int inFlight(CompressOptions o, WorkerPool pool) throws IOException {
        return Mmh.inFlightFor(o.blockSize(), pool.parallelism(), o.memoryLimit());
    }

    /**
     * Reads block {@code number} of the open archive {@code a} where its index says, checks its header against the
     * index entry, its stored bytes' CRC, and decodes it on worker {@code t}, checking its raw hash. Give the result
     * back with {@link #release(WorkerPool, Decoded)}.
     */
    public static Decoded decode(WorkerState t, SeekableArchive a, int number, WorkerPool pool) throws IOException {
        return decode(t, a, number, pool, null);
    }

    /**
     * As {@link #decode(WorkerState, SeekableArchive, int, WorkerPool)}, opening the block with {@code cipher} when
     * the archive is encrypted ({@code null}: it must not be).
     */
    public static Decoded decode(WorkerState t, SeekableArchive a, int number, WorkerPool pool,
            dev.mmh.crypto.ArchiveCipher cipher) throws IOException {
        return decode(t, a.header(), read(a, number, pool), pool, cipher);
    }

    /**
     * Reads block {@code number} of the open archive {@code a} where its index says and checks its header against
     * the index entry, on the calling thread: the I/O half of {@link #decode(WorkerState, SeekableArchive, int,
     * WorkerPool)}, for readers that keep file reads off the workers (an interrupt of a worker inside a
     * {@code FileChannel} read would close the channel). Decode the result with {@link #decode(WorkerState,
     * FileHeader, StoredBlock, WorkerPool)}.
     */
    public static StoredBlock read(SeekableArchive a, int number, WorkerPool pool) throws IOException {
        FileHeader fh = a.header();
        IndexEntry e = a.index().entries().get(number);
        int hl = BlockHeader.size(fh.hash().length());
        BlockHeader h = Verifier.header(a, fh, e, number, new byte[hl]);
        BufferPool stored = EngineResources.storedBuffers(pool);
        int n = (int) h.storedSize();
        byte[] payload = stored.get(n + 4);
        if (a.read(payload, e.offset() + hl, n + 4) < n + 4) {
            stored.put(payload);
            throw new CorruptDataException("stored data is cut off (truncated)", e.offset() + hl, number);
        }
        return new StoredBlock(h, e.offset(), payload, LE.get32(payload, n));
    }

    /**
     * Checks the stored-data CRC of a block {@link #read} gave (or a reader that finds blocks itself, such as a Hadoop
     * split that starts inside an archive: its payload from {@link #storedBuffer}) and decodes it on worker {@code t},
     * with every check {@link Mmh#decompress} makes (codec, transform, raw hash); the stored buffer goes back to the
     * pool. Give the result back with {@link #release(WorkerPool, Decoded)}.
     */
    public static Decoded decode(WorkerState t, FileHeader fh, StoredBlock b, WorkerPool pool) throws IOException {
        return decode(t, fh, b, pool, null);
    }

    /** As {@link #decode(WorkerState, FileHeader, StoredBlock, WorkerPool)}, opening the block with {@code cipher}. */
    public static Decoded decode(WorkerState t, FileHeader fh, StoredBlock b, WorkerPool pool,
            dev.mmh.crypto.ArchiveCipher cipher) throws IOException {
        Mmh.Decoded d = Mmh.decode(t, fh, b, EngineResources.rawBuffers(pool), EngineResources.storedBuffers(pool),
                cipher);
        return new Decoded(d.raw(), d.len());
    }

    /**
     * A buffer of at least {@code n} bytes from {@code pool}'s stored-data buffers, for the payload of a block that
     * {@link #decode(WorkerState, FileHeader, StoredBlock, WorkerPool)} will decode (which gives it back).
     */
    public static byte[] storedBuffer(WorkerPool pool, int n) throws IOException {
        return EngineResources.storedBuffers(pool).get(n);
    }

    /** Gives a decoded block's buffer back to {@code pool}'s buffers. */
    public static void release(WorkerPool pool, Decoded d) throws IOException {
        EngineResources.rawBuffers(pool).put(d.bytes());
    }
}
