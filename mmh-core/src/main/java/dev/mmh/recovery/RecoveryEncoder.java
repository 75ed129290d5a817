package dev.mmh.recovery;

import dev.mmh.work.IndexedTasks;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Makes the recovery section for the bytes [0, N) of a channel (layout in docs/RECOVERY-FORMAT.md).
 *
 * <p>Work is split into runs of consecutive code words, each read row by row (one contiguous range of the
 * source per row) on one of {@code threads} workers; memory is about (2m + 3) x max(64 KiB, shard size) per
 * worker (under 1 MiB at 5% for ranges up to 512 MiB; 13 MiB at 5% and 23 MiB at 10% once shards reach 1 MiB,
 * from 8 GiB) plus 12 bytes per shard for the tables, whatever N is. The output is identical for any
 * thread count. Stateless; calls may run concurrently on different channels.
 */
public final class RecoveryEncoder {
    private RecoveryEncoder() {}

    /**
     * Protects {@code source[0, protectedLength)} and writes the recovery section into {@code out} at
     * {@code sectionOffset}.
     *
     * <p>For a section inside an archive, {@code out} may be the archive's own channel (opened for writing) and
     * {@code sectionOffset} the end of the protected bytes. For a sidecar, {@code out} is the {@code .mmhr} file
     * and the offset 0. Neither channel is closed; on a non-{@link java.nio.channels.FileChannel} their
     * positions change. Do not open {@code out} in append mode: positional writes are then undefined.
     *
     * @return the written section, as a reader would find it
     * @throws EOFException if {@code source} ends before {@code protectedLength}
     */
    public static RecoveryData encode(SeekableByteChannel source, long protectedLength, RecoveryOptions options,
            SeekableByteChannel out, long sectionOffset) throws IOException {
        RecoveryParams p = RecoveryParams.plan(protectedLength, options.fraction());
        return encode(source, p, options.sidecar(), options.threads(), out, sectionOffset);
    }

    /**
     * Runs the encoding loops on a few kilobytes of synthetic data so that the JIT compiles them, taking the
     * cold-start cost (tens of milliseconds of slow first passes) off the first real encode. Worth calling on a
     * spare thread while something else runs first, e.g. while an archive is being compressed. Thread-safe;
     * costs some 20 ms of CPU; has no other effect.
     */
    public static void warmUp() {
        // the 100 + 5 code of 5% uses every Horner loop of m <= 5; a thousand calls of each get C2 to compile it
        int lanes = 512;
        ReedSolomon rs = ReedSolomon.of(100, 5);
        long[][] data = new long[100][lanes];
        for (int j = 0; j < data.length; j++) {
            java.util.Arrays.fill(data[j], 0x0123456789ABCDEFL * (j + 1));
        }
        long[][] parity = new long[5][lanes];
        long[][] scratch = new long[5][lanes];
        long[] tmp = new long[lanes];
        for (int round = 0; round < 12; round++) {
            rs.encodeLanes(data, parity, scratch, tmp, lanes);
        }
    }

    /** How the parity loops run here: "Reed-Solomon GF(2^8), native" or why they are pure Java. */
    public static String implementation() {
        String why = NativeLanes.loadError();
        return why == null ? "Reed-Solomon GF(2^8), native (mmh-core C loops)"
                : "Reed-Solomon GF(2^8), pure Java (" + why + ")";
    }

    /** Largest section that {@link #encodeSequential} holds in memory. */
    public static final long MAX_BUFFERED_SECTION = 256L << 20;

    /**
     * As {@link #encode(SeekableByteChannel, long, RecoveryOptions, SeekableByteChannel, long)}, for an output
     * that cannot seek (a pipe): the section is built in memory and then written to {@code out} in one go.
     * Prefer a seekable output: this needs memory for the whole section.
     *
     * @param sectionOffset where the section will sit in the file that holds it (recorded in its header)
     * @throws dev.mmh.LimitExceededException if the section would exceed {@link #MAX_BUFFERED_SECTION}
     */
    public static RecoveryData encodeSequential(SeekableByteChannel source, long protectedLength,
            RecoveryOptions options, long sectionOffset, WritableByteChannel out) throws IOException {
        RecoveryParams p = RecoveryParams.plan(protectedLength, options.fraction());
        SectionBuffer buf = new SectionBuffer(sectionOffset, p.sectionLength(), MAX_BUFFERED_SECTION);
        RecoveryData rd = encode(source, p, options.sidecar(), options.threads(), buf, sectionOffset);
        buf.drainTo(out);
        return rd;
    }

    /**
     * Builds the recovery section for {@code source[0, p.protectedLength())} in memory, as it will sit at
     * {@code sectionOffset}, and returns its bytes. For writers that must put the whole section in place with as
     * few writes as possible (an in-place {@code protect}).
     *
     * @throws dev.mmh.LimitExceededException if the section would exceed {@link #MAX_BUFFERED_SECTION}
     */
    public static byte[] encodeToBytes(SeekableByteChannel source, RecoveryParams p, int threads,
            long sectionOffset) throws IOException {
        SectionBuffer buf = new SectionBuffer(sectionOffset, p.sectionLength(), MAX_BUFFERED_SECTION);
        encode(source, p, false, threads, buf, sectionOffset);
        return buf.bytes();
    }

    /** As above with the parameters already chosen (e.g. to rebuild a section exactly as it was). */
    public static RecoveryData encode(SeekableByteChannel source, RecoveryParams p, boolean sidecar, int threads,
            SeekableByteChannel out, long sectionOffset) throws IOException {
        if (sectionOffset < 0) {
            throw new IllegalArgumentException("section offset " + sectionOffset);
        }
        PositionalIo in = new PositionalIo(source);
        PositionalIo dst = new PositionalIo(out);
        ChecksumTable table = new ChecksumTable(p);
        long[] shardHash = new long[(int) p.dataShards()];
        Stripes st = new Stripes(p);
        ReedSolomon rs = p.dataShards() == 0 ? null : ReedSolomon.of(p.dataRows(), p.parityRows());
        long parityBase = sectionOffset + p.parityOffset();
        IndexedTasks.run(threads, st.tasks, new IndexedTasks.Body<Stripes.Scratch>() {
            @Override
            public Stripes.Scratch newScratch() {
                return st.new Scratch(p.parityRows(), p.parityRows());
            }

            @Override
            public void run(int task, Stripes.Scratch s) throws IOException {
                encodeRun(in, dst, st, rs, task, s, table, shardHash, parityBase);
            }
        });
        SectionHeader h = new SectionHeader(p, sectionOffset, sidecar,
                Digest.combine(p.protectedLength(), p.shardSize(), shardHash));
        for (int copy = 0; copy < 2; copy++) {
            table.write(dst, sectionOffset + p.tableOffset(copy));
            dst.write(sectionOffset + p.headerOffset(copy), ByteBuffer.wrap(h.encode(copy)));
        }
        return new RecoveryData(h, table, 2);
    }

    private static void encodeRun(PositionalIo in, PositionalIo dst, Stripes st, ReedSolomon rs, int task,
            Stripes.Scratch s, ChecksumTable table, long[] shardHash, long parityBase) throws IOException {
        RecoveryParams p = st.p;
        int size = p.shardSize();
        long g0 = st.first(task);
        long g1 = st.end(task);
        int runShards = (int) (g1 - g0);
        int lanes = runShards * size / 8;
        int m = p.parityRows();
        boolean started = false;
        for (int j = p.dataRows() - 1; j >= 0; j--) {
            int count = st.rowShards(g0, g1, j);
            if (count == 0) {
                started = rs.pushHorner(s.acc, m, null, started, lanes);
                continue;
            }
            int got = st.readDataRow(in, s, g0, g1, j);
            if (got < s.io.limit()) {
                throw new EOFException("source ends before the protected length " + p.protectedLength());
            }
            long firstShard = g0 + (long) j * p.codeWords();
            for (int i = 0; i < count; i++) {
                long shard = firstShard + i;
                int len = p.dataShardLength(shard);
                int crc = Stripes.crc(s, i * size, len);
                table.set(shard, crc);
                shardHash[(int) shard] = Digest.shard(crc, s.io, i * size, len, s.crc32);
            }
            Stripes.toLanes(s, got, s.row, lanes);
            started = rs.pushHorner(s.acc, m, s.row, started, lanes);
        }
        Lanes.applyMatrix(rs.encodeMatrix(), s.acc, s.out, s.tmp, lanes);
        for (int q = 0; q < m; q++) {
            Stripes.fromLanes(s, s.out[q], lanes);
            long firstParity = (long) q * p.codeWords() + g0;
            for (int i = 0; i < runShards; i++) {
                table.set(p.dataShards() + firstParity + i, Stripes.crc(s, i * size, size));
            }
            dst.write(parityBase + firstParity * size, s.io);
        }
    }
}
