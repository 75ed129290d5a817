package dev.mmh.recovery;

/**
 * Arithmetic in GF(2^8) with the primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D) and generator
 * alpha = x (0x02), the field of the recovery code.
 *
 * <p>Scalar operations use log/exp tables. The {@code mul2}/{@code div2} helpers work on a {@code long} that
 * holds eight independent field elements (one per byte, SWAR), so that loops over {@code long[]} lanes can be
 * auto-vectorised by the JIT. Stateless and thread-safe.
 */
final class Gf256 {
    static final int POLY = 0x11D;
    /** Multiplicative order of alpha: exponents are taken modulo this. */
    static final int ORDER = 255;

    private static final int[] EXP = new int[2 * ORDER];
    private static final int[] LOG = new int[256];

    static {
        int x = 1;
        for (int i = 0; i < ORDER; i++) {
            EXP[i] = x;
            EXP[i + ORDER] = x;
            LOG[x] = i;
            x <<= 1;
            if ((x & 0x100) != 0) {
                x ^= POLY;
            }
        }
        LOG[0] = -1;
    }

    private Gf256() {}

    static int mul(int a, int b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return EXP[LOG[a] + LOG[b]];
    }

    static int inv(int a) {
        if (a == 0) {
            throw new ArithmeticException("zero has no inverse in GF(2^8)");
        }
        return EXP[(ORDER - LOG[a]) % ORDER];
    }

    static int div(int a, int b) {
        return mul(a, inv(b));
    }

    /** alpha^e for any integer e (negative exponents allowed). */
    static int alphaPow(long e) {
        return EXP[(int) Math.floorMod(e, (long) ORDER)];
    }

    static int log(int a) {
        return LOG[a];
    }

    // SWAR: eight field elements in one long, one per byte.
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long REDUCE_UP = 0x1D1D1D1D1D1D1D1DL; // x^8 mod p, without the x^8 term
    private static final long REDUCE_DOWN = 0x8E8E8E8E8E8E8E8EL; // x^-1 = x^7 + x^3 + x^2 + x
    private static final long NOT_HIGH = 0x7F7F7F7F7F7F7F7FL;

    /** Multiplies each of the eight bytes of {@code v} by alpha. */
    static long mul2(long v) {
        long h = v & HIGH_BITS;
        // h - (h >>> 7) | h turns each set high bit into 0xFF in its own byte (no borrow crosses bytes); this
        // form vectorises better than (h << 1) - (h >>> 7) when two steps are chained
        return ((v & NOT_HIGH) << 1) ^ ((h - (h >>> 7) | h) & REDUCE_UP);
    }

    /** Multiplies each of the eight bytes of {@code v} by alpha^-1. */
    static long div2(long v) {
        long l = v & LOW_BITS;
        return ((v >>> 1) & NOT_HIGH) ^ (((l << 8) - l) & REDUCE_DOWN);
    }

    /**
     * Inverts the n x n matrix {@code a} (row-major, {@code a[r][c]}) in place by Gauss-Jordan elimination.
     *
     * @return false if the matrix is singular (then {@code a} is left in an unspecified state)
     */
    static boolean invert(int[][] a) {
        int n = a.length;
        int[][] inv = new int[n][n];
        for (int i = 0; i < n; i++) {
            inv[i][i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = -1;
            for (int r = col; r < n; r++) {
                if (a[r][col] != 0) {
                    pivot = r;
                    break;
                }
            }
            if (pivot < 0) {
                return false;
            }
            swap(a, col, pivot);
            swap(inv, col, pivot);
            int f = inv(a[col][col]);
            scaleRow(a[col], f);
            scaleRow(inv[col], f);
            for (int r = 0; r < n; r++) {
                int g = a[r][col];
                if (r != col && g != 0) {
                    addScaledRow(a[r], a[col], g);
                    addScaledRow(inv[r], inv[col], g);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            a[i] = inv[i];
        }
        return true;
    }

    private static void swap(int[][] m, int i, int j) {
        int[] t = m[i];
        m[i] = m[j];
        m[j] = t;
    }

    private static void scaleRow(int[] row, int f) {
        for (int c = 0; c < row.length; c++) {
            row[c] = mul(row[c], f);
        }
    }

    private static void addScaledRow(int[] dst, int[] src, int f) {
        for (int c = 0; c < dst.length; c++) {
            dst[c] ^= mul(src[c], f);
        }
    }
}
