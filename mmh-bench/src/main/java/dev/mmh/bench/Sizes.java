package dev.mmh.bench;

import java.util.Locale;

/** Byte counts on the command line and in reports. Decimal units: 1M = 10^6 bytes; KiB/MiB/GiB are binary. */
public final class Sizes {
    private Sizes() {
    }

    /**
     * Parses {@code 1M}, {@code 10G}, {@code 512K}, {@code 64KiB}, {@code 1000000} or {@code 3MB}.
     *
     * @throws IllegalArgumentException naming the text when it is not a size
     */
    public static long parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("not a size: '" + text + "' (examples: 1M, 10G, 65536, 64KiB)");
        }
        double number;
        try {
            number = Double.parseDouble(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + text + "'");
        }
        String unit = s.substring(i).trim();
        double factor;
        switch (unit) {
            case "": case "B": factor = 1; break;
            case "K": case "KB": factor = 1e3; break;
            case "M": case "MB": factor = 1e6; break;
            case "G": case "GB": factor = 1e9; break;
            case "T": case "TB": factor = 1e12; break;
            case "KI": case "KIB": factor = 1024.0; break;
            case "MI": case "MIB": factor = 1024.0 * 1024; break;
            case "GI": case "GIB": factor = 1024.0 * 1024 * 1024; break;
            default: throw new IllegalArgumentException("unknown size unit in '" + text + "' (use K, M, G, T or KiB, MiB, GiB)");
        }
        double bytes = number * factor;
        if (bytes < 0 || bytes > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("size out of range: '" + text + "'");
        }
        return Math.round(bytes);
    }

    /** A short decimal label: {@code 1M}, {@code 10G}, {@code 1.5M}, {@code 123} (bytes below 1000). */
    public static String label(long bytes) {
        String[] units = {"", "K", "M", "G", "T"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        if (v == Math.rint(v)) {
            return (long) v + units[u];
        }
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("\\.?0+$", "") + units[u];
    }
}
