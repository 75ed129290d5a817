package dev.mmh.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.CorruptDataException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PeriodicTransformTest {
    private final PeriodicTransform t = new PeriodicTransform();

    private static byte[] periodic(int period, int n, long seed) {
        byte[] pat = TestData.random(seed, period);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = pat[i % period];
        }
        return b;
    }

    private byte[] encode(byte[] raw, int period) {
        byte[] enc = new byte[(int) t.maxEncodedLength(raw.length, period)];
        return Arrays.copyOf(enc, t.encode(raw, 0, raw.length, period, enc, 0));
    }

    private byte[] decode(byte[] enc, int period, int n) throws CorruptDataException {
        byte[] out = new byte[n];
        t.decode(enc, 0, enc.length, period, out, 0, n);
        return out;
    }

    @Test
    void storesExactlyPeriodicBlocksAsPatternPlusAFewBytes() throws Exception {
        int n = 4 << 20;
        for (int period : new int[] {1, 2, 251, 4096, 65536}) {
            byte[] raw = periodic(period, n, period);
            byte[] enc = encode(raw, period);
            assertTrue(enc.length <= period + 16, "period " + period + " took " + enc.length);
            assertArrayEquals(raw, decode(enc, period, n));
        }
    }

    @Test
    void oneCorruptedByteCostsAFewBytes() throws Exception {
        int n = 1 << 20;
        for (int period : new int[] {1, 2, 251, 4096, 65536}) {
            byte[] raw = periodic(period, n, period);
            raw[n / 3 + 5] ^= 1;
            byte[] enc = encode(raw, period);
            assertTrue(enc.length <= period + 32, "period " + period + " took " + enc.length);
            assertArrayEquals(raw, decode(enc, period, n));
        }
    }

    @Test
    void phaseBreakResynchronises() throws Exception {
        // like a file made of 4 MiB chunks that each restart a 251-byte pattern
        int n = 1 << 20;
        byte[] pat = TestData.random(251, 251);
        byte[] raw = new byte[n];
        for (int i = 0; i < n; i++) {
            raw[i] = pat[(i % 100_000) % 251];
        }
        byte[] enc = encode(raw, 251);
        assertTrue(enc.length <= 251 + 16 * (n / 100_000 + 1), "took " + enc.length);
        assertArrayEquals(raw, decode(enc, 251, n));
    }

    @Test
    void randomDataRoundTripsWithinTheBound() throws Exception {
        byte[] raw = TestData.random(7, 200_000);
        byte[] enc = encode(raw, 300);
        assertTrue(enc.length <= t.maxEncodedLength(raw.length, 300));
        assertArrayEquals(raw, decode(enc, 300, raw.length));
    }

    @Test
    void rejectsDamagedEncodingsOnlyWithCorruptDataException() throws Exception {
        byte[] raw = periodic(251, 50_000, 3);
        raw[1000] = 9;
        raw[30_000] = 4;
        byte[] enc = encode(raw, 251);
        assertThrows(CorruptDataException.class, () -> decode(Arrays.copyOf(enc, enc.length - 1), 251, raw.length));
        assertThrows(CorruptDataException.class, () -> decode(Arrays.copyOf(enc, enc.length + 1), 251, raw.length));
        assertThrows(CorruptDataException.class, () -> decode(enc, 251, raw.length + 1));
        assertThrows(CorruptDataException.class, () -> decode(enc, 0, raw.length));
        assertThrows(CorruptDataException.class, () -> decode(enc, 65537, raw.length));
        Random r = new Random(1);
        for (int k = 0; k < 20_000; k++) {
            byte[] bad = enc.clone();
            int flips = 1 + r.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bad[251 + r.nextInt(bad.length - 251)] = (byte) r.nextInt(256);
            }
            byte[] cut = Arrays.copyOf(bad, 251 + r.nextInt(bad.length - 250));
            try {
                decode(r.nextBoolean() ? bad : cut, 251, raw.length);
            } catch (CorruptDataException expected) {
                // the only allowed failure
            }
        }
    }
}
