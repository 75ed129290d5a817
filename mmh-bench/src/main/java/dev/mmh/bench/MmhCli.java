package dev.mmh.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The mmh command line as a {@link Runner}: the launcher, then {@code compress}/{@code decompress} as filters. */
final class MmhCli {
    private MmhCli() {
    }

    /**
     * The launcher command: {@code --mmh CMD} split on spaces when given, else {@code ./mmh} in the working folder or
     * the nearest folder above it that has one.
     */
    static Optional<List<String>> launcher(String option, Path workingDir) {
        if (option != null && !option.isBlank()) {
            return Optional.of(Arrays.asList(option.trim().split("\\s+")));
        }
        for (Path d = workingDir.toAbsolutePath(); d != null; d = d.getParent()) {
            Path m = d.resolve("mmh");
            if (Files.isRegularFile(m) && Files.isExecutable(m)) {
                return Optional.of(List.of(m.toString()));
            }
        }
        return Optional.empty();
    }

    static Runner runner(List<String> launcher, String codec, int level, int threads, long blockSize, ProcessMeter meter) {
        List<String> c = new ArrayList<>(launcher);
        c.addAll(List.of("compress", "-q", "-c"));
        if (codec.equals(CodecChoice.AUTO)) {
            if (level != CodecChoice.AUTO_DEFAULT) {
                c.add(level == CodecChoice.AUTO_FAST ? "--fast" : "--max");
            }
        } else {
            c.addAll(List.of("--codec", codec, "-l", Integer.toString(level)));
        }
        c.addAll(List.of("-T", Integer.toString(threads)));
        if (blockSize > 0) {
            c.addAll(List.of("-B", Long.toString(blockSize)));
        }
        c.add("-");
        List<String> d = new ArrayList<>(launcher);
        d.addAll(List.of("decompress", "-q", "-c", "-T", Integer.toString(threads), "-"));
        return new ToolRunner(Runner.Mode.CLI, "mmh", codec, level, threads, c, d, meter);
    }

    /** {@code mmh gzip} as a filter: standard gzip output made in parallel, compared with gzip and pigz. */
    static Runner gzipRunner(List<String> launcher, int level, int threads, ProcessMeter meter) {
        List<String> c = new ArrayList<>(launcher);
        c.addAll(List.of("gzip", "-c", "-q", "-" + level, "-p", Integer.toString(threads)));
        List<String> d = new ArrayList<>(launcher);
        d.addAll(List.of("gzip", "-d", "-c", "-q", "-p", Integer.toString(threads)));
        return new ToolRunner(Runner.Mode.CLI, Runner.MMH_GZIP, "deflate", level, threads, c, d, meter);
    }
}
