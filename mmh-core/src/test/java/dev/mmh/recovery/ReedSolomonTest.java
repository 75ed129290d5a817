package dev.mmh.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ReedSolomonTest {

    private static int slowMul(int a, int b) {
        return ReedSolomonTestSupport.mul(a, b);
    }

    /** alpha^e by repeated bitwise multiplication, cached. */
    private static final int[] ALPHA_POW = new int[255];

    static {
        for (int e = 0, v = 1; e < 255; e++, v = slowMul(v, 2)) {
            ALPHA_POW[e] = v;
        }
    }

    private static int slowPow(int a, int e) {
        if (a == 2) {
            return ALPHA_POW[e % 255];
        }
        int r = 1;
        for (int i = 0; i < e; i++) {
            r = slowMul(r, a);
        }
        return r;
    }

    @Test
    void fieldTablesAgreeWithBitwiseMultiplication() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                assertEquals(slowMul(a, b), Gf256.mul(a, b), a + "*" + b);
            }
            if (a != 0) {
                assertEquals(1, slowMul(a, Gf256.inv(a)), "inverse of " + a);
            }
        }
    }

    @Test
    void alphaIsPrimitive() {
        boolean[] seen = new boolean[256];
        for (int e = 0; e < 255; e++) {
            int v = slowPow(2, e);
            assertFalse(seen[v], "alpha^" + e + " repeats");
            seen[v] = true;
            assertEquals(v, Gf256.alphaPow(e));
            assertEquals(v, Gf256.alphaPow(e - 255L));
        }
    }

    @Test
    void swarMultiplyByAlphaMatchesScalarForEveryByteInEveryLane() {
        int inverseAlpha = Gf256.inv(2);
        for (int lane = 0; lane < 8; lane++) {
            for (int v = 0; v < 256; v++) {
                long word = (0x80FF01FE7F8001C3L & ~(0xFFL << (8 * lane))) | (long) v << (8 * lane);
                long up = Gf256.mul2(word);
                long down = Gf256.div2(word);
                for (int other = 0; other < 8; other++) {
                    int in = (int) (word >>> (8 * other)) & 0xFF;
                    assertEquals(slowMul(in, 2), (int) (up >>> (8 * other)) & 0xFF, "mul2 lane " + other);
                    assertEquals(slowMul(in, inverseAlpha), (int) (down >>> (8 * other)) & 0xFF, "div2 lane " + other);
                }
            }
        }
    }

    @Test
    void everyErasureSubsetMatrixIsInvertibleForSmallCodes() {
        for (int n = 2; n <= 12; n++) {
            for (int m = 1; m < n; m++) {
                ReedSolomon rs = ReedSolomon.of(n - m, m);
                for (int mask = 1; mask < 1 << n; mask++) {
                    if (Integer.bitCount(mask) > m) {
                        continue;
                    }
                    int[] pos = positions(mask, n);
                    int[][] w = checkMatrixColumns(rs, pos);
                    int[][] inv = rs.solver(pos);
                    assertIdentity(multiply(inv, w), "n=" + n + " m=" + m + " mask=" + mask);
                }
            }
        }
    }

    @Test
    void largestCodesHaveInvertibleMatricesForSampledErasures() {
        Random rnd = new Random(11);
        for (int m : new int[] {1, 2, 5, 10, 64}) {
            ReedSolomon rs = ReedSolomon.of(255 - m, m);
            for (int trial = 0; trial < 200; trial++) {
                int[] pos = rnd.ints(0, 255).distinct().limit(1 + rnd.nextInt(m)).sorted().toArray();
                assertIdentity(multiply(rs.solver(pos), checkMatrixColumns(rs, pos)), "m=" + m);
            }
        }
    }

    @Test
    void parityMeetsTheDefiningChecksComputedWithScalarArithmetic() {
        Random rnd = new Random(1);
        for (int[] km : new int[][] {{1, 1}, {3, 2}, {10, 5}, {100, 5}, {200, 10}, {245, 10}, {191, 64}}) {
            ReedSolomon rs = ReedSolomon.of(km[0], km[1]);
            int len = 1 + rnd.nextInt(40);
            byte[][] data = randomShards(rnd, km[0], len);
            byte[][] parity = new byte[km[1]][len];
            rs.encode(data, parity);
            for (int off = 0; off < len; off++) {
                for (int r = 0; r < km[1]; r++) {
                    int e = -(km[1] / 2) + r;
                    int sum = 0;
                    for (int j = 0; j < km[0] + km[1]; j++) {
                        int c = (j < km[0] ? data[j][off] : parity[j - km[0]][off]) & 0xFF;
                        sum ^= slowMul(c, slowPow(2, Math.floorMod(e * j, 255)));
                    }
                    assertEquals(0, sum, "check " + r + " at offset " + off + " for " + km[0] + "+" + km[1]);
                }
            }
        }
    }

    @Test
    void rebuildsEveryErasurePatternOfSmallCodes() {
        Random rnd = new Random(2);
        for (int n = 2; n <= 10; n++) {
            for (int m = 1; m < n; m++) {
                int k = n - m;
                ReedSolomon rs = ReedSolomon.of(k, m);
                int len = 1 + rnd.nextInt(24);
                byte[][] data = randomShards(rnd, k, len);
                byte[][] parity = new byte[m][len];
                rs.encode(data, parity);
                byte[][] word = concat(data, parity);
                for (int mask = 0; mask < 1 << n; mask++) {
                    int lost = Integer.bitCount(mask);
                    byte[][] copy = new byte[n][];
                    boolean[] present = new boolean[n];
                    for (int j = 0; j < n; j++) {
                        present[j] = (mask >>> j & 1) == 0;
                        copy[j] = present[j] ? word[j].clone() : new byte[len];
                        if (!present[j]) {
                            java.util.Arrays.fill(copy[j], (byte) 0x6B);
                        }
                    }
                    boolean ok = rs.decode(copy, present);
                    if (lost > m) {
                        assertFalse(ok, "decode must refuse " + lost + " erasures with " + m + " parity");
                        continue;
                    }
                    assertTrue(ok);
                    for (int j = 0; j < n; j++) {
                        assertArrayEquals(word[j], copy[j], "k=" + k + " m=" + m + " mask=" + mask + " shard " + j);
                    }
                }
            }
        }
    }

    @Test
    void rebuildsRandomErasuresOfLargeCodesWithLongShards() {
        Random rnd = new Random(3);
        for (int[] km : new int[][] {{100, 5}, {200, 2}, {100, 10}, {20, 10}, {250, 5}}) {
            int k = km[0];
            int m = km[1];
            ReedSolomon rs = ReedSolomon.of(k, m);
            for (int trial = 0; trial < 5; trial++) {
                int len = 8 * (1 + rnd.nextInt(64)) + rnd.nextInt(8);
                byte[][] data = randomShards(rnd, k, len);
                byte[][] parity = new byte[m][len];
                rs.encode(data, parity);
                byte[][] word = concat(data, parity);
                boolean[] present = new boolean[k + m];
                java.util.Arrays.fill(present, true);
                byte[][] copy = new byte[k + m][];
                for (int j = 0; j < k + m; j++) {
                    copy[j] = word[j].clone();
                }
                int lose = 1 + rnd.nextInt(m);
                for (int p : rnd.ints(0, k + m).distinct().limit(lose).toArray()) {
                    present[p] = false;
                    rnd.nextBytes(copy[p]);
                }
                assertTrue(rs.decode(copy, present));
                for (int j = 0; j < k + m; j++) {
                    assertArrayEquals(word[j], copy[j]);
                }
            }
        }
    }

    @Test
    void parityDependsOnEveryDataByte() {
        Random rnd = new Random(4);
        ReedSolomon rs = ReedSolomon.of(7, 3);
        byte[][] data = randomShards(rnd, 7, 13);
        byte[][] p1 = new byte[3][13];
        rs.encode(data, p1);
        for (int j = 0; j < 7; j++) {
            for (int off = 0; off < 13; off++) {
                data[j][off] ^= 1;
                byte[][] p2 = new byte[3][13];
                rs.encode(data, p2);
                data[j][off] ^= 1;
                for (int q = 0; q < 3; q++) {
                    assertNotEquals(p1[q][off], p2[q][off], "parity " + q + " ignores data " + j + "@" + off);
                }
            }
        }
    }

    @Test
    void rejectsCodesOutsideTheField() {
        assertThrows(IllegalArgumentException.class, () -> ReedSolomon.of(0, 1));
        assertThrows(IllegalArgumentException.class, () -> ReedSolomon.of(1, 0));
        assertThrows(IllegalArgumentException.class, () -> ReedSolomon.of(250, 6));
        assertThrows(IllegalArgumentException.class, () -> ReedSolomon.of(100, 65));
    }

    private static int[][] checkMatrixColumns(ReedSolomon rs, int[] pos) {
        int t = pos.length;
        int[][] w = new int[t][t];
        for (int r = 0; r < t; r++) {
            for (int c = 0; c < t; c++) {
                w[r][c] = slowPow(2, Math.floorMod(rs.rootExponent(r) * pos[c], 255));
            }
        }
        return w;
    }

    private static int[][] multiply(int[][] a, int[][] b) {
        int n = a.length;
        int[][] r = new int[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int s = 0;
                for (int x = 0; x < n; x++) {
                    s ^= slowMul(a[i][x], b[x][j]);
                }
                r[i][j] = s;
            }
        }
        return r;
    }

    private static void assertIdentity(int[][] a, String what) {
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                assertEquals(i == j ? 1 : 0, a[i][j], what);
            }
        }
    }

    private static int[] positions(int mask, int n) {
        int[] p = new int[Integer.bitCount(mask)];
        for (int j = 0, i = 0; j < n; j++) {
            if ((mask >>> j & 1) != 0) {
                p[i++] = j;
            }
        }
        return p;
    }

    private static byte[][] randomShards(Random rnd, int count, int len) {
        byte[][] s = new byte[count][len];
        for (byte[] b : s) {
            rnd.nextBytes(b);
        }
        return s;
    }

    private static byte[][] concat(byte[][] a, byte[][] b) {
        byte[][] r = new byte[a.length + b.length][];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
