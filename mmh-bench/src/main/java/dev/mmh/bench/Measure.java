package dev.mmh.bench;

/**
 * One timed step (a compression or a decompression of one file).
 *
 * @param wallSeconds elapsed time
 * @param cpuSeconds user + system CPU time of the process doing the work (the child process for tools and the
 *     CLI; the whole JVM for in-process runs); NaN when unknown
 * @param peakRssKiB peak resident set size of that process in KiB (1024 bytes); -1 when unknown
 */
public record Measure(double wallSeconds, double cpuSeconds, long peakRssKiB) {
    /** Sum of times and the larger peak: the figures of two steps done one after the other. */
    public Measure plus(Measure o) {
        return new Measure(wallSeconds + o.wallSeconds, cpuSeconds + o.cpuSeconds, Math.max(peakRssKiB, o.peakRssKiB));
    }

    public static final Measure ZERO = new Measure(0, 0, -1);
}
