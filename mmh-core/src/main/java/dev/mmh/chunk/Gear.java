package dev.mmh.chunk;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gear table of FastCDC: 256 pseudo-random 64-bit values, the successive outputs of splitmix64 started at a
 * seed ({@code docs/CHUNKING.md} gives the exact steps). Thread-safe; tables are cached per seed.
 */
final class Gear {
    /** splitmix64's increment (the odd integer nearest 2^64 / golden ratio) and its two multipliers. */
    static final long GAMMA = 0x9E3779B97F4A7C15L;
    static final long M1 = 0xBF58476D1CE4E5B9L;
    static final long M2 = 0x94D049BB133111EBL;

    /** A few seeds per process in practice (0, or one per encrypted archive): cache them, but not without bound. */
    private static final int CACHE_LIMIT = 64;
    private static final Map<Long, long[]> CACHE = new ConcurrentHashMap<>();

    private Gear() {
    }

    /** A new copy of the table for {@code seed}. */
    static long[] table(long seed) {
        return shared(seed).clone();
    }

    /** The cached table for {@code seed}: never modify it. */
    static long[] shared(long seed) {
        long[] t = CACHE.get(seed);
        if (t == null) {
            t = compute(seed);
            if (CACHE.size() < CACHE_LIMIT) {
                CACHE.putIfAbsent(seed, t);
            }
        }
        return t;
    }

    private static long[] compute(long seed) {
        long[] t = new long[256];
        long state = seed;
        for (int i = 0; i < 256; i++) {
            state += GAMMA;
            t[i] = mix(state);
        }
        return t;
    }

    /** splitmix64's output function of one state. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * M1;
        z = (z ^ (z >>> 27)) * M2;
        return z ^ (z >>> 31);
    }
}
