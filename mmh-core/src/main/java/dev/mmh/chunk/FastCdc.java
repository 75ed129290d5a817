package dev.mmh.chunk;

/**
 * FastCDC's cut search in Java, one chunk at a time ({@code mmhcdc.h} is the same loop in C; both follow
 * {@code docs/CHUNKING.md}). Stateless: the caller keeps the open chunk's state in a {@code long[2]}: the bytes of
 * the chunk already scanned, and the gear hash after them.
 */
final class FastCdc {
    private FastCdc() {
    }

    /**
     * Scans {@code b[off, off+len)}, the next bytes of the open chunk, for its end.
     *
     * @param state {@code {bytes of the chunk before b[off] (0 <= it < max), gear hash}}; on return the state after
     *     the scanned bytes, {@code {0, 0}} after a cut
     * @return the number of bytes from {@code off} up to and including the chunk's last byte, or {@code -1} when
     *     the chunk does not end within the range (all {@code len} bytes then belong to it)
     */
    static int scan(long[] gear, int min, int avg, int max, long maskS, long maskL, byte[] b, int off, int len,
            long[] state) {
        long h = state[1];
        int end = off + len;
        // buffer index of the chunk's first byte (may lie before the buffer): chunk byte k is b[base + k]
        long base = (long) off - state[0];
        // chunk bytes [0, min - 64) are not hashed: the hash at any length >= min no longer depends on them
        int i = clamp(base + min - ChunkerParams.WINDOW, off, end);
        // bytes [min - 64, min - 1) are hashed without a test: no chunk is shorter than min
        int stop = clamp(base + min - 1, i, end);
        for (; i < stop; i++) {
            h = (h << 1) + gear[b[i] & 0xFF];
        }
        // bytes [min - 1, avg - 1) end a chunk of min..avg-1 bytes where the stricter mask is zero
        stop = clamp(base + avg - 1, i, end);
        for (; i < stop; i++) {
            h = (h << 1) + gear[b[i] & 0xFF];
            if ((h & maskS) == 0) {
                return cut(state, i + 1 - off);
            }
        }
        // bytes [avg - 1, max - 1) end a chunk of avg..max-1 bytes where the looser mask is zero
        stop = clamp(base + max - 1, i, end);
        for (; i < stop; i++) {
            h = (h << 1) + gear[b[i] & 0xFF];
            if ((h & maskL) == 0) {
                return cut(state, i + 1 - off);
            }
        }
        // byte max - 1 ends the chunk whatever the hash
        if (i < end) {
            return cut(state, i + 1 - off);
        }
        state[0] = end - base;
        state[1] = h;
        return -1;
    }

    /** {@code v} limited to {@code [lo, hi]}. */
    private static int clamp(long v, int lo, int hi) {
        return (int) Math.max(lo, Math.min(v, hi));
    }

    private static int cut(long[] state, int n) {
        state[0] = 0;
        state[1] = 0;
        return n;
    }
}
