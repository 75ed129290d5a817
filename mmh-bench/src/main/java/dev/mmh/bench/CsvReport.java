package dev.mmh.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link Report} as CSV (RFC 4180 quoting), one line per row: medians and min/max of the speeds in MB/s
 * (10^6 bytes/s), CPU seconds, peak RSS in KiB. Unknown numbers are empty cells.
 */
public final class CsvReport {
    /** The header line's columns, in order. */
    public static final List<String> COLUMNS = List.of("input", "mode", "tool", "family", "level", "threads", "status",
            "raw_bytes", "files", "compressed_bytes", "ratio", "compress_mb_s_median", "compress_mb_s_min",
            "compress_mb_s_max", "decompress_mb_s_median", "decompress_mb_s_min", "decompress_mb_s_max",
            "compress_cpu_s_median", "decompress_cpu_s_median", "compress_peak_rss_kib", "decompress_peak_rss_kib",
            "runs", "error");

    private CsvReport() {
    }

    /** Writes the report to {@code file}, replacing it atomically: a reader never sees a partial report. */
    public static void write(Report report, Path file) throws IOException {
        ReportFile.write(file, toCsv(report));
    }

    public static String toCsv(Report report) {
        StringBuilder b = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (Row r : report.rows()) {
            boolean ok = r.ok();
            List<String> cells = List.of(r.input(), r.mode().label(), r.tool(), r.family(), Integer.toString(r.level()),
                    Integer.toString(r.threads()), r.status(), Long.toString(r.rawBytes()),
                    Integer.toString(r.files()), ok ? Long.toString(r.compressedBytes()) : "", num(r.ratio()),
                    num(r.compressSpeed().median()), num(r.compressSpeed().min()), num(r.compressSpeed().max()),
                    num(r.decompressSpeed().median()), num(r.decompressSpeed().min()), num(r.decompressSpeed().max()),
                    num(r.compressCpu().median()), num(r.decompressCpu().median()),
                    r.compressRssKiB() < 0 ? "" : Long.toString(r.compressRssKiB()),
                    r.decompressRssKiB() < 0 ? "" : Long.toString(r.decompressRssKiB()),
                    Integer.toString(r.samples().size()), r.failure() != null ? r.failure() : r.skipped() != null ? r.skipped() : "");
            for (int i = 0; i < cells.size(); i++) {
                b.append(i == 0 ? "" : ",").append(quote(cells.get(i)));
            }
            b.append("\r\n");
        }
        return b.toString();
    }

    static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, "%.6g", v).trim();
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
