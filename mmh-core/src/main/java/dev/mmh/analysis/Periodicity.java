package dev.mmh.analysis;

import dev.mmh.transform.PeriodicTransform;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds the period of data that repeats, fast: candidate periods come from where a 32-byte window taken in the
 * middle of the block occurs again within 64 KiB, and a candidate is accepted when it holds at 256 positions spread over
 * the whole block. Costs at most a few hundred KiB of comparisons per block, whatever its size.
 */
public final class Periodicity {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int WINDOW = 32;
    private static final int CHECKS = 256;
    /** Candidates verified; bounds the cost on long runs inside non-periodic data. */
    private static final int MAX_CANDIDATES = 4;
    /** Share of checked positions that must agree; tolerates a few corrupted bytes and a phase break. */
    private static final double AGREE = 0.99;
    /** Periods shorter than this get no tolerance. */
    private static final int STRICT_BELOW = 8;

    private Periodicity() {
    }

    /** The smallest period (1..65536) that {@code b[off, off+len)} repeats with, or 0 if it is not periodic. */
    public static int find(byte[] b, int off, int len) {
        if (len < 64) {
            return 0;
        }
        int a = off + len / 2 - WINDOW;
        int limit = Math.min(PeriodicTransform.MAX_PERIOD, Math.min(len / 2, off + len - WINDOW - a));
        int tried = 0;
        long head = (long) LONGS.get(b, a);
        byte first = b[a];
        for (int d = 1; d <= limit && tried < MAX_CANDIDATES; d++) {
            // a byte compare first: the launcher's C1-compiled code makes every VarHandle read cost several ns
            if (b[a + d] != first || (long) LONGS.get(b, a + d) != head || !same(b, a, a + d)) {
                continue;
            }
            if (holds(b, off, len, d)) {
                return d;
            }
            tried++;
        }
        return 0;
    }

    private static boolean same(byte[] b, int x, int y) {
        for (int k = 0; k < WINDOW; k++) {
            if (b[x + k] != b[y + k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code b[i] == b[i + d]} at CHECKS positions spread over the block (pairs of 8 bytes each). Periods
     * below {@link #STRICT_BELOW} must hold everywhere checked: long runs and short repeats inside otherwise
     * varied data (images with black borders) must not pass, and every codec handles those well anyway.
     */
    static boolean holds(byte[] b, int off, int len, int d) {
        double tolerance = d < STRICT_BELOW ? 0 : 1 - AGREE;
        int span = len - d - 8;
        if (span <= 0) {
            return false;
        }
        int agree = 0;
        int total = 0;
        for (int k = 0; k < CHECKS; k++) {
            int i = off + (int) ((long) span * k / CHECKS);
            for (int j = 0; j < 8; j++) {
                if (b[i + j] == b[i + j + d]) {
                    agree++;
                }
                total++;
            }
            if (total - agree > tolerance * CHECKS * 8) {
                return false;
            }
        }
        return true;
    }
}
