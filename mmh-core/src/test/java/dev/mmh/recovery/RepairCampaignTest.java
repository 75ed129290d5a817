package dev.mmh.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mmh.MmhException;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded campaigns of random damage on data protected in place (section after the data, as in an archive).
 * The oracle ({@link Damage#judge}) decides from the changed bytes whether the damage is within budget; within
 * it, repair must be bit-exact, beyond it, it must be refused, and it must never produce wrong bytes.
 */
class RepairCampaignTest {

    record Protected(byte[] data, byte[] file, RecoveryParams params) {}

    static byte[] sampleData(int n, Random r) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        // some all-zero and repetitive stretches, as real archives have
        for (int i = 0; i + 4096 < n; i += 50_000) {
            Arrays.fill(b, i, i + 1 + r.nextInt(4096), (byte) (i % 3 == 0 ? 0 : 0x55));
        }
        return b;
    }

    static Protected protect(byte[] data, double fraction, int threads) throws IOException {
        MemoryChannel ch = new MemoryChannel(data);
        RecoveryData rd = RecoveryEncoder.encode(ch, data.length, RecoveryOptions.of(fraction).withThreads(threads),
                ch, data.length);
        byte[] file = ch.toByteArray();
        assertEquals(data.length + rd.sectionLength(), file.length);
        return new Protected(data, file, rd.params());
    }

    enum Outcome { REPAIRED, REFUSED }

    /** Tries to repair an embedded-section file; returns the repaired data, or null if refused. */
    static byte[] attempt(byte[] damaged, long hint, int threads) {
        try {
            MemoryChannel ch = new MemoryChannel(damaged);
            RecoveryData rd = RecoveryData.read(ch, hint);
            DamageReport report = Repairer.scan(ch, ch, rd, threads);
            if (!report.repairable()) {
                return null;
            }
            MemoryChannel out = new MemoryChannel();
            Repairer.repair(ch, ch, rd, report, out, threads);
            return out.toByteArray();
        } catch (MmhException e) {
            return null;
        } catch (IOException e) {
            throw new AssertionError("non-mmh failure", e);
        }
    }

    /** Applies the oracle to one damaged file and checks the outcome; returns it. */
    static Outcome check(Protected pr, byte[] damaged, long hint, int threads, String what) {
        Damage.Expect expect = Damage.judge(pr.params(), pr.file(), damaged, 0, pr.data().length, pr.file(),
                damaged);
        byte[] out = attempt(damaged, hint, threads);
        if (out != null) {
            assertArrayEquals(pr.data(), out, "wrong output after " + what);
        }
        if (expect == Damage.Expect.REPAIRABLE && out == null) {
            fail("refused damage within budget: " + what);
        }
        if (expect == Damage.Expect.NOT_REPAIRABLE) {
            assertNull(out, "claimed repair of damage beyond budget: " + what);
        }
        return out == null ? Outcome.REFUSED : Outcome.REPAIRED;
    }

    @ParameterizedTest(name = "n={0} recovery={1}")
    @CsvSource({"1000, 0.05", "65537, 0.01", "65537, 0.05", "300000, 0.10", "1000000, 0.01", "1000000, 0.05",
        "1000000, 0.10"})
    void randomFlipsAndBurstsAreRepairedWithinBudgetAndRefusedBeyond(int n, double fraction) throws IOException {
        Random r = new Random(n * 31L + (long) (fraction * 1000));
        Protected pr = protect(sampleData(n, r), fraction, 2);
        Map<Outcome, Integer> seen = new EnumMap<>(Outcome.class);
        for (int trial = 0; trial < 60; trial++) {
            byte[] d = pr.file().clone();
            String what;
            switch (trial % 4) {
                case 0 -> {
                    int flips = new int[] {1, 3, 10, 30, 100, 1000}[r.nextInt(6)];
                    Damage.flipBits(d, 0, d.length, flips, r);
                    what = flips + " bit flips";
                }
                case 1 -> {
                    double share = new double[] {0.001, 0.005, 0.01, 0.02, 0.04, 0.08, 0.2}[r.nextInt(7)];
                    long len = Math.max(1, (long) (d.length * share));
                    long at = (long) (r.nextDouble() * (d.length - len));
                    Damage.zero(d, at, len);
                    what = "zeroed " + len + " bytes at " + at;
                }
                case 2 -> {
                    int shards = 1 + r.nextInt(3 * pr.params().parityRows());
                    for (int i = 0; i < shards; i++) {
                        long shard = r.nextInt((int) pr.params().dataShards());
                        Damage.zero(d, shard * pr.params().shardSize(), pr.params().shardSize());
                        d[(int) (shard * pr.params().shardSize())] = 1;
                    }
                    what = shards + " lost shards";
                }
                default -> {
                    Damage.flipBits(d, n, d.length, 1 + r.nextInt(20), r);
                    long len = 1 + r.nextInt(Math.max(1, (d.length - n) / 8));
                    Damage.zero(d, n + (long) (r.nextDouble() * (d.length - n - len)), len);
                    what = "damage to the recovery section";
                }
            }
            seen.merge(check(pr, d, trial % 2 == 0 ? n : -1, 1 + trial % 2, what), 1, Integer::sum);
        }
        assertTrue(seen.getOrDefault(Outcome.REPAIRED, 0) > 10, "too few repairs exercised: " + seen);
    }

    @ParameterizedTest(name = "n={0}")
    @CsvSource({"2000", "100000", "1000000"})
    void headerAndTableCopiesSurviveDamageToEitherCopy(int n) throws IOException {
        Random r = new Random(n);
        Protected pr = protect(sampleData(n, r), 0.05, 1);
        RecoveryParams p = pr.params();
        long tableLen = RecoveryParams.ceilDiv(p.dataShards() + p.parityShards(), p.tableChunkEntries())
                * (4L * p.tableChunkEntries() + 4);
        long h0 = n;
        long t0 = h0 + 128;
        long t1 = t0 + tableLen + p.parityShards() * p.shardSize();
        long h1 = t1 + tableLen;
        long[][] regions = {{h0, 128}, {t0, tableLen}, {t1, tableLen}, {h1, 128}, {h0, 128 + tableLen},
            {t1, tableLen + 128}};
        for (long[] reg : regions) {
            byte[] d = pr.file().clone();
            Damage.zero(d, reg[0], reg[1]);
            assertEquals(Outcome.REPAIRED, check(pr, d, -1, 2, "zeroed " + Arrays.toString(reg)));
            byte[] f = pr.file().clone();
            Damage.flipBits(f, (int) reg[0], (int) (reg[0] + reg[1]), 5, r);
            assertEquals(Outcome.REPAIRED, check(pr, f, n, 2, "flipped in " + Arrays.toString(reg)));
        }
        byte[] both = pr.file().clone();
        both[(int) h0 + 30] ^= 4;
        both[(int) h1 + 30] ^= 4;
        assertEquals(Outcome.REFUSED, check(pr, both, n, 2, "both header copies"));
    }

    @ParameterizedTest(name = "n={0}")
    @CsvSource({"5000", "200000", "1000000"})
    void truncationAndAppendedGarbageOfTheWholeFile(int n) throws IOException {
        Random r = new Random(n + 7);
        Protected pr = protect(sampleData(n, r), 0.05, 2);
        for (int cut : new int[] {1, 100, 128, 129, 5000}) {
            if (cut < pr.file().length) {
                byte[] d = Arrays.copyOf(pr.file(), pr.file().length - cut);
                check(pr, d, -1, 2, "cut " + cut);
            }
        }
        byte[] cutToData = Arrays.copyOf(pr.file(), n);
        assertEquals(Outcome.REFUSED, check(pr, cutToData, -1, 2, "section cut off"));
        byte[] g = Arrays.copyOf(pr.file(), pr.file().length + 10_000);
        Damage.flipBits(g, pr.file().length, g.length, 40_000, r);
        assertEquals(Outcome.REPAIRED, check(pr, g, -1, 2, "appended garbage"));
    }

    @ParameterizedTest(name = "recovery={0}")
    @CsvSource({"0.01", "0.05", "0.10"})
    void repairedDataRebuildsTheIdenticalSection(double fraction) throws IOException {
        Random r = new Random(99);
        Protected pr = protect(sampleData(400_000, r), fraction, 2);
        byte[] d = pr.file().clone();
        Damage.zero(d, 1000, 2500);
        Damage.zero(d, 400_000 + 200, 3000);
        MemoryChannel ch = new MemoryChannel(d);
        RecoveryData rd = RecoveryData.read(ch, -1);
        DamageReport report = Repairer.scan(ch, ch, rd, 2);
        assertEquals(DamageReport.Status.REPAIRABLE, report.status());
        assertTrue(report.sectionDamaged());
        MemoryChannel out = new MemoryChannel();
        Repairer.repair(ch, ch, rd, report, out, 2);
        RecoveryEncoder.encode(out, rd.params(), false, 1, out, 400_000);
        assertArrayEquals(pr.file(), out.toByteArray());
    }

    @ParameterizedTest(name = "threads={0}")
    @CsvSource({"1", "2", "3", "8"})
    void sectionBytesDoNotDependOnThreadCount(int threads) throws IOException {
        byte[] data = sampleData(700_001, new Random(5));
        Protected one = protect(data, 0.05, 1);
        Protected many = protect(data, 0.05, threads);
        assertArrayEquals(one.file(), many.file());
        byte[] other = data.clone();
        other[12345] ^= 1;
        assertNotEquals(Arrays.hashCode(one.file()), Arrays.hashCode(protect(other, 0.05, threads).file()));
    }

    @ParameterizedTest(name = "n={0}")
    @CsvSource({"3000", "20000", "65537"})
    void thousandsOfSmallTrials(int n) throws IOException {
        Random r = new Random(n ^ 0x5EED);
        Protected pr = protect(sampleData(n, r), 0.05, 1);
        Map<Outcome, Integer> seen = new EnumMap<>(Outcome.class);
        for (int trial = 0; trial < 700; trial++) {
            byte[] d = pr.file().clone();
            if (r.nextBoolean()) {
                Damage.flipBits(d, 0, d.length, 1 + r.nextInt(12), r);
            } else {
                long len = 1 + r.nextInt(Math.max(1, d.length / 12));
                Damage.zero(d, (long) (r.nextDouble() * (d.length - len)), len);
            }
            seen.merge(check(pr, d, r.nextBoolean() ? n : -1, 1, "trial " + trial), 1, Integer::sum);
        }
        assertTrue(seen.getOrDefault(Outcome.REPAIRED, 0) > 100 && seen.getOrDefault(Outcome.REFUSED, 0) > 10,
                "both sides of the budget must be exercised: " + seen);
    }

    @org.junit.jupiter.api.Test
    void tableChunkDamagedInBothCopiesFallsBackToEitherEntry() throws IOException {
        Protected pr = protect(sampleData(100_000, new Random(12)), 0.05, 1);
        RecoveryParams p = pr.params();
        int n = 100_000;
        long tableLen = RecoveryParams.ceilDiv(p.dataShards() + p.parityShards(), p.tableChunkEntries())
                * (4L * p.tableChunkEntries() + 4);
        int t0 = n + 128;
        int t1 = (int) (t0 + tableLen + p.parityShards() * p.shardSize());
        byte[] d = pr.file().clone();
        // entries 0..1 broken in copy 0, entries 2..3 in copy 1: every entry survives in one copy
        Arrays.fill(d, t0, t0 + 8, (byte) 0);
        Arrays.fill(d, t1 + 8, t1 + 16, (byte) 0);
        d[3 * p.shardSize() + 5] ^= 0x20;
        d[0] ^= 0x01;
        MemoryChannel ch = new MemoryChannel(d);
        RecoveryData rd = RecoveryData.read(ch, n);
        assertEquals(1, rd.unverifiedTableChunks());
        DamageReport report = Repairer.scan(ch, ch, rd, 1);
        assertEquals(2, report.damagedDataShards(), report.summary());
        assertTrue(report.sectionDamaged());
        MemoryChannel out = new MemoryChannel();
        Repairer.repair(ch, ch, rd, report, out, 1);
        assertArrayEquals(pr.data(), out.toByteArray());
    }

    @org.junit.jupiter.api.Test
    void rebuildHandsOutOnlyTheDamagedShardsForPatchingInMemory() throws IOException {
        int n = 300_000;
        Protected pr = protect(sampleData(n, new Random(21)), 0.05, 2);
        byte[] d = pr.file().clone();
        Damage.zero(d, 10_000, 3_000);
        d[200_000] ^= 0x08;
        MemoryChannel ch = new MemoryChannel(d);
        RecoveryData rd = RecoveryData.read(ch, n);
        DamageReport report = Repairer.scan(ch, ch, rd, 2);
        byte[] patched = Arrays.copyOf(d, n);
        java.util.concurrent.atomic.AtomicLong handed = new java.util.concurrent.atomic.AtomicLong();
        Repairer.Result result = Repairer.rebuild(ch, ch, rd, report, 2, new Repairer.ShardSink() {
            @Override
            public void accept(long offset, java.nio.ByteBuffer bytes) {
                handed.addAndGet(bytes.remaining());
                bytes.get(patched, (int) offset, bytes.remaining());
            }
        });
        assertArrayEquals(pr.data(), patched);
        assertEquals(report.damagedBytes(), handed.get());
        assertEquals(report.damagedDataShards(), result.repairedShards());
        assertTrue(handed.get() < 6 * pr.params().shardSize() + 3_000, "handed out more than the damage: " + handed);
    }

    /**
     * The archive's shape: the section inside a 16-byte envelope header and a 4-byte CRC after the protected
     * bytes, then an index and a footer. With the footer gone the section is still found from the end.
     */
    @org.junit.jupiter.api.Test
    void sectionInsideAnEnvelopeFollowedByIndexAndFooter() throws IOException {
        int n = 400_000;
        byte[] data = sampleData(n, new Random(31));
        MemoryChannel ch = new MemoryChannel(data);
        RecoveryData rd = RecoveryEncoder.encode(ch, n, RecoveryOptions.of(0.05).withThreads(2), ch, n + 16);
        long end = n + 16 + rd.sectionLength();
        byte[] file = Arrays.copyOf(ch.toByteArray(), (int) end + 4 + 3000 + 64);
        byte[] envelope = {'M', 'M', 'H', 'R', 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};
        System.arraycopy(envelope, 0, file, n, 16);
        for (int i = (int) end; i < file.length; i++) {
            file[i] = (byte) (i * 7);
        }
        Arrays.fill(file, file.length - 4096, file.length, (byte) 0);
        Damage.zero(file, 123_456, 4_000);
        file[300_000] ^= 0x40;
        MemoryChannel dmg = new MemoryChannel(file);
        RecoveryData found = RecoveryData.read(dmg, -1);
        assertEquals(n + 16, found.sectionOffset());
        assertEquals(1, found.intactHeaderCopies(), "the zeroed last 4 KiB reach into the section's last header");
        DamageReport report = Repairer.scan(dmg, dmg, found, 2);
        assertEquals(DamageReport.Status.REPAIRABLE, report.status());
        MemoryChannel out = new MemoryChannel();
        Repairer.repair(dmg, dmg, found, report, out, 2);
        assertArrayEquals(data, out.toByteArray());
        assertEquals(found.sectionOffset(), RecoveryData.read(dmg, n + 16).sectionOffset());
    }
}
