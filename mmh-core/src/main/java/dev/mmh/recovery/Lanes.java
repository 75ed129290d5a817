package dev.mmh.recovery;

/**
 * Hot loops of the recovery code over "lanes": {@code long[]} arrays where every byte is an independent
 * GF(2^8) symbol (eight symbols per long).
 *
 * <p>When the native library is there ({@link NativeLanes}), the Horner steps and XORs of more than a few lanes
 * run in C, vectorised: the {@code mmh} launcher's C1-only JVM does not vectorise Java loops. Otherwise every
 * loop runs over arrays from index 0 with one shared bound and no other offsets: that shape is what C2's
 * superword pass turns into vector instructions (AVX2/AVX-512 here), which is 3-5x faster than the scalar form.
 * Keep it that way when editing. Stateless and thread-safe; arrays are owned by the caller.
 *
 * <p>Every entry checks its lane count against its arrays first ({@link #check}): a count past an array is an
 * {@link IndexOutOfBoundsException} before anything is written, on the native path (where it would otherwise be
 * a write past the array) as on the Java one.
 */
final class Lanes {
    private Lanes() {}

    /** Throws {@link IndexOutOfBoundsException} unless {@code n} lanes fit in {@code a} and in {@code b} (if given). */
    static void check(long[] a, long[] b, int n) {
        java.util.Objects.checkFromIndexSize(0, n, a.length);
        if (b != null) {
            java.util.Objects.checkFromIndexSize(0, n, b.length);
        }
    }

    /** {@code dst[i] ^= src[i]} for i in [0, n). */
    static void xorInto(long[] dst, long[] src, int n) {
        check(dst, src, n);
        if (NativeLanes.AVAILABLE && n >= NativeLanes.MIN_LANES) {
            NativeLanes.xorInto(dst, src, n);
        } else {
            xorIntoJava(dst, src, n);
        }
    }

    private static void xorIntoJava(long[] dst, long[] src, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] ^= src[i];
        }
    }

    /** {@code acc[i] *= alpha} in place. */
    static void mul2InPlace(long[] acc, int n) {
        check(acc, null, n);
        if (NativeLanes.AVAILABLE && n >= NativeLanes.MIN_LANES) {
            NativeLanes.hornerStep(acc, null, 1, n);
        } else {
            mul2InPlaceJava(acc, n);
        }
    }

    private static void mul2InPlaceJava(long[] acc, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] = Gf256.mul2(acc[i]);
        }
    }

    /** {@code acc[i] *= alpha^-1} in place. */
    private static void div2InPlaceJava(long[] acc, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] = Gf256.div2(acc[i]);
        }
    }

    private static void mul2Add(long[] acc, long[] d, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] = Gf256.mul2(acc[i]) ^ d[i];
        }
    }

    private static void mul4Add(long[] acc, long[] d, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] = Gf256.mul2(Gf256.mul2(acc[i])) ^ d[i];
        }
    }

    private static void div2Add(long[] acc, long[] d, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] = Gf256.div2(acc[i]) ^ d[i];
        }
    }

    private static void div4Add(long[] acc, long[] d, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] = Gf256.div2(Gf256.div2(acc[i])) ^ d[i];
        }
    }

    /**
     * One Horner step: {@code acc = acc * alpha^e + d} (d may be null for a known-zero row). The cost grows
     * with |e|, which is why the code's roots are centred on alpha^0.
     */
    static void hornerStep(long[] acc, long[] d, int e, int n) {
        check(acc, d, n);
        if (NativeLanes.AVAILABLE && n >= NativeLanes.MIN_LANES && Math.abs(e) <= 64) {
            NativeLanes.hornerStep(acc, d, e, n);
        } else {
            hornerStepJava(acc, d, e, n);
        }
    }

    /** {@link #hornerStep} in Java: the fallback, and the reference the native loops are tested against. */
    static void hornerStepJava(long[] acc, long[] d, int e, int n) {
        if (d == null) {
            for (int s = Math.abs(e); s > 0; s--) {
                if (e > 0) {
                    mul2InPlaceJava(acc, n);
                } else {
                    div2InPlaceJava(acc, n);
                }
            }
            return;
        }
        if (e == 0) {
            xorIntoJava(acc, d, n);
            return;
        }
        int steps = Math.abs(e);
        for (; steps > 2; steps--) {
            if (e > 0) {
                mul2InPlaceJava(acc, n);
            } else {
                div2InPlaceJava(acc, n);
            }
        }
        if (e > 0) {
            if (steps == 2) {
                mul4Add(acc, d, n);
            } else {
                mul2Add(acc, d, n);
            }
        } else if (steps == 2) {
            div4Add(acc, d, n);
        } else {
            div2Add(acc, d, n);
        }
    }

    /**
     * {@code dst[o] = sum over i of coef[o][i] * src[i]} for every output o, each lane array of length n.
     *
     * <p>Instead of one general multiplication per (o, i) pair, each source is multiplied by alpha^0..alpha^7
     * once (in {@code tmp}) and each power is XORed into the outputs whose coefficient has that bit set: about
     * 7 + (outputs x 4) passes per source instead of outputs x 15.
     *
     * @param tmp scratch of at least n longs, overwritten
     */
    static void applyMatrix(int[][] coef, long[][] src, long[][] dst, long[] tmp, int n) {
        check(tmp, null, n);
        for (long[] d : dst) {
            java.util.Arrays.fill(d, 0, n, 0L);
        }
        for (int i = 0; i < src.length; i++) {
            int bitsNeeded = 0;
            for (int[] row : coef) {
                bitsNeeded |= row[i];
            }
            if (bitsNeeded == 0) {
                continue;
            }
            System.arraycopy(src[i], 0, tmp, 0, n);
            for (int bit = 0; bit < 8; bit++) {
                for (int o = 0; o < dst.length; o++) {
                    if ((coef[o][i] >>> bit & 1) != 0) {
                        xorInto(dst[o], tmp, n);
                    }
                }
                if ((bitsNeeded >>> (bit + 1)) == 0) {
                    break;
                }
                mul2InPlace(tmp, n);
            }
        }
    }
}
