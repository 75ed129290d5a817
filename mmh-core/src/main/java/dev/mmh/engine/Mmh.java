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
import dev.mmh.codec.Codecs;
import dev.mmh.format.ArchiveStreamReader;
import dev.mmh.format.ArchiveTail;
import dev.mmh.format.BlockHeader;
import dev.mmh.format.FileHeader;
import dev.mmh.format.Format;
import dev.mmh.format.Index;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.LE;
import dev.mmh.format.StoredBlock;
import dev.mmh.hash.ContentHash;
import dev.mmh.hash.MerkleTree;
import dev.mmh.transform.Transform;
import dev.mmh.transform.Transforms;
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
 * <p>The input is cut into blocks of {@link CompressOptions#blockSize()} bytes; workers hash and compress them
 * with per-thread codec contexts; the calling thread reads input and writes finished blocks in order. At most
 * {@code 2 * threads + 2} blocks are in flight, so memory is bounded by the block size, not the input size. Each
 * block is compressed independently by a single-threaded context, so the archive is byte-identical for any thread
 * count. Streams are neither closed nor flushed beyond what is written; the caller owns them.
 */
public final class Mmh {
    private Mmh() {
    }

    /** Compresses {@code in} into {@code out}. */
    public static Summary compress(InputStream in, OutputStream out, CompressOptions o) throws IOException {
        return compress(in, out, o, n -> { });
    }

    /**
     * Compresses {@code in} into {@code out}.
     *
     * @param progress called on the calling thread with the raw bytes of each block written
     */
    public static Summary compress(InputStream in, OutputStream out, CompressOptions o, LongConsumer progress)
            throws IOException {
        return compress(in, out, o, progress, null);
    }

    /**
     * Compresses {@code in} into {@code out}, cutting blocks where {@code plan} says (at most the block size
     * each) and telling the analysis what the plan declares about each block.
     *
     * @param plan block boundaries and declared types, e.g. from a weights file's header; {@code null} for none
     */
    public static Summary compress(InputStream in, OutputStream out, CompressOptions o, LongConsumer progress,
            BlockPlan plan) throws IOException {
        int inFlight = inFlightFor(o.blockSize(), o.threads());
        return compress(in, out, o, progress, plan, sink -> new Pipeline<>(o.threads(), inFlight, sink), () -> { },
                new BufferPool(), new BufferPool());
    }

    /**
     * As {@link #compress(InputStream, OutputStream, CompressOptions, LongConsumer, BlockPlan)}, with the blocks
     * compressed by shared {@code workers} ({@link CompressOptions#threads()} is then not used): a caller
     * compressing several files can start the next one as soon as {@code inputRead} has run, and its first
     * blocks then compress beside this one's last. The archive is the same bytes either way.
     *
     * @param inputRead run on the calling thread once the whole input has been read and every block handed to the
     *     workers; what is left is compressing and writing
     */
    public static Summary compress(InputStream in, OutputStream out, CompressOptions o, LongConsumer progress,
            BlockPlan plan, Workers workers, Runnable inputRead) throws IOException {
        int inFlight = inFlightFor(o.blockSize(), workers.threads());
        return compress(in, out, o, progress, plan, sink -> new Pipeline<>(workers, inFlight, sink), inputRead,
                workers.rawPool(), workers.storedPool());
    }

    private static Summary compress(InputStream in, OutputStream out, CompressOptions o, LongConsumer progress,
            BlockPlan plan, java.util.function.Function<Pipeline.Sink<Encoded>, Pipeline<Encoded>> pipeline,
            Runnable inputRead, BufferPool rawPool, BufferPool outPool) throws IOException {
        Codec codec = o.codec();
        ContentHash hash = o.hash();
        FileHeader fh = new FileHeader(hash, o.goal() == null ? codec.id() : FileHeader.AUTO, o.params(),
                o.blockSize(), o.goal() == null ? 0 : 1 + o.goal().ordinal());
        int headerLen = BlockHeader.size(hash.length());
        int outCap = Math.toIntExact(Math.min(Integer.MAX_VALUE - 64, headerLen + maxStored(o) + 4L));
        Writer w = new Writer(out, fh, o.compact(), outPool, progress);
        try (Contexts ctx = new Contexts(o.params());
             Pipeline<Encoded> pipe = pipeline.apply(w)) {
            long number = 0;
            long pos = 0;
            while (true) {
                byte[] raw = rawPool.get(o.blockSize());
                int want = plan == null ? o.blockSize() : plan.nextLength(pos, o.blockSize());
                int n = in.readNBytes(raw, 0, want);
                if (n == 0) {
                    rawPool.put(raw);
                    break;
                }
                long num = number++;
                if (num > 0) {
                    w.more = true;
                }
                String dtype = plan == null ? null : plan.dtypeOf(pos, n);
                pipe.submit(() -> encode(ctx, o, raw, n, num, headerLen, outPool.get(outCap), rawPool, dtype));
                pos += n;
                if (n < want) {
                    break;
                }
            }
            inputRead.run();
            pipe.finish();
        }
        return w.finish();
    }

    /**
     * Writes the finished blocks in order, then the end of the archive. The header waits for the second block (or
     * the end of the input): an input of exactly one block is written in the compact layout, whose header differs,
     * so until then block 0 is held (at most one block more in memory than the pipeline allows). Runs on the
     * calling thread only, as the pipeline's sink.
     */
    private static final class Writer implements Pipeline.Sink<Encoded> {
        private final OutputStream out;
        private final FileHeader fh;
        private final boolean compact;
        private final BufferPool outPool;
        private final LongConsumer progress;
        private final List<IndexEntry> entries = new ArrayList<>();
        private final MerkleTree merkle = new MerkleTree();
        /** Set by the reading loop once a second block exists. */
        boolean more;
        private Encoded held;
        /** Bytes written so far; 0 until the header is. */
        private long offset;
        private long total;

        Writer(OutputStream out, FileHeader fh, boolean compact, BufferPool outPool, LongConsumer progress) {
            this.out = out;
            this.fh = fh;
            this.compact = compact;
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
            ArchiveTail tail = ArchiveTail.after(offset, new Index(entries, total, root), fh.hash().length());
            tail.writeTo(out);
            return new Summary(total, tail.fileLength(), entries.size(), root);
        }
    }

    private record Encoded(BlockHeader header, byte[] buf, int len) {
    }

    /** Room for the stored bytes of one block, whatever codec the block ends up with. */
    private static long maxStored(CompressOptions o) {
        long bound = o.codec().maxCompressedLength(o.blockSize());
        if (o.goal() != null) {
            for (dev.mmh.codec.Codec c : Codecs.all()) {
                bound = Math.max(bound, c.maxCompressedLength(o.blockSize() + (long) Format.MAX_TRANSFORM_EXPANSION));
            }
        }
        return Math.max(bound, o.blockSize());
    }

    private static Encoded encode(Contexts ctx, CompressOptions o, byte[] raw, int n, long number, int headerLen,
            byte[] out, BufferPool rawPool, String dtype) throws IOException {
        Contexts.PerThread t = ctx.get();
        byte[] rawHash = o.hash().hash(raw, 0, n);
        int room = out.length - headerLen - 4;
        List<Choice> candidates;
        int reason;
        if (o.goal() == null) {
            candidates = List.of(new Choice(Transforms.NONE, 0, o.codec().id(), o.codec().name(), o.params().level(),
                    o.params().flags()));
            reason = Reasons.USER;
        } else {
            BlockAnalysis a = t.analyzer().analyze(raw, 0, n, dtype);
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
                input = t.scratch(tr.maxEncodedLength(n, c.transformParam()));
                len = tr.encode(raw, 0, n, c.transformParam(), input, 0);
            }
            boolean first = best == null;
            // the first candidate compresses straight into the record; later ones into a trial buffer
            byte[] dst = first ? out : t.trial(out.length);
            int size = c.codecId() == Codecs.STORE && c.transformId() == Transforms.NONE ? Integer.MAX_VALUE
                    : t.compressor(c.codecId(), c.level(), c.flags()).compress(input, 0, len, dst, headerLen, room);
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
        BlockHeader h = new BlockHeader(codecId, level, transformId, param, reason, number, n, transformed, stored,
                rawHash);
        h.encode(out, 0);
        LE.put32(out, headerLen + stored, Format.crc(out, headerLen, stored));
        return new Encoded(h, out, headerLen + stored + 4);
    }

    /** Decompresses an archive read from {@code in} (a pipe is fine) into {@code out}. */
    public static Summary decompress(InputStream in, OutputStream out, int threads) throws IOException {
        return decompress(in, out, threads, n -> { });
    }

    /**
     * Decompresses an archive read from {@code in} into {@code out}, checking every block, the index, the content
     * ID and the footer. With {@code out == null} it only verifies.
     *
     * @param progress called with the raw bytes of each block finished
     * @throws dev.mmh.MmhException subclasses for damaged, foreign or unsupported input
     */
    public static Summary decompress(InputStream in, OutputStream out, int threads, LongConsumer progress)
            throws IOException {
        ArchiveStreamReader reader = new ArchiveStreamReader(in);
        int inFlight = inFlightFor(reader.header().blockSize(), threads);
        return decompress(reader, out, sink -> new Pipeline<>(threads, inFlight, sink), progress, () -> { },
                new BufferPool(), new BufferPool());
    }

    /**
     * As {@link #decompress(InputStream, OutputStream, int, LongConsumer)}, with the blocks decoded by shared
     * {@code workers}: a caller decoding several archives can start the next one as soon as {@code inputRead} has
     * run, and its first blocks then decode beside this one's last.
     *
     * @param inputRead run on the calling thread once the whole archive has been read and checked (index, content
     *     ID, footer) and every block handed to the workers; what is left is decoding and writing
     */
    public static Summary decompress(InputStream in, OutputStream out, Workers workers, LongConsumer progress,
            Runnable inputRead) throws IOException {
        ArchiveStreamReader reader = new ArchiveStreamReader(in);
        int inFlight = inFlightFor(reader.header().blockSize(), workers.threads());
        return decompress(reader, out, sink -> new Pipeline<>(workers, inFlight, sink), progress, inputRead,
                workers.rawPool(), workers.storedPool());
    }

    private static Summary decompress(ArchiveStreamReader reader, OutputStream out,
            java.util.function.Function<Pipeline.Sink<Decoded>, Pipeline<Decoded>> pipeline, LongConsumer progress,
            Runnable inputRead, BufferPool rawPool, BufferPool storedPool) throws IOException {
        FileHeader fh = reader.header();
        long[] total = {0};
        long blocks = 0;
        try (Contexts ctx = new Contexts(fh.params());
             Pipeline<Decoded> pipe = pipeline.apply(d -> {
                 if (out != null) {
                     out.write(d.raw, 0, d.len);
                 }
                 total[0] += d.len;
                 rawPool.put(d.raw);
                 progress.accept(d.len);
             })) {
            StoredBlock sb;
            while ((sb = reader.next(storedPool::get)) != null) {
                StoredBlock b = sb;
                blocks++;
                pipe.submit(() -> decode(ctx, fh, b, rawPool, storedPool));
            }
            inputRead.run();
            pipe.finish();
        }
        return new Summary(total[0], reader.position(), blocks, reader.contentId());
    }

    record Decoded(byte[] raw, int len) {
    }

    /** Decodes and checks one block; thread-safe given per-thread contexts. */
    static Decoded decode(Contexts ctx, FileHeader fh, StoredBlock b, BufferPool rawPool, BufferPool storedPool)
            throws IOException {
        Contexts.PerThread t = ctx.get();
        BlockHeader h = b.header();
        b.checkPayload();
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
                t.decompressor(h.codecId()).decompress(b.payload(), 0, (int) h.storedSize(), codecOut, 0, tLen);
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

    /** How many blocks may be in flight within the heap: 2 per thread + 2, fewer if the heap is small. */
    static int inFlightFor(int blockSize, int threads) throws LimitExceededException {
        long perBlock = 2L * blockSize + 64 * 1024;
        long allowed = Runtime.getRuntime().maxMemory() * 3 / 4;
        long fit = allowed / perBlock;
        if (fit < 2) {
            throw new LimitExceededException("decoding blocks of " + blockSize + " bytes", 2 * perBlock, allowed);
        }
        return (int) Math.min(2L * threads + 2, fit);
    }
}
