package dev.mmh.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a {@link Report} as Markdown: the machine, the units, then one table per input. */
public final class MarkdownReport {
    /** Column headers of each table, in order. */
    public static final List<String> COLUMNS = List.of("runner", "tool", "level", "threads", "ratio",
            "compress MB/s", "decompress MB/s", "compress CPU s", "decompress CPU s", "compress RSS MiB",
            "decompress RSS MiB", "status");

    private MarkdownReport() {
    }

    public static void write(Report report, PrintWriter out) {
        out.println("# mmh bench");
        out.println();
        for (Map.Entry<String, String> e : report.machine().entrySet()) {
            out.println("- " + e.getKey() + ": " + e.getValue());
        }
        for (Map.Entry<String, String> e : report.settings().entrySet()) {
            out.println("- " + e.getKey() + ": " + e.getValue());
        }
        out.println();
        out.println(Report.UNITS);
        out.println();
        out.println(Report.MODES);
        for (BenchInput in : report.inputs()) {
            out.println();
            out.printf(Locale.ROOT, "## %s%n%n%s: %d file%s, %,d bytes%n%n", in.name(), in.origin(), in.files().size(),
                    in.files().size() == 1 ? "" : "s", in.totalBytes());
            out.println("| " + String.join(" | ", COLUMNS) + " |");
            StringBuilder sep = new StringBuilder("|");
            for (int i = 0; i < COLUMNS.size(); i++) {
                sep.append(i < 2 || i == COLUMNS.size() - 1 ? "---|" : "---:|");
            }
            out.println(sep);
            for (Row r : report.rows()) {
                if (r.input().equals(in.name())) {
                    out.println(line(r));
                }
            }
        }
        if (!report.notes().isEmpty()) {
            out.println();
            out.println("Notes:");
            report.notes().forEach(n -> out.println("- " + n));
        }
        if (!report.failures().isEmpty()) {
            out.println();
            out.println("**FAILED:**");
            report.failures().forEach(f -> out.println("- " + escape(f)));
        }
        out.flush();
    }

    static String line(Row r) {
        String status = r.ok() ? "ok" : "**FAILED**: " + escape(r.failure() == null ? "no runs" : r.failure());
        return "| " + String.join(" | ", r.mode().label(), r.seriesName(), Integer.toString(r.level()),
                Integer.toString(r.threads()), r.ok() ? fixed(r.ratio(), 3) : "-", r.ok() ? speed(r.compressSpeed()) : "-",
                r.ok() ? speed(r.decompressSpeed()) : "-", r.ok() ? fixed(r.compressCpu().median(), 3) : "-",
                r.ok() ? fixed(r.decompressCpu().median(), 3) : "-", mib(r.compressRssKiB()), mib(r.decompressRssKiB()),
                status) + " |";
    }

    static String speed(Stats s) {
        if (s.n() == 1) {
            return number(s.median());
        }
        return number(s.median()) + " [" + number(s.min()) + "-" + number(s.max()) + "]";
    }

    /** Three significant digits, at least one decimal below 100. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String mib(long kib) {
        return kib < 0 ? "-" : String.format(Locale.ROOT, "%.1f", kib / 1024.0);
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
