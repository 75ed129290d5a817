package dev.mmh.chunk;

import java.util.ArrayList;
import java.util.List;

/**
 * docs/CHUNKING.md written out as plainly as possible, for the tests: the gear table from splitmix64, the masks from
 * their definition, a hash from each chunk's first byte and one test per byte, no skipping and no clamping. The
 * production loops (FastCdc, mmhcdc.h) must give exactly its cuts.
 */
final class ReferenceCdc {
    private ReferenceCdc() {
    }

    /** splitmix64's outputs 1..256 from {@code seed}. */
    static long[] gear(long seed) {
        long[] g = new long[256];
        long x = seed;
        for (int i = 0; i < 256; i++) {
            x += 0x9E3779B97F4A7C15L;
            long z = x;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            g[i] = z ^ (z >>> 31);
        }
        return g;
    }

    /** A 64-bit mask whose {@code k} most significant bits are set, built bit by bit. */
    static long topBitsMask(int k) {
        long m = 0;
        for (int bit = 63; bit > 63 - k; bit--) {
            m |= 1L << bit;
        }
        return m;
    }

    /** The end offset of every chunk of {@code data}, forced cuts at {@code forced} (increasing, any values). */
    static List<Long> cuts(byte[] data, int min, int avg, int max, long seed, long... forced) {
        long[] g = gear(seed);
        int bits = 0;
        while ((1 << bits) < avg) {
            bits++;
        }
        long maskS = topBitsMask(bits + 2);
        long maskL = topBitsMask(bits - 2);
        List<Long> out = new ArrayList<>();
        int segStart = 0;
        List<Long> ends = new ArrayList<>();
        for (long f : forced) {
            if (f > 0 && f < data.length) {
                ends.add(f);
            }
        }
        ends.add((long) data.length);
        for (long segEnd : ends) {
            if (segEnd <= segStart) {
                continue;
            }
            int start = segStart;
            long h = 0;
            for (int i = start; i < segEnd; i++) {
                h = (h << 1) + g[data[i] & 0xFF];
                int length = i - start + 1;
                boolean cut = length >= max
                        || length >= min && (h & (length < avg ? maskS : maskL)) == 0;
                if (cut) {
                    out.add((long) i + 1);
                    start = i + 1;
                    h = 0;
                }
            }
            if (start < segEnd) {
                out.add(segEnd);
            }
            segStart = (int) segEnd;
        }
        return out;
    }
}
