package dev.mmh.codec.bwt;

/**
 * Burrows-Wheeler transform of one chunk (at most {@link #MAX_CHUNK} bytes) and its inverse.
 *
 * <p>The transform sorts the suffixes of {@code s + $} (a virtual sentinel smaller than every byte) and emits the
 * byte before each suffix, skipping the sentinel's row, whose index is the primary index. It also records the row
 * of the suffixes starting at every {@code step}-th position, so the inverse can follow several independent
 * chains at once: each chain is a pointer chase through a table larger than the caches, and interleaving them
 * lets the memory system serve several misses in parallel.
 */
final class Bwt {
    /** Largest chunk: row indices and a byte share one int in the inverse table. */
    static final int MAX_CHUNK = (1 << 24) - 1;

    /** Chains the compressor records for chunks of 64 KiB and more; the inverse has a fast path for them. */
    static final int CHAINS = 16;

    private int[] text = new int[0];
    private int[] sa = new int[0];

    /**
     * Transforms {@code src[off, off+n)} into {@code dst[dstOff, dstOff+n)}.
     *
     * @param rows receives, for {@code k = 1 .. rows.length}, the row of the suffix starting at {@code k * step}
     *     (positions at or past {@code n} are not recorded)
     * @return the primary index (row of the whole string, 0..n)
     */
    int forward(byte[] src, int off, int n, byte[] dst, int dstOff, int step, int[] rows) {
        if (text.length < n + 1) {
            text = new int[n + 1];
            sa = new int[n + 1];
        }
        for (int i = 0; i < n; i++) {
            text[i] = (src[off + i] & 0xFF) + 1;
        }
        text[n] = 0;
        SuffixArray.sais(text, 0, sa, 0, n + 1, 257);
        int primary = -1;
        int o = dstOff;
        for (int i = 0; i <= n; i++) {
            int p = sa[i];
            if (p == 0) {
                primary = i;
                continue;
            }
            dst[o++] = src[off + p - 1];
            if (p % step == 0) {
                int k = p / step;
                if (k >= 1 && k <= rows.length) {
                    rows[k - 1] = i;
                }
            }
        }
        return primary;
    }

    /** Releases the suffix-sorting buffers (they grow to the largest chunk seen). */
    void trim() {
        text = new int[0];
        sa = new int[0];
    }

    /**
     * Inverts {@link #forward}: {@code bwt[0, n)} with {@code primary} and the chain rows back into
     * {@code dst[dstOff, dstOff+n)}. The caller has checked {@code primary} and all rows to lie in [0, n].
     */
    static void inverse(byte[] bwt, int bOff, int n, int primary, int step, int[] rows, byte[] dst, int dstOff,
            int[] table) {
        int[] count = new int[256];
        for (int i = 0; i < n; i++) {
            count[bwt[bOff + i] & 0xFF]++;
        }
        inverse(bwt, bOff, n, primary, step, rows, dst, dstOff, table, count);
    }

    /** As above, with {@code count[c]} the number of bytes {@code c} in {@code bwt[bOff, bOff+n)}. */
    static void inverse(byte[] bwt, int bOff, int n, int primary, int step, int[] rows, byte[] dst, int dstOff,
            int[] table, int[] count) {
        int[] next = new int[256];
        int sum = 1; // row 0 is the sentinel's suffix
        for (int c = 0; c < 256; c++) {
            next[c] = sum;
            sum += count[c];
        }
        // row i of the full matrix holds bwt[i] for i < primary and bwt[i - 1] after it
        for (int i = 0, row = 0; i < n; i++, row++) {
            if (row == primary) {
                table[row++] = 0;
            }
            int c = bwt[bOff + i] & 0xFF;
            table[row] = (next[c]++ << 8) | c;
        }
        if (primary == n) {
            table[n] = 0;
        }
        int chains = rows.length + 1;
        int[] cur = new int[chains];
        int[] pos = new int[chains];
        int[] stop = new int[chains];
        for (int k = 0; k < chains; k++) {
            int end = k == chains - 1 ? n : (k + 1) * step;
            cur[k] = k == chains - 1 ? 0 : rows[k];
            pos[k] = dstOff + end - 1;
            stop[k] = dstOff + k * step;
        }
        // all chains but the last are step long; walk them in lock step, then finish the last one
        int common = Math.min(step, n - (chains - 1) * step);
        if (chains == CHAINS) {
            walk16(table, cur, dst, dstOff + step - 1, step, n - step, common);
        } else {
            for (int s = 0; s < common; s++) {
                for (int k = 0; k < chains; k++) {
                    int v = table[cur[k]];
                    dst[pos[k]--] = (byte) v;
                    cur[k] = v >>> 8;
                }
            }
        }
        for (int k = 0; k < chains; k++) {
            pos[k] -= chains == CHAINS ? common : 0;
        }
        for (int k = 0; k < chains; k++) {
            int r = cur[k];
            for (int p = pos[k]; p >= stop[k]; p--) {
                int v = table[r];
                dst[p] = (byte) v;
                r = v >>> 8;
            }
        }
    }

    /**
     * {@code steps} lock steps of 16 chains whose rows are {@code cur}; chain k < 15 writes backwards from
     * {@code last + k * step}, the last chain (which may be longer) from {@code last + tail}. The rows live in locals, not an array: the launcher's C1 compiler keeps array
     * elements in memory, and the loads and stores of the cursors cost as much as the table lookups.
     */
    private static void walk16(int[] table, int[] cur, byte[] dst, int last, int step, int tail, int steps) {
        int c0 = cur[0], c1 = cur[1], c2 = cur[2], c3 = cur[3], c4 = cur[4], c5 = cur[5], c6 = cur[6], c7 = cur[7];
        int c8 = cur[8], c9 = cur[9], c10 = cur[10], c11 = cur[11], c12 = cur[12], c13 = cur[13], c14 = cur[14];
        int c15 = cur[15];
        for (int p = last, end = last - steps; p > end; p--) {
            int v0 = table[c0], v1 = table[c1], v2 = table[c2], v3 = table[c3];
            int v4 = table[c4], v5 = table[c5], v6 = table[c6], v7 = table[c7];
            int q = p;
            dst[q] = (byte) v0;
            dst[q += step] = (byte) v1;
            dst[q += step] = (byte) v2;
            dst[q += step] = (byte) v3;
            dst[q += step] = (byte) v4;
            dst[q += step] = (byte) v5;
            dst[q += step] = (byte) v6;
            dst[q += step] = (byte) v7;
            c0 = v0 >>> 8;
            c1 = v1 >>> 8;
            c2 = v2 >>> 8;
            c3 = v3 >>> 8;
            c4 = v4 >>> 8;
            c5 = v5 >>> 8;
            c6 = v6 >>> 8;
            c7 = v7 >>> 8;
            v0 = table[c8];
            v1 = table[c9];
            v2 = table[c10];
            v3 = table[c11];
            v4 = table[c12];
            v5 = table[c13];
            v6 = table[c14];
            v7 = table[c15];
            dst[q += step] = (byte) v0;
            dst[q += step] = (byte) v1;
            dst[q += step] = (byte) v2;
            dst[q += step] = (byte) v3;
            dst[q += step] = (byte) v4;
            dst[q += step] = (byte) v5;
            dst[q += step] = (byte) v6;
            dst[p + tail] = (byte) v7;
            c8 = v0 >>> 8;
            c9 = v1 >>> 8;
            c10 = v2 >>> 8;
            c11 = v3 >>> 8;
            c12 = v4 >>> 8;
            c13 = v5 >>> 8;
            c14 = v6 >>> 8;
            c15 = v7 >>> 8;
        }
        cur[0] = c0;
        cur[1] = c1;
        cur[2] = c2;
        cur[3] = c3;
        cur[4] = c4;
        cur[5] = c5;
        cur[6] = c6;
        cur[7] = c7;
        cur[8] = c8;
        cur[9] = c9;
        cur[10] = c10;
        cur[11] = c11;
        cur[12] = c12;
        cur[13] = c13;
        cur[14] = c14;
        cur[15] = c15;
    }
}
