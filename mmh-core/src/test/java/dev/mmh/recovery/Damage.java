package dev.mmh.recovery;

import java.util.Arrays;
import java.util.Random;

/**
 * Damage for tests, and an oracle that says from the changed bytes alone (using the layout of
 * docs/RECOVERY-FORMAT.md, recomputed here) whether the damage is within the recovery budget.
 */
final class Damage {
    private Damage() {}

    static void flipBits(byte[] b, int from, int to, int count, Random r) {
        for (int i = 0; i < count; i++) {
            b[from + r.nextInt(to - from)] ^= (byte) (1 << r.nextInt(8));
        }
    }

    static void zero(byte[] b, long from, long len) {
        Arrays.fill(b, (int) from, (int) Math.min(b.length, from + len), (byte) 0);
    }

    /** Verdict of the oracle. */
    enum Expect {
        /** Every code word and every piece of bookkeeping is within budget: must be repaired bit-exactly. */
        REPAIRABLE,
        /** Some code word lost more than m shards: must be reported as not repairable. */
        NOT_REPAIRABLE,
        /** Both copies of some table chunk were hit: repair may succeed or be refused, never be wrong. */
        EITHER
    }

    /**
     * Judges damage of a file holding [0, n) data followed (at {@code sectionAt}) by a section made with
     * {@code p}; {@code damaged} may be shorter (truncated) or longer than {@code original}.
     */
    static Expect judge(RecoveryParams p, byte[] original, byte[] damaged, long dataAt, long sectionAt,
            byte[] sectionOriginal, byte[] sectionDamaged) {
        long n = p.protectedLength();
        int s = p.shardSize();
        long d = (n + s - 1) / s;
        long g = p.codeWords();
        long par = g * p.parityRows();
        int ce = p.tableChunkEntries();
        long chunks = (d + par + ce - 1) / ce;
        long chunkLen = 4L * ce + 4;
        long tableLen = chunks * chunkLen;
        long h0 = sectionAt;
        long t0 = h0 + 128;
        long parity = t0 + tableLen;
        long t1 = parity + par * s;
        long h1 = t1 + tableLen;
        int[] erasures = new int[(int) g];
        for (long i = 0; i < d; i++) {
            if (changed(original, damaged, dataAt + i * s, Math.min(n, (i + 1) * s) - i * s)) {
                erasures[(int) (i % g)]++;
            }
        }
        for (long i = 0; i < par; i++) {
            if (changed(sectionOriginal, sectionDamaged, parity + i * s, s)) {
                erasures[(int) (i % g)]++;
            }
        }
        for (int e : erasures) {
            if (e > p.parityRows()) {
                return Expect.NOT_REPAIRABLE;
            }
        }
        if (changed(sectionOriginal, sectionDamaged, h0, 128) && changed(sectionOriginal, sectionDamaged, h1, 128)) {
            return Expect.NOT_REPAIRABLE;
        }
        for (long c = 0; c < chunks; c++) {
            if (changed(sectionOriginal, sectionDamaged, t0 + c * chunkLen, chunkLen)
                    && changed(sectionOriginal, sectionDamaged, t1 + c * chunkLen, chunkLen)) {
                return Expect.EITHER;
            }
        }
        return Expect.REPAIRABLE;
    }

    private static boolean changed(byte[] a, byte[] b, long from, long len) {
        if (from + len > b.length) {
            return true;
        }
        return !Arrays.equals(a, (int) from, (int) (from + len), b, (int) from, (int) (from + len));
    }
}
