package dev.mmh.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The results of one runner (tool, level, threads) on one input: its samples, or the reason it failed. Speeds are
 * in MB/s of uncompressed data, MB = 10^6 bytes. Mutable while the bench runs; not thread-safe.
 */
public final class Row {
    private final String input;
    private final long rawBytes;
    private final int files;
    private final Runner.Mode mode;
    private final String tool;
    private final String family;
    private final int level;
    private final int threads;
    private final List<Sample> samples = new ArrayList<>();
    private String failure;

    public Row(String input, long rawBytes, int files, Runner.Mode mode, String tool, String family, int level, int threads) {
        this.input = input;
        this.rawBytes = rawBytes;
        this.files = files;
        this.mode = mode;
        this.tool = tool;
        this.family = family;
        this.level = level;
        this.threads = threads;
    }

    static Row of(BenchInput in, Runner r) {
        return new Row(in.name(), in.totalBytes(), in.files().size(), r.mode(), r.tool(), r.family(), r.level(), r.threads());
    }

    public void add(Sample s) {
        samples.add(s);
    }

    /** Marks the row failed; later samples are not taken. The first reason is kept. */
    public void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    public boolean ok() {
        return failure == null && !samples.isEmpty();
    }

    public String failure() {
        return failure;
    }

    public String input() {
        return input;
    }

    public long rawBytes() {
        return rawBytes;
    }

    public int files() {
        return files;
    }

    public Runner.Mode mode() {
        return mode;
    }

    public String tool() {
        return tool;
    }

    public String family() {
        return family;
    }

    public int level() {
        return level;
    }

    public int threads() {
        return threads;
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Name for legends and tables: {@code zstd}, {@code mmh lib zstd}, {@code mmh cli zstd}. */
    public String seriesName() {
        return mode == Runner.Mode.TOOL ? tool : "mmh " + mode.label() + " " + family;
    }

    /** Median compressed size over the samples (a deterministic compressor gives the same size every run). */
    public long compressedBytes() {
        return (long) stats(s -> s.compressedBytes()).median();
    }

    /** Uncompressed / compressed bytes; NaN without samples. */
    public double ratio() {
        long c = compressedBytes();
        return samples.isEmpty() || c == 0 ? Double.NaN : (double) rawBytes / c;
    }

    public Stats compressSpeed() {
        return stats(s -> rawBytes / s.compress().wallSeconds() / 1e6);
    }

    public Stats decompressSpeed() {
        return stats(s -> rawBytes / s.decompress().wallSeconds() / 1e6);
    }

    public Stats compressCpu() {
        return stats(s -> s.compress().cpuSeconds());
    }

    public Stats decompressCpu() {
        return stats(s -> s.decompress().cpuSeconds());
    }

    /** Largest peak RSS over the compression runs in KiB, -1 when unknown. */
    public long compressRssKiB() {
        return samples.stream().mapToLong(s -> s.compress().peakRssKiB()).max().orElse(-1);
    }

    public long decompressRssKiB() {
        return samples.stream().mapToLong(s -> s.decompress().peakRssKiB()).max().orElse(-1);
    }

    private Stats stats(ToDoubleFunction<Sample> f) {
        return Stats.of(samples.stream().mapToDouble(f).toArray());
    }
}
