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

    /**
     * {@code n} with a comma every three digits, as {@code %,d} in the ROOT locale prints it, without
     * String.format: its first use parses the pattern with regular expressions, which under the launcher's C1
     * compiler costs a repair of 100 MB a tenth of its time.
     */
    static String grouped(long n) {
        String digits = n < 0 ? Long.toString(n).substring(1) : Long.toString(n);
        StringBuilder b = new StringBuilder(digits.length() + digits.length() / 3 + 1);
        if (n < 0) {
            b.append('-');
        }
        int first = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
        b.append(digits, 0, first);
        for (int i = first; i < digits.length(); i += 3) {
            b.append(',').append(digits, i, i + 3);
        }
        return b.toString();
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
