package dev.mmh.recovery;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.work.IndexedTasks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Finds damage in a protected range with the recovery data ({@link #scan}) and rebuilds it ({@link #repair}).
 *
 * <p>For a section inside an archive, {@code data} and {@code section} are the same channel; for a sidecar,
 * {@code data} is the protected file and {@code section} the {@code .mmhr} file. Channels are not closed; on a
 * non-{@link java.nio.channels.FileChannel} their positions change. Stateless; the methods are thread-safe on
 * distinct channels and use {@code threads} workers of their own. Memory is bounded as for
 * {@link RecoveryEncoder}, plus one flag per shard.
 */
public final class Repairer {
    private static final int SCAN_BYTES = 1 << 20;

    private Repairer() {}

    /** What {@link #repair} did. */
    public record Result(DamageReport report, long repairedShards, long repairedBytes) {}

    /**
     * Checks every data and parity shard against its CRC32C and judges each code word. When no shard is
     * damaged, the digest of the range is checked as well.
     */
    public static DamageReport scan(SeekableByteChannel data, SeekableByteChannel section, RecoveryData rd,
            int threads) throws IOException {
        RecoveryParams p = rd.params();
        PositionalIo in = new PositionalIo(data);
        PositionalIo sec = new PositionalIo(section);
        long fileLength = in.size();
        int d = (int) p.dataShards();
        int pc = (int) p.parityShards();
        boolean[] dataBad = new boolean[d];
        boolean[] parityBad = new boolean[pc];
        long[] hash = new long[d];
        int per = Math.max(1, SCAN_BYTES / p.shardSize());
        int dataTasks = (int) RecoveryParams.ceilDiv(d, per);
        int parityTasks = (int) RecoveryParams.ceilDiv(pc, per);
        ChecksumTable table = rd.table();
        long parityBase = rd.sectionOffset() + p.parityOffset();
        IndexedTasks.run(threads, dataTasks + parityTasks, new ChunkJob(per * p.shardSize()) {
            @Override
            public void run(int t, Chunk c) throws IOException {
                if (t < dataTasks) {
                    checkData(c, in, table, p, (long) t * per, Math.min(d, (long) t * per + per), dataBad, hash);
                } else {
                    long first = (long) (t - dataTasks) * per;
                    checkParity(c, sec, table, p, parityBase, first, Math.min(pc, first + per), parityBad);
                }
            }
        });
        return judge(rd, fileLength, dataBad, parityBad, hash);
    }

    /** Marks the damaged data shards of [a, b) and records the digest contribution of the others. */
    private static void checkData(Chunk c, PositionalIo in, ChecksumTable table, RecoveryParams p, long a, long b,
            boolean[] bad, long[] hash) throws IOException {
        int got = c.read(in, a * p.shardSize(), Math.min(p.protectedLength(), b * p.shardSize()));
        for (long i = a; i < b; i++) {
            int off = (int) ((i - a) * p.shardSize());
            int len = p.dataShardLength(i);
            int crc = off + len > got ? 0 : c.crc(off, len);
            if (off + len > got || !table.matches(i, crc)) {
                bad[(int) i] = true;
            } else {
                hash[(int) i] = Digest.shard(crc, c.buf, off, len, c.crc32);
            }
        }
    }

    /** Marks the damaged parity shards of [a, b). */
    private static void checkParity(Chunk c, PositionalIo sec, ChecksumTable table, RecoveryParams p,
            long parityBase, long a, long b, boolean[] bad) throws IOException {
        int got = c.read(sec, parityBase + a * p.shardSize(), parityBase + b * p.shardSize());
        for (long i = a; i < b; i++) {
            int off = (int) ((i - a) * p.shardSize());
            if (off + p.shardSize() > got || !table.matches(p.dataShards() + i, c.crc(off, p.shardSize()))) {
                bad[(int) i] = true;
            }
        }
    }

    private static DamageReport judge(RecoveryData rd, long fileLength, boolean[] dataBad, boolean[] parityBad,
            long[] hash) {
        RecoveryParams p = rd.params();
        long g = p.codeWords();
        int[] erasures = new int[(int) g];
        boolean anyData = false;
        for (int i = 0; i < dataBad.length; i++) {
            if (dataBad[i]) {
                erasures[(int) (i % g)]++;
                anyData = true;
            }
        }
        for (int i = 0; i < parityBad.length; i++) {
            if (parityBad[i]) {
                erasures[(int) (i % g)]++;
            }
        }
        long damagedWords = 0;
        long badWords = 0;
        for (int e : erasures) {
            damagedWords += e > 0 ? 1 : 0;
            badWords += e > p.parityRows() ? 1 : 0;
        }
        List<DamageReport.Range> ranges = new ArrayList<>();
        long damaged = 0;
        long repairable = 0;
        long runStart = -1;
        boolean runOk = false;
        for (int i = 0; i <= dataBad.length; i++) {
            boolean bad = i < dataBad.length && dataBad[i];
            boolean ok = bad && erasures[(int) (i % g)] <= p.parityRows();
            if (runStart >= 0 && (!bad || ok != runOk)) {
                long from = runStart * p.shardSize();
                long to = Math.min(p.protectedLength(), (long) i * p.shardSize());
                ranges.add(new DamageReport.Range(from, to - from, runOk));
                runStart = -1;
            }
            if (bad) {
                int len = p.dataShardLength(i);
                damaged += len;
                repairable += ok ? len : 0;
                if (runStart < 0) {
                    runStart = i;
                    runOk = ok;
                }
            }
        }
        boolean digestMismatch = !anyData
                && Digest.combine(p.protectedLength(), p.shardSize(), hash) != rd.digest();
        return new DamageReport(rd, fileLength, dataBad, parityBad, hash, damagedWords, badWords, damaged,
                repairable, ranges, digestMismatch);
    }

    /**
     * Receives rebuilt data shards. Called from several workers at once, so it must be thread-safe.
     */
    public interface ShardSink {
        /**
         * @param offset where the shard starts in the protected range
         * @param bytes the shard's rebuilt bytes, from position to limit; valid only during the call
         */
        void accept(long offset, ByteBuffer bytes) throws IOException;
    }

    /**
     * Writes the repaired protected range [0, N) into {@code out} at positions 0 .. N-1, then checks its
     * digest. Nothing is written when the report says the damage is beyond repair. The recovery section is not
     * written: rebuild it with {@link RecoveryEncoder#encode(SeekableByteChannel, RecoveryParams, boolean, int,
     * SeekableByteChannel, long)} from the repaired bytes if it was damaged.
     *
     * <p>Write {@code out} to a temporary file and keep it only if this returns normally: on a failure after
     * writing began (the data changed since the scan, or the digest disagrees) the output is incomplete.
     *
     * @param report a scan of the same {@code data} with the same {@code rd}
     * @throws UnrepairableException if the report is {@link DamageReport.Status#NOT_REPAIRABLE}
     * @throws ChecksumMismatchException if the repaired range does not have the recorded digest
     */
    public static Result repair(SeekableByteChannel data, SeekableByteChannel section, RecoveryData rd,
            DamageReport report, SeekableByteChannel out, int threads) throws IOException {
        checkRepairable(rd, report);
        PositionalIo in = new PositionalIo(data);
        PositionalIo dst = new PositionalIo(out);
        copyIntact(in, dst, rd, report, threads);
        return rebuild(data, section, rd, report, threads, new ShardSink() {
            @Override
            public void accept(long offset, ByteBuffer bytes) throws IOException {
                dst.write(offset, bytes);
            }
        });
    }

    /**
     * Rebuilds only the damaged data shards and hands them to {@code sink} (for instance to patch a read of the
     * damaged file in memory), then checks the digest of the whole range as it would be after patching.
     *
     * <p>On an exception after shards were handed out (the digest disagrees), discard what the sink received.
     *
     * @return what was rebuilt
     * @throws UnrepairableException if the report is {@link DamageReport.Status#NOT_REPAIRABLE} (nothing handed
     *     out)
     * @throws ChecksumMismatchException if the repaired range does not have the recorded digest
     */
    public static Result rebuild(SeekableByteChannel data, SeekableByteChannel section, RecoveryData rd,
            DamageReport report, int threads, ShardSink sink) throws IOException {
        checkRepairable(rd, report);
        RecoveryParams p = rd.params();
        PositionalIo in = new PositionalIo(data);
        long[] hash = report.shardHash.clone();
        Stripes st = new Stripes(p);
        List<Integer> runs = new ArrayList<>();
        long repairedShards = 0;
        long repairedBytes = 0;
        for (int t = 0; t < st.tasks; t++) {
            if (hasDataDamage(report, st.first(t), st.end(t))) {
                runs.add(t);
            }
        }
        for (int i = 0; i < report.dataBad.length; i++) {
            if (report.dataBad[i]) {
                repairedShards++;
                repairedBytes += p.dataShardLength(i);
            }
        }
        if (!runs.isEmpty()) {
            ReedSolomon rs = ReedSolomon.of(p.dataRows(), p.parityRows());
            PositionalIo sec = new PositionalIo(section);
            IndexedTasks.run(threads, runs.size(), new IndexedTasks.Body<DecodeScratch>() {
                @Override
                public DecodeScratch newScratch() {
                    return new DecodeScratch(st);
                }

                @Override
                public void run(int i, DecodeScratch s) throws IOException {
                    decodeRun(in, sec, sink, rd, report, st, rs, runs.get(i), s, hash);
                }
            });
        }
        long digest = Digest.combine(p.protectedLength(), p.shardSize(), hash);
        if (digest != rd.digest()) {
            throw new ChecksumMismatchException("digest of the repaired data", Long.toHexString(rd.digest()),
                    Long.toHexString(digest), -1, -1);
        }
        return new Result(report, repairedShards, repairedBytes);
    }

    private static void checkRepairable(RecoveryData rd, DamageReport report) throws UnrepairableException {
        if (report.source != rd) {
            throw new IllegalArgumentException("the report was not made with this recovery data");
        }
        if (!report.repairable()) {
            throw new UnrepairableException(report);
        }
    }

    private static boolean hasDataDamage(DamageReport r, long g0, long g1) {
        RecoveryParams p = r.params();
        for (int j = 0; j < p.dataRows(); j++) {
            long base = (long) j * p.codeWords();
            for (long g = g0; g < g1 && base + g < p.dataShards(); g++) {
                if (r.dataBad[(int) (base + g)]) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Copies the intact shards to the output, checking each one's CRC again on the way. */
    private static void copyIntact(PositionalIo in, PositionalIo dst, RecoveryData rd, DamageReport report,
            int threads) throws IOException {
        RecoveryParams p = rd.params();
        int per = Math.max(1, SCAN_BYTES / p.shardSize());
        int tasks = (int) RecoveryParams.ceilDiv(p.dataShards(), per);
        IndexedTasks.run(threads, tasks, new ChunkJob(per * p.shardSize()) {
            @Override
            public void run(int t, Chunk c) throws IOException {
                copyShards(c, in, dst, rd, report, (long) t * per, Math.min(p.dataShards(), (long) t * per + per));
            }
        });
    }

    private static void copyShards(Chunk c, PositionalIo in, PositionalIo dst, RecoveryData rd, DamageReport report,
            long a, long b) throws IOException {
        RecoveryParams p = rd.params();
        long end = Math.min(p.protectedLength(), b * p.shardSize());
        int want = (int) (end - a * p.shardSize());
        int got = c.read(in, a * p.shardSize(), end);
        for (long i = a; i < b; i++) {
            int off = (int) ((i - a) * p.shardSize());
            int len = p.dataShardLength(i);
            if (report.dataBad[(int) i]) {
                c.zero(off, len);
            } else if (off + len > got || !rd.table().matches(i, c.crc(off, len))) {
                throw new CorruptDataException("data changed since the scan", i * p.shardSize(), -1);
            }
        }
        c.buf.clear().limit(want);
        dst.write(a * p.shardSize(), c.buf);
    }

    private static void decodeRun(PositionalIo in, PositionalIo sec, ShardSink sink, RecoveryData rd,
            DamageReport report, Stripes st, ReedSolomon rs, int task, DecodeScratch ds, long[] hash)
            throws IOException {
        RecoveryParams p = st.p;
        Stripes.Scratch s = ds.s;
        int size = p.shardSize();
        int sl = size / 8;
        long g0 = st.first(task);
        long g1 = st.end(task);
        int run = (int) (g1 - g0);
        int lanes = run * sl;
        int k = p.dataRows();
        int m = p.parityRows();
        long g = p.codeWords();
        int[][] erased = new int[run][];
        int tmax = 0;
        for (int r = 0; r < run; r++) {
            erased[r] = erasedPositions(report, g0 + r);
            tmax = Math.max(tmax, erased[r].length);
        }
        long parityBase = rd.sectionOffset() + p.parityOffset();
        boolean started = false;
        for (int pos = k + m - 1; pos >= 0; pos--) {
            long[] row = s.row;
            if (pos >= k) {
                long first = (long) (pos - k) * g + g0;
                s.io.clear().limit(run * size);
                int got = sec.read(parityBase + first * size, s.io);
                Stripes.toLanes(s, got, row, lanes);
                for (int r = 0; r < run; r++) {
                    if (report.parityBad[(int) (first + r)]) {
                        Arrays.fill(row, r * sl, (r + 1) * sl, 0L);
                    }
                }
            } else if (st.rowShards(g0, g1, pos) == 0) {
                row = null;
            } else {
                int got = st.readDataRow(in, s, g0, g1, pos);
                Stripes.toLanes(s, got, row, lanes);
                long first = g0 + (long) pos * g;
                for (int r = 0; r < st.rowShards(g0, g1, pos); r++) {
                    if (report.dataBad[(int) (first + r)]) {
                        Arrays.fill(row, r * sl, (r + 1) * sl, 0L);
                    }
                }
            }
            started = rs.pushHorner(s.acc, tmax, row, started, lanes);
        }
        for (int r = 0; r < run; r++) {
            int[] e = erased[r];
            if (e.length == 0 || e[0] >= k) {
                continue;
            }
            int t = e.length;
            for (int i = 0; i < t; i++) {
                System.arraycopy(s.acc[i], r * sl, ds.in[i], 0, sl);
            }
            Lanes.applyMatrix(rs.solver(e), Arrays.copyOf(ds.in, t), Arrays.copyOf(ds.out, t), ds.tmp, sl);
            for (int c = 0; c < t && e[c] < k; c++) {
                writeRebuilt(sink, rd, ds, g0 + r + (long) e[c] * g, ds.out[c], hash);
            }
        }
    }

    private static void writeRebuilt(ShardSink sink, RecoveryData rd, DecodeScratch ds, long shard, long[] lanes,
            long[] hash) throws IOException {
        RecoveryParams p = rd.params();
        int len = p.dataShardLength(shard);
        ds.shard.clear();
        ds.shard.asLongBuffer().put(lanes, 0, p.shardSize() / 8);
        ds.shard.limit(len);
        int crc = Digest.checksum(ds.crc, ds.shard, 0, len);
        ChecksumTable table = rd.table();
        if (!table.matches(shard, crc) && table.verified(shard)) {
            throw new CorruptDataException("rebuilt shard fails its checksum", shard * p.shardSize(), -1);
        }
        hash[(int) shard] = Digest.shard(crc, ds.shard, 0, len, ds.crc32);
        sink.accept(shard * p.shardSize(), ds.shard);
    }

    /** Code positions of code word g that are damaged, ascending: data rows first, then parity. */
    private static int[] erasedPositions(DamageReport r, long g) {
        RecoveryParams p = r.params();
        long gs = p.codeWords();
        int[] out = new int[p.dataRows() + p.parityRows()];
        int n = 0;
        for (int j = 0; j < p.dataRows(); j++) {
            long i = g + j * gs;
            if (i < p.dataShards() && r.dataBad[(int) i]) {
                out[n++] = j;
            }
        }
        for (int q = 0; q < p.parityRows(); q++) {
            if (r.parityBad[(int) (q * gs + g)]) {
                out[n++] = p.dataRows() + q;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** A job whose workers each hold one {@link Chunk}. */
    private abstract static class ChunkJob implements IndexedTasks.Body<Chunk> {
        private final int bytes;

        ChunkJob(int bytes) {
            this.bytes = bytes;
        }

        @Override
        public Chunk newScratch() {
            return new Chunk(bytes);
        }
    }

    /** A worker's buffer for whole-shard reads. */
    private static final class Chunk {
        final ByteBuffer buf;
        final CRC32C crc = new CRC32C();
        final CRC32 crc32 = new CRC32();

        Chunk(int bytes) {
            buf = ByteBuffer.allocateDirect(bytes);
        }

        /** Reads [from, to) into the buffer from 0; returns the bytes read (fewer at end of file). */
        int read(PositionalIo io, long from, long to) throws IOException {
            buf.clear().limit((int) (to - from));
            return io.read(from, buf);
        }

        int crc(int off, int len) {
            return Digest.checksum(crc, buf, off, len);
        }

        void zero(int off, int len) {
            for (int i = off; i < off + len; i++) {
                buf.put(i, (byte) 0);
            }
        }
    }

    /** A worker's buffers for rebuilding code words. */
    private static final class DecodeScratch {
        final Stripes.Scratch s;
        final long[][] in;
        final long[][] out;
        final long[] tmp;
        final ByteBuffer shard;
        final CRC32C crc = new CRC32C();
        final CRC32 crc32 = new CRC32();

        DecodeScratch(Stripes st) {
            int m = st.p.parityRows();
            int sl = st.p.shardSize() / 8;
            s = st.new Scratch(m, 0);
            in = new long[m][sl];
            out = new long[m][sl];
            tmp = new long[sl];
            shard = ByteBuffer.allocateDirect(st.p.shardSize()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
