package dev.mmh.engine;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.analysis.BlockAnalysis;
import dev.mmh.analysis.Choice;
import dev.mmh.analysis.Goal;
import dev.mmh.analysis.Reasons;
import dev.mmh.codec.Codec;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.crypto.ArchiveCipher;
import dev.mmh.crypto.CryptoContext;
import dev.mmh.format.ArchiveStreamReader;
import dev.mmh.format.ArchiveTail;
import dev.mmh.format.BlockHeader;
import dev.mmh.format.FileHeader;
import dev.mmh.format.Format;
import dev.mmh.format.Index;
import dev.mmh.format.SectionEnvelope;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.LE;
import dev.mmh.format.StoredBlock;
import dev.mmh.hash.MerkleTree;
import dev.mmh.transform.Transform;
import dev.mmh.transform.Transforms;
import dev.mmh.work.OrderedPipeline;
import dev.mmh.work.WorkerPool;
import dev.mmh.work.WorkerState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The block engine: compresses a stream into an .mmh archive and back, on all cores.
 *
 * <p>The input is cut into blocks of {@link CompressOptions#blockSize()} bytes; the workers of a
 * {@link WorkerPool} (the run's own, or one shared by several runs) hash and compress them with their own codec
 * contexts, on an {@link OrderedPipeline}; the calling thread reads input and writes finished blocks in order. At
 * most {@code 2 * threads + 2} blocks are in flight (fewer under the options' memory limit), so memory is bounded
 * by the block size, not the input size. Each block is compressed independently by a single-threaded context, so
 * the archive is byte-identical for any thread count or pool. Streams are neither closed nor flushed beyond what
 * is written; the caller owns them.
 *
 * <p>Failures follow the pipeline's rule: the first failing block in input order decides the exception (an
 * {@link IOException}, a {@link dev.mmh.MmhException} for bad input, unchanged; a RuntimeException or Error
 * unchanged); an interrupt of the calling thread ends the run with an {@link java.io.InterruptedIOException}.
 * When a call returns, by value or exception, none of its blocks is still being worked on.
 */
public final class Mmh {
    private Mmh() {
    }

    /**
     * Compresses {@code in} into {@code out} as {@code o} says (codec or goal, blocks, threads or a shared pool,
     * memory limit, progress, block plan).
     *
     * @throws dev.mmh.LimitExceededException if two blocks do not fit in the memory limit
     */
    public static Summary compress(InputStream in, OutputStream out, CompressOptions o) throws IOException {
        try (WorkerPool.Use use = o.workers()) {
            return compressOn(in, out, o, use.pool());
        }
    }

    private static Summary compressOn(InputStream in, OutputStream out, CompressOptions o, WorkerPool pool)
            throws IOException {
        try (ArchiveWriter w = new ArchiveWriter(out, o, pool)) {
            w.transferFrom(in);
            return w.finish();
        }
    }

    /** No progress listener. */
    private static final LongConsumer NO_PROGRESS = new LongConsumer() {
        @Override
        public void accept(long bytes) {
        }
    };

    static LongConsumer progressOf(LongConsumer p) {
        return p != null ? p : NO_PROGRESS;
    }

    /**
     * Writes the finished blocks in order, then the end of the archive. The header waits for the second block (or
     * the end of the input): an input of exactly one block is written in the compact layout, whose header differs,
     * so until then block 0 is held (at most one block more in memory than the pipeline allows). Runs on the
     * calling thread only, as the pipeline's sink.
     */
    static final class Writer implements OrderedPipeline.Sink<Encoded> {
        private final OutputStream out;
        private final FileHeader fh;
        private final boolean compact;
        private final BufferPool outPool;
        private final LongConsumer progress;
        private final ArchiveCipher cipher;
        private final List<IndexEntry> entries = new ArrayList<>();
        private final MerkleTree merkle = new MerkleTree();
        /** Set by the reading loop once a second block exists. */
        boolean more;
        private Encoded held;
        /** Bytes written so far; 0 until the header is. */
        private long offset;
        private long total;

        Writer(OutputStream out, FileHeader fh, boolean compact, BufferPool outPool, LongConsumer progress,
                ArchiveCipher cipher) {
            this.out = out;
            this.fh = fh;
            this.cipher = cipher;
            this.compact = compact && cipher == null;
            this.outPool = outPool;
            this.progress = progress;
        }

        @Override
        public void accept(Encoded e) throws IOException {
            if (compact && !more && offset == 0) {
                held = e;
                return;
            }
            header();
            if (held != null) {
                append(held);
                held = null;
            }
            append(e);
        }

        private void header() throws IOException {
            if (offset == 0) {
                byte[] h = fh.encode();
                out.write(h);
                offset = h.length;
                if (cipher != null) {
                    byte[] e = SectionEnvelope.wrap(Format.SECTION_ENCRYPTION, Format.SECTION_MUST_UNDERSTAND,
                            cipher.encryptionBody());
                    out.write(e);
                    offset += e.length;
                }
            }
        }

        private void append(Encoded e) throws IOException {
            entries.add(IndexEntry.of(offset, e.header));
            merkle.add(e.header.rawSize(), e.header.rawHash());
            out.write(e.buf, 0, e.len);
            offset += e.len;
            total += e.header.rawSize();
            outPool.put(e.buf);
            progress.accept(e.header.rawSize());
        }

        /** Writes the compact header and the held block, or the index and footer after the blocks. */
        Summary finish() throws IOException {
            if (held != null) {
                Encoded e = held;
                merkle.add(e.header.rawSize(), e.header.rawHash());
                byte[] h = fh.withCompact(true).encode();
                out.write(h);
                out.write(e.buf, 0, e.len);
                progress.accept(e.header.rawSize());
                return new Summary(e.header.rawSize(), h.length + e.len, 1, merkle.root());
            }
            header();
            byte[] root = merkle.root();
            if (cipher != null) {
                try (CryptoContext c = CryptoContext.open()) {
                    byte[] a = SectionEnvelope.wrap(Format.SECTION_AUTH, Format.SECTION_MUST_UNDERSTAND,
                            cipher.authBody(c, entries.size(), total, root));
                    out.write(a);
                    offset += a.length;
                }
            }
            ArchiveTail tail = ArchiveTail.after(offset, new Index(entries, total, root), fh.hash().length());
            tail.writeTo(out);
            return new Summary(total, tail.fileLength(), entries.size(), root);
        }
    }

    record Encoded(BlockHeader header, byte[] buf, int len) {
    }

    /** Room for the stored bytes of one block, whatever codec the block ends up with. */
    static long maxStored(CompressOptions o) {
        long m = maxPlainStored(o);
        return o.encrypted() ? Format.padme(m + 4) + Format.SEAL_OVERHEAD : m;
    }

    private static long maxPlainStored(CompressOptions o) {
        long bound = o.codec().maxCompressedLength(o.blockSize());
        if (o.goal() != null) {
            for (dev.mmh.codec.Codec c : Codecs.all()) {
                bound = Math.max(bound, c.maxCompressedLength(o.blockSize() + (long) Format.MAX_TRANSFORM_EXPANSION));
            }
        }
        return Math.max(bound, o.blockSize());
    }

    static Encoded encode(WorkerState t, CompressOptions o, byte[] raw, int n, long number, int headerLen,
            byte[] out, BufferPool rawPool, String dtype, ArchiveCipher cipher) throws IOException {
        byte[] rawHash = o.hash().hash(raw, 0, n);
        // sealed, the codec output gets a nonce, a tag and maybe padding: it may take no more than an unsealed block
        int room = cipher == null ? out.length - headerLen - 4
                : (int) Math.min(out.length - headerLen - 4 - Format.SEAL_OVERHEAD, maxPlainStored(o));
        List<Choice> candidates;
        int reason;
        if (o.goal() == null) {
            candidates = List.of(new Choice(Transforms.NONE, 0, o.codec().id(), o.codec().name(), o.params().level(),
                    o.params().flags()));
            reason = Reasons.USER;
        } else {
            BlockAnalysis a = EngineResources.analyzer(t).analyze(raw, 0, n, dtype);
            candidates = new ArrayList<>();
            candidates.add(a.choiceFor(o.goal()));
            if (o.goal() == Goal.MAX) {
                candidates.addAll(a.maxAlternatives());
            }
            reason = Reasons.of(a.kind()) | (candidates.size() > 1 ? Reasons.TRIALS : 0);
        }
        Choice best = null;
        int stored = Integer.MAX_VALUE;
        int transformed = n;
        for (Choice c : candidates) {
            byte[] input = raw;
            int len = n;
            if (c.transformId() != Transforms.NONE) {
                Transform tr = Transforms.byId(c.transformId());
                input = EngineResources.scratch(t, tr.maxEncodedLength(n, c.transformParam()));
                len = tr.encode(raw, 0, n, c.transformParam(), input, 0);
            }
            boolean first = best == null;
            // the first candidate compresses straight into the record; later ones into a trial buffer
            byte[] dst = first ? out : EngineResources.trial(t, out.length);
            int size = c.codecId() == Codecs.STORE && c.transformId() == Transforms.NONE ? Integer.MAX_VALUE
                    : EngineResources.compressor(t, c.codecId(), new CodecParams(c.level(), o.params().windowLog(),
                            c.flags() | (o.params().flags() & CodecParams.LONG)))
                            .compress(input, 0, len, dst, headerLen, room);
            if (size < stored) {
                if (!first) {
                    System.arraycopy(dst, headerLen, out, headerLen, size);
                }
                best = c;
                stored = size;
                transformed = len;
            }
        }
        if (best == null) {
            best = candidates.get(0); // the analysis chose store
        }
        int codecId = best.codecId();
        int level = best.level();
        int transformId = best.transformId();
        int param = best.transformParam();
        if (stored >= n) {
            // nothing shrank the block: store it, so no block is ever larger than its data
            System.arraycopy(raw, 0, out, headerLen, n);
            stored = n;
            transformed = n;
            codecId = Codecs.STORE;
            level = 0;
            transformId = Transforms.NONE;
            param = 0;
            if (best.codecId() != Codecs.STORE) {
                reason |= Reasons.STORED_NO_GAIN;
            }
        }
        rawPool.put(raw);
        if (cipher != null) {
            CryptoContext c = EngineResources.crypto(t);
            rawHash = cipher.keyedHash(c, number, rawHash);
            System.arraycopy(out, headerLen, out, headerLen + CryptoContext.AEAD_NONCE_LENGTH, stored);
            BlockHeader h = new BlockHeader(codecId, level, transformId, param, reason, number, n, transformed,
                    cipher.sealedSize(stored), rawHash);
            h.encode(out, 0);
            byte[] aad = Arrays.copyOf(out, headerLen - 4);
            stored = cipher.seal(c, aad, aad.length, out, headerLen, stored);
            LE.put32(out, headerLen + stored, Format.crc(out, headerLen, stored));
            return new Encoded(h, out, headerLen + stored + 4);
        }
        BlockHeader h = new BlockHeader(codecId, level, transformId, param, reason, number, n, transformed, stored,
                rawHash);
        h.encode(out, 0);
        LE.put32(out, headerLen + stored, Format.crc(out, headerLen, stored));
        return new Encoded(h, out, headerLen + stored + 4);
    }

    /**
     * Decompresses an archive read from {@code in} (a pipe is fine) into {@code out}, checking every block, the
     * index, the content ID and the footer. With {@code out == null} it only verifies.
     *
     * @throws dev.mmh.MmhException subclasses for damaged, foreign or unsupported input
     * @throws dev.mmh.LimitExceededException if two of the archive's blocks do not fit in the memory limit
     */
    public static Summary decompress(InputStream in, OutputStream out, DecompressOptions o) throws IOException {
        ArchiveStreamReader reader = new ArchiveStreamReader(in);
        try (WorkerPool.Use use = o.workers()) {
            return decompressOn(reader, out, o, use.pool());
        }
    }

    private static Summary decompressOn(ArchiveStreamReader reader, OutputStream out, DecompressOptions o,
            WorkerPool pool) throws IOException {
        LongConsumer progress = progressOf(o.progress());
        try (ArchiveDecoder d = new ArchiveDecoder(reader, pool, o.memoryLimit(), o.identities())) {
            ArchiveDecoder.Block b;
            while ((b = d.next()) != null) {
                if (out != null) {
                    out.write(b.bytes(), 0, b.length());
                }
                d.release(b);
                progress.accept(b.length());
            }
            return d.summary();
        }
    }

    record Decoded(byte[] raw, int len) {
    }

    /** Decodes and checks one block with the codec contexts of worker {@code t}. */
    static Decoded decode(WorkerState t, FileHeader fh, StoredBlock b, BufferPool rawPool, BufferPool storedPool,
            ArchiveCipher cipher) throws IOException {
        BlockHeader h = b.header();
        b.checkPayload();
        int from = 0;
        int storedLen = (int) h.storedSize();
        if (fh.encrypted()) {
            if (cipher == null) {
                throw new dev.mmh.AuthenticationFailedException("the archive is encrypted: give an identity (-i FILE) "
                        + "or a passphrase (--passphrase)");
            }
            int hl = BlockHeader.size(h.rawHash().length);
            byte[] aad = new byte[hl];
            h.encode(aad, 0);
            storedLen = cipher.open(EngineResources.crypto(t), aad, hl - 4, b.payload(), storedLen, b.offset(),
                    h.number());
            from = CryptoContext.AEAD_NONCE_LENGTH;
        }
        int rawLen = (int) h.rawSize();
        int tLen = (int) h.transformedSize();
        long payloadAt = b.offset() + BlockHeader.size(h.rawHash().length);
        Transform tr;
        try {
            tr = h.transformId() == Transforms.NONE ? null : Transforms.byId(h.transformId());
            if (tr == null && tLen != rawLen) {
                throw new CorruptDataException("transformed size differs from raw size without a transform", b.offset(),
                        h.number());
            }
            byte[] raw = rawPool.get(Math.max(rawLen, 1));
            // from the pool too, so that archive after archive on shared workers allocates no new arrays
            byte[] codecOut = tr == null ? raw : rawPool.get(Math.max(tLen, 1));
            try {
                EngineResources.decompressor(t, h.codecId(), fh.params())
                        .decompress(b.payload(), from, storedLen, codecOut, 0, tLen);
                if (tr != null) {
                    tr.decode(codecOut, 0, tLen, h.transformParam(), raw, 0, rawLen);
                }
            } catch (CorruptDataException e) {
                rawPool.put(raw);
                throw new CorruptDataException(e.getMessage(), payloadAt, h.number(), e);
            } finally {
                if (codecOut != raw) {
                    rawPool.put(codecOut);
                }
            }
            storedPool.put(b.payload());
            byte[] actual = fh.hash().hash(raw, 0, rawLen);
            if (cipher != null) {
                actual = cipher.keyedHash(EngineResources.crypto(t), h.number(), actual);
            }
            if (!Arrays.equals(actual, h.rawHash())) {
                rawPool.put(raw);
                throw new ChecksumMismatchException("decoded data hash", Format.hex(h.rawHash()), Format.hex(actual),
                        b.offset(), h.number());
            }
            return new Decoded(raw, rawLen);
        } catch (UnsupportedFormatException e) {
            throw Format.unsupported(e.getMessage(), b.offset(), h.number()); // an unknown codec or transform id
        }
    }

    /**
     * How many blocks may be in flight: 2 per thread + 2, fewer if they would not fit in {@code memoryLimit} bytes
     * (0: three quarters of the maximum heap) at {@code 2 * blockSize + 64 KiB} each.
     *
     * @throws LimitExceededException if not even two fit
     */
    static int inFlightFor(int blockSize, int threads, long memoryLimit) throws LimitExceededException {
        long perBlock = 2L * blockSize + 64 * 1024;
        long allowed = memoryLimit > 0 ? memoryLimit : Runtime.getRuntime().maxMemory() * 3 / 4;
        long fit = allowed / perBlock;
        if (fit < 2) {
            throw new LimitExceededException("decoding blocks of " + blockSize + " bytes", 2 * perBlock, allowed);
        }
        return (int) Math.min(2L * threads + 2, fit);
    }
}
