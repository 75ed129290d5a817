package dev.mmh.cli;

import java.util.Locale;
import picocli.CommandLine;

/**
 * Parses sizes such as {@code 4M}, {@code 512KiB}, {@code 1GiB} or {@code 1048576}. K, M, G (with or without
 * "iB") are powers of 1024; KB, MB, GB are powers of 1000.
 */
public final class SizeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        return parse(value);
    }

    public static long parse(String value) {
        String v = value.trim();
        String lower = v.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < lower.length() && (Character.isDigit(lower.charAt(i)) || lower.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a size (e.g. 4M, 1GiB, 65536)");
        }
        double n;
        try {
            n = Double.parseDouble(lower.substring(0, i));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a size (e.g. 4M, 1GiB, 65536)");
        }
        long mult = switch (lower.substring(i).trim()) {
            case "", "b" -> 1L;
            case "k", "kib", "ki" -> 1L << 10;
            case "m", "mib", "mi" -> 1L << 20;
            case "g", "gib", "gi" -> 1L << 30;
            case "t", "tib", "ti" -> 1L << 40;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            default -> throw new CommandLine.TypeConversionException("unknown size unit in '" + value
                    + "' (use K, M, G, KiB, MiB, GiB, KB, MB, GB)");
        };
        double bytes = n * mult;
        if (bytes > Long.MAX_VALUE / 2) {
            throw new CommandLine.TypeConversionException("size '" + value + "' is too large");
        }
        return (long) bytes;
    }
}
