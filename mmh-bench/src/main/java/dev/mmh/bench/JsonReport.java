package dev.mmh.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    public static void write(Report report, Path file) throws IOException {
        Files.writeString(file, toJson(report), StandardCharsets.UTF_8);
    }

    public static String toJson(Report report) {
        Json j = new Json().beginObject();
        j.field("schema", SCHEMA).field("generator", "mmh bench");
        j.field("units", Report.UNITS).field("modes", Report.MODES);
        map(j.name("machine"), report.machine());
        map(j.name("settings"), report.settings());
        j.name("inputs").beginArray();
        for (BenchInput in : report.inputs()) {
            j.beginObject().field("name", in.name()).field("origin", in.origin())
                    .field("files", in.files().size()).field("bytes", in.totalBytes()).endObject();
        }
        j.endArray();
        j.name("results").beginArray();
        for (Row r : report.rows()) {
            j.beginObject();
            j.field("input", r.input()).field("mode", r.mode().label()).field("tool", r.tool())
                    .field("family", r.family()).field("level", r.level()).field("threads", r.threads());
            j.field("status", r.ok() ? "ok" : "failed").field("error", r.failure());
            j.field("raw_bytes", r.rawBytes()).field("files", r.files());
            j.field("compressed_bytes", r.ok() ? r.compressedBytes() : Double.NaN).field("ratio", r.ratio());
            stats(j.name("compress_mb_per_s"), r.compressSpeed());
            stats(j.name("decompress_mb_per_s"), r.decompressSpeed());
            stats(j.name("compress_cpu_s"), r.compressCpu());
            stats(j.name("decompress_cpu_s"), r.decompressCpu());
            j.field("compress_peak_rss_kib", r.compressRssKiB()).field("decompress_peak_rss_kib", r.decompressRssKiB());
            j.name("runs").beginArray();
            for (Sample s : r.samples()) {
                j.beginObject().field("compressed_bytes", s.compressedBytes())
                        .field("compress_s", s.compress().wallSeconds()).field("compress_cpu_s", s.compress().cpuSeconds())
                        .field("compress_peak_rss_kib", s.compress().peakRssKiB())
                        .field("decompress_s", s.decompress().wallSeconds())
                        .field("decompress_cpu_s", s.decompress().cpuSeconds())
                        .field("decompress_peak_rss_kib", s.decompress().peakRssKiB()).endObject();
            }
            j.endArray();
            j.endObject();
        }
        j.endArray();
        strings(j.name("notes"), report.notes());
        strings(j.name("failures"), report.failures());
        return j.endObject().toString();
    }

    private static void map(Json j, Map<String, String> m) {
        j.beginObject();
        m.forEach(j::field);
        j.endObject();
    }

    private static void stats(Json j, Stats s) {
        j.beginObject().field("median", s.median()).field("min", s.min()).field("max", s.max())
                .field("q1", s.q1()).field("q3", s.q3()).field("n", s.n()).endObject();
    }

    private static void strings(Json j, java.util.List<String> list) {
        j.beginArray();
        list.forEach(j::value);
        j.endArray();
    }
}
