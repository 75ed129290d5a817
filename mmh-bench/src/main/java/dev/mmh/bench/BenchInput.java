package dev.mmh.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * One row group of the report: a set of files measured together. Each file is compressed on its own (one process
 * or one library call per file) and the figures are totals over the set, so a folder of small files shows the
 * per-file overhead people pay in practice.
 *
 * @param name short name used in the table and in chart file names
 * @param origin where the data came from (a path, a corpus set, a generator setting)
 * @param files the files, with the size and XXH64 the round trip must reproduce
 */
public record BenchInput(String name, String origin, List<File> files) {
    public BenchInput {
        files = List.copyOf(files);
    }

    /** One file of an input. */
    public record File(Path path, long size, long hash) {
    }

    public long totalBytes() {
        return files.stream().mapToLong(File::size).sum();
    }
}
