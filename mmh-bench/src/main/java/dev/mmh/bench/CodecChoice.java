package dev.mmh.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A codec family and the levels to run it at, from {@code --codecs}: {@code zstd:1,3,19}, {@code lz4},
 * {@code xz:6}, {@code zstd:1..5}, {@code gzip:6} (gzip is the deflate family: mmh's deflate, gzip, pigz and
 * libdeflate-gzip), {@code auto:fast,default} (mmh's content-aware mode). The same levels apply to mmh and to every
 * system tool of the family.
 *
 * @param family codec family name (zstd, lz4, xz, deflate, brotli, bzip2)
 * @param levels levels in the order given
 */
public record CodecChoice(String family, List<Integer> levels) {
    /**
     * mmh's content-aware mode (no codec given: mmh analyses each block and picks transform, codec and level).
     * Its levels are the goals: {@link #AUTO_FAST} ({@code --fast}), {@link #AUTO_DEFAULT}, {@link #AUTO_MAX}
     * ({@code --max}); on the command line {@code auto:fast,default,max} or {@code auto:1,2,3}. mmh only.
     */
    public static final String AUTO = "auto";
    public static final int AUTO_FAST = 1;
    public static final int AUTO_DEFAULT = 2;
    public static final int AUTO_MAX = 3;

    /** The default set: fast, default and strong levels of each family. */
    public static final List<String> DEFAULT = List.of("auto:fast,default", "zstd:1,3,9,19", "lz4:1,9", "deflate:1,6,9", "xz:1,6",
            "brotli:1,5,9", "bzip2:9");
    /** The set of {@code --quick}: one or two levels each. */
    public static final List<String> QUICK = List.of("auto:default", "zstd:1,3", "lz4:1", "deflate:6", "xz:6", "brotli:5", "bzip2:9");

    private static final Map<String, String> ALIASES = Map.ofEntries(Map.entry("zstd", "zstd"), Map.entry("zstandard", "zstd"),
            Map.entry("lz4", "lz4"), Map.entry("xz", "xz"), Map.entry("lzma", "xz"), Map.entry("deflate", "deflate"),
            Map.entry("gzip", "deflate"), Map.entry("gz", "deflate"), Map.entry("zlib", "deflate"),
            Map.entry("brotli", "brotli"), Map.entry("br", "brotli"), Map.entry("bzip2", "bzip2"), Map.entry("bz2", "bzip2"),
            Map.entry(AUTO, AUTO));
    private static final Map<String, Integer> DEFAULT_LEVEL = Map.of("zstd", 3, "lz4", 1, "xz", 6, "deflate", 6,
            "brotli", 5, "bzip2", 9, AUTO, AUTO_DEFAULT);

    public CodecChoice {
        levels = List.copyOf(levels);
    }

    /** Whether {@code token} names a codec family (with or without levels), as opposed to, say, a path. */
    public static boolean looksLikeSpec(String token) {
        String s = token.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        return ALIASES.containsKey(colon < 0 ? s : s.substring(0, colon));
    }

    /**
     * Parses {@code --codecs} values.
     *
     * @throws IllegalArgumentException naming the bad value and the known families
     */
    public static List<CodecChoice> parse(List<String> specs) {
        List<CodecChoice> out = new ArrayList<>();
        for (String spec : specs) {
            String s = spec.trim().toLowerCase(Locale.ROOT);
            int colon = s.indexOf(':');
            String name = colon < 0 ? s : s.substring(0, colon);
            String family = ALIASES.get(name);
            if (family == null) {
                throw new IllegalArgumentException("unknown codec '" + spec + "' in --codecs (known: zstd, lz4, xz,"
                        + " deflate/gzip, brotli, bzip2); put PATHs before --codecs or after --");
            }
            List<Integer> levels = new ArrayList<>();
            if (colon < 0) {
                levels.add(DEFAULT_LEVEL.get(family));
            } else {
                for (String part : s.substring(colon + 1).split(",")) {
                    String p = part.trim();
                    if (family.equals(AUTO) && List.of("fast", "default", "max").contains(p)) {
                        levels.add(p.equals("fast") ? AUTO_FAST : p.equals("max") ? AUTO_MAX : AUTO_DEFAULT);
                    } else {
                        levels.addAll(levelRange(spec, p));
                    }
                }
                if (family.equals(AUTO) && levels.stream().anyMatch(l -> l < AUTO_FAST || l > AUTO_MAX)) {
                    throw new IllegalArgumentException("auto levels are fast, default, max (or 1, 2, 3): '" + spec + "'");
                }
            }
            out.add(new CodecChoice(family, levels));
        }
        return out;
    }

    private static List<Integer> levelRange(String spec, String part) {
        try {
            int dots = part.indexOf("..");
            if (dots < 0) {
                return List.of(Integer.parseInt(part));
            }
            int from = Integer.parseInt(part.substring(0, dots));
            int to = Integer.parseInt(part.substring(dots + 2));
            if (to < from || to - from > 64) {
                throw new IllegalArgumentException("bad level range '" + part + "' in '" + spec + "'");
            }
            Integer[] r = new Integer[to - from + 1];
            for (int i = 0; i < r.length; i++) {
                r[i] = from + i;
            }
            return Arrays.asList(r);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad level '" + part + "' in '" + spec + "' (e.g. zstd:1,3,19 or zstd:1..5)");
        }
    }
}
