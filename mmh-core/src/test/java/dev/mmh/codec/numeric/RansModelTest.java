package dev.mmh.codec.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.CorruptDataException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The static rANS format (0x01) directly, for every layout, and its behaviour on damaged input. */
class RansModelTest {
    private static byte[] encode(RansModel m, byte[] raw, int off, int len, int[] layout) {
        byte[] out = new byte[2 * len + 4096];
        int n = m.encode(raw, off, len, layout, out, 0, out.length);
        assertTrue(n > 0);
        return Arrays.copyOf(out, n);
    }

    /** Gaussian float32 weights of two scales, or bfloat16 ones (the top halves) when {@code half}. */
    private static byte[] floats(int n, Random r, boolean half) {
        byte[] b = new byte[n];
        int step = half ? 2 : 4;
        for (int i = 0; i + step - 1 < n; i += step) {
            float f = (float) (r.nextGaussian() * (i % 4000 < 2000 ? 0.01 : 3));
            int v = Float.floatToIntBits(f);
            if (half) {
                v >>>= 16;
            }
            for (int k = 0; k < step; k++) {
                b[i + k] = (byte) (v >> (8 * k));
            }
        }
        return b;
    }

    @Test
    void roundTripsEveryLayoutOnRandomStructuredAndOddLengths() throws Exception {
        RansModel enc = new RansModel();
        RansModel dec = new RansModel();
        Random r = new Random(5);
        for (int n : new int[] {0, 1, 2, 3, 4, 5, 7, 100, 4097, 65_539, 300_001}) {
            byte[][] inputs = {new byte[n], random(n, r), floats(n, r, false), floats(n, r, true), ramp(n)};
            for (byte[] raw : inputs) {
                for (int[] layout : RansModel.LAYOUTS) {
                    byte[] c = encode(enc, raw, 0, n, layout);
                    byte[] back = new byte[n + 2];
                    dec.decode(c, 0, c.length, back, 1, n);
                    assertArrayEquals(raw, Arrays.copyOfRange(back, 1, n + 1), "n=" + n + " layout " + Arrays.toString(layout));
                }
            }
        }
    }

    @Test
    void aSingleSymbolCostsNothing() {
        byte[] raw = new byte[1 << 20];
        Arrays.fill(raw, (byte) 0x3C);
        byte[] c = encode(new RansModel(), raw, 0, raw.length, RansModel.LAYOUTS[1]);
        // a table per context while the exponent window fills, then zero bits per element
        assertTrue(c.length < 400, "constant block coded in " + c.length);
    }

    @Test
    void normalisedFrequenciesSumToMAndKeepEverySymbol() {
        Random r = new Random(1);
        int[] count = new int[256];
        int[] freq = new int[256];
        for (int t = 0; t < 2000; t++) {
            Arrays.fill(count, 0);
            int kinds = 1 + r.nextInt(256);
            for (int k = 0; k < kinds; k++) {
                count[r.nextInt(256)] = r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(1 << r.nextInt(24));
            }
            assertTrue(RansModel.normalise(count, freq, 0));
            int sum = 0;
            for (int k = 0; k < 256; k++) {
                assertEquals(count[k] != 0, freq[k] != 0);
                sum += freq[k];
            }
            assertEquals(RansModel.M, sum);
        }
    }

    @Test
    void damagedTruncatedOrHostileBlocksFailOnlyWithCorruptDataException() throws Exception {
        Random r = new Random(3);
        byte[] raw = floats(200_000, r, false);
        RansModel m = new RansModel();
        for (int[] layout : RansModel.LAYOUTS) {
            byte[] c = encode(m, raw, 0, raw.length, layout);
            for (int k = 0; k < 400; k++) {
                byte[] bad = c.clone();
                int hits = 1 + r.nextInt(3);
                for (int h = 0; h < hits; h++) {
                    // mostly the header and tables, where hostile frequencies live
                    int at = r.nextBoolean() ? r.nextInt(Math.min(bad.length, 600)) : r.nextInt(bad.length);
                    bad[at] = (byte) r.nextInt(256);
                }
                byte[] in = r.nextInt(4) == 0 ? Arrays.copyOf(bad, r.nextInt(bad.length)) : bad;
                decodeExpectingCorruptOrSame(in, raw);
            }
            assertThrows(CorruptDataException.class,
                    () -> new RansModel().decode(c, 0, c.length - 1, new byte[raw.length], 0, raw.length));
            assertThrows(CorruptDataException.class,
                    () -> new RansModel().decode(c, 0, c.length, new byte[raw.length + 1], 0, raw.length + 1));
        }
        // pure garbage after a valid-looking header
        for (int k = 0; k < 300; k++) {
            byte[] g = random(50 + r.nextInt(5000), r);
            g[0] = RansModel.VERSION;
            g[1] = (byte) new int[] {1, 2, 4}[r.nextInt(3)];
            g[2] = (byte) r.nextInt(2);
            g[3] = (byte) (r.nextInt(8) | r.nextInt(6) << 4);
            decodeExpectingCorruptOrSame(g, new byte[r.nextInt(3000)]);
        }
    }

    private static void decodeExpectingCorruptOrSame(byte[] in, byte[] raw) {
        try {
            byte[] back = new byte[raw.length];
            new RansModel().decode(in, 0, in.length, back, 0, raw.length);
            // the rANS check words can let damage through only if the output is still right, or nearly never
        } catch (CorruptDataException expected) {
            // the only allowed failure
        }
    }

    @Test
    void reciprocalDivisionIsExactForEveryFrequency() {
        Random r = new Random(8);
        for (int f = 1; f <= RansModel.M; f++) {
            int shift = 31 + (32 - Integer.numberOfLeadingZeros(f - 1));
            long rcp = ((1L << shift) + f - 1) / f;
            for (int t = 0; t < 200; t++) {
                int x = t < 3 ? Integer.MAX_VALUE - t : (t < 6 ? f * (t - 2) : r.nextInt(Integer.MAX_VALUE));
                assertEquals(x / f, (int) ((x * rcp) >>> shift), "f=" + f + " x=" + x);
            }
        }
    }

    private static byte[] random(int n, Random r) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ((i * 7) >> 5);
        }
        return b;
    }
}
