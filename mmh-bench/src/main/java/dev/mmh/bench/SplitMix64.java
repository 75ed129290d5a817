package dev.mmh.bench;

/**
 * SplitMix64 (Steele, Lea and Flood, 2014), written out so that the generated benchmark data is the same on every
 * JVM and machine: only 64-bit integer arithmetic, no platform- or version-dependent helpers. Not thread-safe.
 */
public final class SplitMix64 {
    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** Next 64 uniformly distributed bits. */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A value in [0, bound) by multiply-shift of the top 32 bits (bias below 2^-32 per draw; fine for test data). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** A value in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** An approximately normal value (mean 0, standard deviation 1): the sum of four uniforms, rescaled. */
    public double nextNormalish() {
        double s = nextDouble() + nextDouble() + nextDouble() + nextDouble();
        return (s - 2.0) * 1.7320508075688772; // Irwin-Hall(4) has variance 1/3
    }
}
