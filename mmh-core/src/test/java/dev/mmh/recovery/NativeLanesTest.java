package dev.mmh.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The native loops give exactly what the Java loops give, and both what the scalar field arithmetic gives,
 * for every exponent the codes use and for lengths around the vector widths.
 */
class NativeLanesTest {
    private static final int[] LENGTHS = {1, 3, 4, 5, 63, 64, 65, 127, 1000, 8191};

    @Test
    void theNativeLibraryIsBuiltAndLoaded() {
        // the build compiles it wherever gcc is (CI installs it); without it mmh is slower, not wrong
        assertNull(NativeLanes.loadError(), "native recovery loops");
    }

    @Test
    void hornerStepMatchesJavaAndTheFieldForEveryExponent() {
        Random r = new Random(11);
        for (int n : LENGTHS) {
            for (int e = -9; e <= 9; e++) {
                for (boolean add : new boolean[] {false, true}) {
                    long[] acc = random(r, n);
                    long[] d = add ? random(r, n) : null;
                    long[] expected = reference(acc, d, e);
                    long[] nat = acc.clone();
                    NativeLanes.hornerStep(nat, d, e, n);
                    long[] java = acc.clone();
                    Lanes.hornerStepJava(java, d, e, n);
                    assertArrayEquals(expected, java, "java e=" + e + " n=" + n + " add=" + add);
                    assertArrayEquals(expected, nat, "native e=" + e + " n=" + n + " add=" + add);
                }
            }
        }
    }

    @Test
    void xorMatches() {
        Random r = new Random(12);
        for (int n : LENGTHS) {
            long[] a = random(r, n);
            long[] b = random(r, n);
            long[] expected = new long[n];
            for (int i = 0; i < n; i++) {
                expected[i] = a[i] ^ b[i];
            }
            NativeLanes.xorInto(a, b, n);
            assertArrayEquals(expected, a);
        }
    }

    @Test
    void onlyTheFirstNLanesChange() {
        long[] acc = random(new Random(13), 100);
        long[] before = acc.clone();
        NativeLanes.hornerStep(acc, null, 3, 70);
        for (int i = 70; i < 100; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(before[i], acc[i], "lane " + i);
        }
    }

    @Test
    void laneCountsPastTheArraysAreRejectedBeforeAnythingIsWritten() {
        // before the check, these went straight to C: a write of up to 2^26 longs past a 64-long array
        long[] acc = random(new Random(14), 64);
        long[] row = random(new Random(15), 32);
        long[] accBefore = acc.clone();
        long[] rowBefore = row.clone();
        for (int n : new int[] {65, 1 << 26, -1, Integer.MIN_VALUE}) {
            String what = "n=" + n;
            assertThrows(IndexOutOfBoundsException.class, () -> NativeLanes.hornerStep(acc, null, 1, n), what);
            assertThrows(IndexOutOfBoundsException.class, () -> NativeLanes.xorInto(acc, acc, n), what);
            assertThrows(IndexOutOfBoundsException.class, () -> Lanes.hornerStep(acc, null, 1, n), what);
            assertThrows(IndexOutOfBoundsException.class, () -> Lanes.xorInto(acc, acc, n), what);
            assertThrows(IndexOutOfBoundsException.class, () -> Lanes.mul2InPlace(acc, n), what);
        }
        // a row shorter than the count (acc is long enough)
        assertThrows(IndexOutOfBoundsException.class, () -> NativeLanes.hornerStep(acc, row, 1, 64));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeLanes.xorInto(acc, row, 64));
        assertThrows(IndexOutOfBoundsException.class, () -> Lanes.hornerStep(acc, row, 1, 64));
        assertThrows(IndexOutOfBoundsException.class, () -> Lanes.xorInto(acc, row, 64));
        assertThrows(IllegalArgumentException.class, () -> NativeLanes.hornerStep(acc, row, 65, 8));
        assertArrayEquals(accBefore, acc, "acc written before the check");
        assertArrayEquals(rowBefore, row, "row written");
    }

    private static long[] random(Random r, int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextLong();
        }
        return a;
    }

    /** Byte by byte with the field's tables: acc * alpha^e + d. */
    private static long[] reference(long[] acc, long[] d, int e) {
        int f = Gf256.alphaPow(e);
        long[] out = new long[acc.length];
        for (int i = 0; i < acc.length; i++) {
            long v = 0;
            for (int b = 0; b < 8; b++) {
                int x = (int) (acc[i] >>> (8 * b)) & 0xFF;
                int y = Gf256.mul(x, f) ^ (d == null ? 0 : (int) (d[i] >>> (8 * b)) & 0xFF);
                v |= (long) y << (8 * b);
            }
            out[i] = v;
        }
        return out;
    }
}
