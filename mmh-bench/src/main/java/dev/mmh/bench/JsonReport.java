package dev.mmh.bench;

import dev.mmh.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Report} as JSON: {@code machine}, {@code settings}, {@code units}, {@code inputs}, {@code results}
 * (one object per row with medians, spreads and every run) and {@code notes}/{@code failures}. Speeds in MB/s
 * (10^6 bytes/s), times in seconds, memory in KiB; unknown numbers are null.
 */
public final class JsonReport {
    /** Version of this layout; bumped when a field changes meaning or disappears. */
    public static final int SCHEMA = 1;

    private JsonReport() {
    }

    /** Writes the report to {@code file}, replacing it atomically: a reader never sees a partial report. */
    public static void write(Report report, Path file) throws IOException {
        ReportFile.write(file, toJson(report));
    }

    public static String toJson(Report report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", SCHEMA);
        root.put("generator", "mmh bench");
        root.put("units", Report.UNITS);
        root.put("modes", Report.MODES);
        root.put("machine", report.machine());
        root.put("settings", report.settings());
        List<Object> inputs = new ArrayList<>();
        for (BenchInput in : report.inputs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", in.name());
            m.put("origin", in.origin());
            m.put("files", in.files().size());
            m.put("bytes", in.totalBytes());
            inputs.add(m);
        }
        root.put("inputs", inputs);
        List<Object> results = new ArrayList<>();
        for (Row r : report.rows()) {
            results.add(row(r));
        }
        root.put("results", results);
        root.put("notes", report.notes());
        root.put("failures", report.failures());
        return Json.write(root);
    }

    private static Map<String, Object> row(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", r.input());
        m.put("mode", r.mode().label());
        m.put("tool", r.tool());
        m.put("family", r.family());
        m.put("level", r.level());
        m.put("threads", r.threads());
        m.put("command", r.command());
        m.put("status", r.status());
        m.put("error", r.failure());
        m.put("skipped", r.skipped());
        m.put("raw_bytes", r.rawBytes());
        m.put("files", r.files());
        m.put("compressed_bytes", r.ok() ? r.compressedBytes() : null);
        m.put("ratio", r.ratio());
        m.put("compress_mb_per_s", stats(r.compressSpeed()));
        m.put("decompress_mb_per_s", stats(r.decompressSpeed()));
        m.put("compress_cpu_s", stats(r.compressCpu()));
        m.put("decompress_cpu_s", stats(r.decompressCpu()));
        m.put("compress_peak_rss_kib", r.compressRssKiB());
        m.put("decompress_peak_rss_kib", r.decompressRssKiB());
        List<Object> runs = new ArrayList<>();
        for (Sample s : r.samples()) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("compressed_bytes", s.compressedBytes());
            run.put("compress_s", s.compress().wallSeconds());
            run.put("compress_cpu_s", s.compress().cpuSeconds());
            run.put("compress_peak_rss_kib", s.compress().peakRssKiB());
            run.put("decompress_s", s.decompress().wallSeconds());
            run.put("decompress_cpu_s", s.decompress().cpuSeconds());
            run.put("decompress_peak_rss_kib", s.decompress().peakRssKiB());
            runs.add(run);
        }
        m.put("runs", runs);
        return m;
    }

    private static Map<String, Object> stats(Stats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", s.median());
        m.put("min", s.min());
        m.put("max", s.max());
        m.put("q1", s.q1());
        m.put("q3", s.q3());
        m.put("n", s.n());
        return m;
    }
}
