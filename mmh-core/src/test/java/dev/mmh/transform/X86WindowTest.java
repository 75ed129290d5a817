package dev.mmh.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link X86Transform#inverseWindow}: any window of a block decodes to what the whole block's decode gives there. */
class X86WindowTest {
    /** Machine-code-like bytes: calls and jumps with near operands among other bytes, and some E8/E9 runs. */
    static byte[] code(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; ) {
            int k = r.nextInt(10);
            if (k < 3 && i + 5 <= n) {
                b[i] = (byte) (k == 0 ? 0xE9 : 0xE8);
                int v = r.nextInt(1 << 20) - (1 << 19);
                b[i + 1] = (byte) v;
                b[i + 2] = (byte) (v >> 8);
                b[i + 3] = (byte) (v >> 16);
                b[i + 4] = (byte) (v >> 24);
                i += 5;
            } else if (k == 3) {
                b[i++] = (byte) (0xE8 + r.nextInt(2)); // a lone opcode byte
            } else {
                b[i++] = (byte) r.nextInt(256);
            }
        }
        return b;
    }

    @Test
    void everyWindowDecodesAsTheWholeBlockDoes() throws Exception {
        X86Transform t = new X86Transform();
        Random r = new Random(5);
        for (byte[] raw : new byte[][] {code(200_003, 1), TransformRoundTripTest.inputs(65_537).get(3),
                TestData.random(2, 70_001)}) {
            byte[] enc = new byte[raw.length];
            t.encode(raw, 0, raw.length, 0, enc, 0);
            byte[] whole = new byte[raw.length];
            t.decode(enc, 0, raw.length, 0, whole, 0, raw.length);
            assertArrayEquals(raw, whole);
            int exactBytes = 0;
            for (int k = 0; k < 3000; k++) {
                int pos = k % 10 == 0 ? 0 : r.nextInt(raw.length);
                int len = Math.min(raw.length - pos, k % 7 == 0 ? raw.length : r.nextInt(2000));
                int off = r.nextInt(9);
                byte[] w = new byte[off + len + r.nextInt(3)];
                System.arraycopy(enc, pos, w, off, len);
                int start = X86Transform.inverseWindow(w, off, len, pos, raw.length);
                assertTrue(start >= off && start <= off + len);
                if (pos == 0) {
                    assertTrue(start == off, "a window at the block's start decodes from its start");
                }
                int exactEnd = pos + len == raw.length ? off + len : Math.max(start, off + len - 4);
                assertArrayEquals(Arrays.copyOfRange(raw, pos + start - off, pos + exactEnd - off),
                        Arrays.copyOfRange(w, start, exactEnd), "window " + pos + "+" + len);
                exactBytes += exactEnd - start;
            }
            assertTrue(exactBytes > 100_000, "windows left too little to compare: " + exactBytes);
        }
    }

    @Test
    void inMachineCodeTheDecodeRestartsWithinAFewBytes() {
        byte[] raw = code(100_000, 3);
        byte[] enc = new byte[raw.length];
        new X86Transform().encode(raw, 0, raw.length, 0, enc, 0);
        Random r = new Random(9);
        for (int k = 0; k < 500; k++) {
            int pos = 1 + r.nextInt(raw.length - 300);
            byte[] w = Arrays.copyOfRange(enc, pos, pos + 300);
            int start = X86Transform.inverseWindow(w, 0, w.length, pos, raw.length);
            assertTrue(start <= 64, "restart only at " + start);
        }
    }

    @Test
    void aWindowOutsideItsBlockIsRefused() {
        byte[] w = new byte[100];
        assertThrows(IllegalArgumentException.class, () -> X86Transform.inverseWindow(w, 0, 100, 950, 1000));
        assertThrows(IllegalArgumentException.class, () -> X86Transform.inverseWindow(w, 50, 60, 0, 1000));
    }
}
