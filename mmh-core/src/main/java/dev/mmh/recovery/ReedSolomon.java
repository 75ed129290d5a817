package dev.mmh.recovery;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A systematic Reed-Solomon erasure code over GF(2^8): k data shards, m parity shards, any k of the k + m
 * shards rebuild the others.
 *
 * <p>The code is defined by its parity checks rather than by a generator matrix. A code word is the symbols
 * c_0 .. c_{n-1} (n = k + m &lt;= 255) taken at one byte offset from shards 0 .. n-1, data at positions 0 .. k-1
 * and parity at positions k .. n-1, and it satisfies, for the m consecutive exponents e = b .. b+m-1 with
 * b = -floor(m/2):
 *
 * <pre>  sum over j of c_j * alpha^(e*j) = 0</pre>
 *
 * Any m columns of that check matrix form a Vandermonde matrix in the distinct values alpha^j scaled by
 * non-zero factors, so every pattern of at most m erasures is solvable: the code is MDS for every k and m with
 * k + m &lt;= 255 (unlike PAR2's construction, no matrix can turn out singular). Exponents centred on zero keep
 * the Horner steps cheap (multiplying by alpha^+-1 or alpha^+-2 is a few shifts on eight bytes at once).
 *
 * <p>Encoding computes the m syndromes of the data by Horner's rule over long lanes and turns them into parity
 * with a fixed m x m matrix; decoding does the same with the surviving shards and solves for the erased ones.
 * Instances are immutable and thread-safe.
 */
public final class ReedSolomon {
    /** Largest code word: the multiplicative order of alpha. */
    public static final int MAX_SHARDS = Gf256.ORDER;
    /** Largest number of parity shards accepted. */
    public static final int MAX_PARITY = 64;

    private final int k;
    private final int m;
    private final int firstRoot;
    private final int[][] encodeMatrix;

    private ReedSolomon(int k, int m) {
        this.k = k;
        this.m = m;
        this.firstRoot = -(m / 2);
        int[] parityPositions = new int[m];
        for (int q = 0; q < m; q++) {
            parityPositions[q] = k + q;
        }
        this.encodeMatrix = solver(parityPositions);
    }

    /**
     * @throws IllegalArgumentException unless 1 &lt;= dataShards, 1 &lt;= parityShards &lt;= {@value #MAX_PARITY}
     *     and dataShards + parityShards &lt;= {@value #MAX_SHARDS}
     */
    public static ReedSolomon of(int dataShards, int parityShards) {
        if (dataShards < 1 || parityShards < 1 || parityShards > MAX_PARITY
                || dataShards + parityShards > MAX_SHARDS) {
            throw new IllegalArgumentException("unsupported code: " + dataShards + " data + " + parityShards
                    + " parity shards (need 1..64 parity and at most 255 in all)");
        }
        return new ReedSolomon(dataShards, parityShards);
    }

    public int dataShards() {
        return k;
    }

    public int parityShards() {
        return m;
    }

    public int totalShards() {
        return k + m;
    }

    /** Exponent of the i-th root, alpha^(b+i). */
    int rootExponent(int i) {
        return firstRoot + i;
    }

    /**
     * The matrix that turns the first t syndromes into the values at the t given erased positions: row c gives
     * erased position c as a combination of syndromes 0 .. t-1.
     */
    int[][] solver(int[] erasedPositions) {
        int t = erasedPositions.length;
        int[][] w = new int[t][t];
        for (int r = 0; r < t; r++) {
            for (int c = 0; c < t; c++) {
                w[r][c] = Gf256.alphaPow((long) rootExponent(r) * erasedPositions[c]);
            }
        }
        if (!Gf256.invert(w)) {
            // Cannot happen for distinct positions below 255: a scaled Vandermonde matrix is never singular.
            throw new IllegalStateException("singular erasure matrix for " + Arrays.toString(erasedPositions));
        }
        return w;
    }

    /** Matrix mapping the m data syndromes to the m parity shards. */
    int[][] encodeMatrix() {
        return encodeMatrix;
    }

    /**
     * Feeds the next shard of a code word, in descending position order, into the syndrome accumulators.
     *
     * @param acc the first {@code count} arrays are the accumulators for roots 0 .. count-1
     * @param row the shard's lanes, or null when it is zero or erased
     * @param started whether a non-null row was pushed before (the accumulators hold data)
     * @return the new value of {@code started}
     */
    boolean pushHorner(long[][] acc, int count, long[] row, boolean started, int n) {
        if (!started) {
            if (row == null) {
                return false;
            }
            for (int r = 0; r < count; r++) {
                System.arraycopy(row, 0, acc[r], 0, n);
            }
            return true;
        }
        for (int r = 0; r < count; r++) {
            Lanes.hornerStep(acc[r], row, rootExponent(r), n);
        }
        return true;
    }

    /**
     * Computes parity lanes from data lanes.
     *
     * @param data k arrays (null for an all-zero shard)
     * @param parity m output arrays
     * @param scratch m arrays used for the syndromes
     * @param tmp one more scratch array
     * @param n lanes (longs) per shard
     */
    void encodeLanes(long[][] data, long[][] parity, long[][] scratch, long[] tmp, int n) {
        boolean started = false;
        for (int j = k - 1; j >= 0; j--) {
            started = pushHorner(scratch, m, data[j], started, n);
        }
        if (!started) {
            for (long[] p : parity) {
                Arrays.fill(p, 0, n, 0L);
            }
            return;
        }
        Lanes.applyMatrix(encodeMatrix, scratch, parity, tmp, n);
    }

    /**
     * Rebuilds the erased shards of code words held as lanes.
     *
     * @param shards n = k + m arrays, the erased ones are overwritten with the rebuilt values
     * @param erased positions that are missing, ascending, at most m of them
     * @param scratch at least |erased| + 1 arrays of n lanes
     */
    void decodeLanes(long[][] shards, int[] erased, long[][] scratch, int n) {
        int t = erased.length;
        if (t == 0) {
            return;
        }
        if (t > m) {
            throw new IllegalArgumentException(t + " erasures exceed the " + m + " parity shards");
        }
        boolean[] missing = new boolean[k + m];
        for (int p : erased) {
            missing[p] = true;
        }
        long[][] acc = Arrays.copyOf(scratch, t);
        boolean started = false;
        for (int j = k + m - 1; j >= 0; j--) {
            started = pushHorner(acc, t, missing[j] ? null : shards[j], started, n);
        }
        long[][] out = new long[t][];
        for (int c = 0; c < t; c++) {
            out[c] = shards[erased[c]];
        }
        if (!started) {
            for (long[] o : out) {
                Arrays.fill(o, 0, n, 0L);
            }
            return;
        }
        Lanes.applyMatrix(solver(erased), acc, out, scratch[t], n);
    }

    /**
     * Computes the parity shards of {@code data}.
     *
     * @param data k shards of one common length (not modified)
     * @param parity m shards of the same length, overwritten
     */
    public void encode(byte[][] data, byte[][] parity) {
        if (data.length != k || parity.length != m) {
            throw new IllegalArgumentException("need " + k + " data and " + m + " parity shards");
        }
        int len = data[0].length;
        int n = (len + 7) >>> 3;
        long[][] d = new long[k][];
        for (int j = 0; j < k; j++) {
            checkLength(data[j], len);
            d[j] = toLanes(data[j], len, n);
        }
        long[][] p = new long[m][n];
        encodeLanes(d, p, new long[m][n], new long[n], n);
        for (int q = 0; q < m; q++) {
            checkLength(parity[q], len);
            fromLanes(p[q], parity[q]);
        }
    }

    /**
     * Rebuilds the missing shards in place.
     *
     * @param shards k + m shards, data first; entries whose {@code present} flag is false are overwritten (they
     *     must be allocated with the common length)
     * @return false (and nothing changed) if more than m shards are missing
     */
    public boolean decode(byte[][] shards, boolean[] present) {
        if (shards.length != k + m || present.length != k + m) {
            throw new IllegalArgumentException("need " + (k + m) + " shards");
        }
        int len = shards[0].length;
        int n = (len + 7) >>> 3;
        int t = 0;
        for (boolean p : present) {
            t += p ? 0 : 1;
        }
        if (t > m) {
            return false;
        }
        int[] erased = new int[t];
        long[][] lanes = new long[k + m][];
        for (int j = 0, e = 0; j < k + m; j++) {
            checkLength(shards[j], len);
            if (present[j]) {
                lanes[j] = toLanes(shards[j], len, n);
            } else {
                erased[e++] = j;
                lanes[j] = new long[n];
            }
        }
        decodeLanes(lanes, erased, new long[t + 1][n], n);
        for (int p : erased) {
            fromLanes(lanes[p], shards[p]);
        }
        return true;
    }

    private static void checkLength(byte[] shard, int len) {
        if (shard.length != len) {
            throw new IllegalArgumentException("shards differ in length: " + shard.length + " != " + len);
        }
    }

    private static long[] toLanes(byte[] b, int len, int n) {
        long[] out = new long[n];
        ByteBuffer bb = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(b, 0, len).clear();
        bb.asLongBuffer().get(out);
        return out;
    }

    private static void fromLanes(long[] lanes, byte[] out) {
        ByteBuffer bb = ByteBuffer.allocate(lanes.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.asLongBuffer().put(lanes);
        bb.get(out, 0, out.length);
    }
}
