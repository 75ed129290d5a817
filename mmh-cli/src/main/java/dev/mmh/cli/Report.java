package dev.mmh.cli;

import java.util.Locale;

/** Human-readable summaries. */
final class Report {
    private Report() {
    }

    static String line(String name, long raw, long packed, long nanos, String dest) {
        double secs = nanos / 1e9;
        double pct = raw == 0 ? 0 : 100.0 * packed / raw;
        return String.format(Locale.ROOT, "%s: %,d -> %,d bytes (%.2f%%) in %.2f s, %.1f MB/s => %s", name, raw, packed,
                pct, secs, secs > 0 ? raw / 1e6 / secs : 0, dest);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
