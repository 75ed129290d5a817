package dev.mmh.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How to run one system compressor as a stdin-to-stdout filter.
 *
 * @param name program name looked up on PATH
 * @param family codec family (formats the tools of one family write are comparable, not always identical)
 * @param minLevel lowest level the tool accepts
 * @param maxLevel highest level the tool accepts
 * @param threaded whether the tool takes a thread count
 */
public record ToolSpec(String name, String family, int minLevel, int maxLevel, boolean threaded) {
    /** The tools mmh bench knows, in report order. */
    public static final List<ToolSpec> ALL = List.of(
            new ToolSpec("zstd", "zstd", 1, 22, true),
            new ToolSpec("lz4", "lz4", 1, 12, false),
            new ToolSpec("xz", "xz", 0, 9, true),
            new ToolSpec("gzip", "deflate", 1, 9, false),
            new ToolSpec("pigz", "deflate", 1, 9, true),
            new ToolSpec("libdeflate-gzip", "deflate", 1, 12, false),
            new ToolSpec("brotli", "brotli", 0, 11, false),
            new ToolSpec("bzip2", "bzip2", 1, 9, false));

    /** The tool with this name, if known. */
    public static Optional<ToolSpec> byName(String name) {
        return ALL.stream().filter(t -> t.name.equals(name)).findFirst();
    }

    /** Arguments (after the program) that compress stdin to stdout. */
    public List<String> compressArgs(int level, int threads) {
        List<String> a = new ArrayList<>();
        switch (name) {
            case "zstd":
                a.addAll(List.of("-q", "-c", "-" + level, "-T" + threads));
                if (level > 19) {
                    a.add("--ultra");
                }
                break;
            case "xz":
                a.addAll(List.of("-q", "-c", "-" + level, "-T" + threads));
                break;
            case "pigz":
                a.addAll(List.of("-c", "-" + level, "-p", Integer.toString(threads)));
                break;
            case "brotli":
                a.addAll(List.of("-c", "-q", Integer.toString(level)));
                break;
            case "lz4":
                a.addAll(List.of("-q", "-c", "-" + level));
                break;
            default: // gzip, libdeflate-gzip, bzip2
                a.addAll(List.of("-c", "-" + level));
        }
        return a;
    }

    /** Arguments that decompress stdin to stdout. */
    public List<String> decompressArgs(int threads) {
        switch (name) {
            case "zstd":
            case "lz4":
                return List.of("-q", "-d", "-c");
            case "xz":
                return List.of("-q", "-d", "-c", "-T" + threads);
            case "pigz":
                return List.of("-d", "-c", "-p", Integer.toString(threads));
            default:
                return List.of("-d", "-c");
        }
    }

    /** Arguments that print the version. */
    public List<String> versionArgs() {
        switch (name) {
            case "zstd":
            case "lz4":
            case "libdeflate-gzip":
                return List.of("-V");
            case "bzip2":
                return List.of("--help");
            default:
                return List.of("--version");
        }
    }

    public boolean acceptsLevel(int level) {
        return level >= minLevel && level <= maxLevel;
    }

    /** The first executable with this tool's name in the directories of {@code path} (a PATH value). */
    public Optional<Path> locate(String path) {
        return locate(name, path);
    }

    /** The first executable called {@code program} in the directories of {@code path} (a PATH value, may be null). */
    public static Optional<Path> locate(String program, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
