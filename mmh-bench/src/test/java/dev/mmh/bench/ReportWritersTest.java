package dev.mmh.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWritersTest {
    /**
     * One input of 10^6 bytes; gzip -6 wrote 250,000 bytes in 0.5, 0.25 and 1.0 s (2, 4 and 1 MB/s) and decompressed
     * in 0.1, 0.2 and 0.4 s (10, 5, 2.5 MB/s); an mmh cli row failed.
     */
    static Report sample() {
        BenchInput in = new BenchInput("in1", "test data", List.of(new BenchInput.File(Path.of("a"), 1_000_000, 0)));
        Row ok = new Row("in1", 1_000_000, 1, Runner.Mode.TOOL, "gzip", "deflate", 6, 1);
        ok.add(new Sample(250_000, new Measure(0.5, 0.4, 2048), new Measure(0.1, 0.05, 1024)));
        ok.add(new Sample(250_000, new Measure(0.25, 0.2, 1024), new Measure(0.2, 0.10, 1024)));
        ok.add(new Sample(250_000, new Measure(1.0, 0.8, 1024), new Measure(0.4, 0.20, 512)));
        Row zstd = new Row("in1", 1_000_000, 1, Runner.Mode.LIB, "mmh", "zstd", 3, 2);
        zstd.add(new Sample(200_000, new Measure(0.01, 0.02, -1), new Measure(0.005, Double.NaN, -1)));
        Row bad = new Row("in1", 1_000_000, 1, Runner.Mode.CLI, "mmh", "zstd", 3, 2);
        bad.fail("boom, with | pipe and \"quotes\"");
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("cores", "2");
        return new Report(machine, Map.of("runs", "3"), List.of(in), List.of(ok, zstd, bad), List.of("a note"),
                List.of("mmh cli zstd -3 T2 on in1: boom"));
    }

    @Test
    void markdownHasOneTablePerInputWithMediansSpreadsAndFailures() {
        StringWriter w = new StringWriter();
        MarkdownReport.write(sample(), new PrintWriter(w));
        String md = w.toString();
        assertTrue(md.contains("10^6 bytes"), "units must be stated");
        assertTrue(md.contains("## in1"));
        assertTrue(md.contains("| " + String.join(" | ", MarkdownReport.COLUMNS) + " |"));
        List<String> lines = md.lines().filter(l -> l.startsWith("| ")).toList();
        assertEquals(4, lines.size(), md);
        assertEquals("| tool | gzip | 6 | 1 | 4.000 | 2.00 [1.00-4.00] | 5.00 [2.50-10.0] | 0.400 | 0.100 | 2.0 | 1.0 | ok |",
                lines.get(1));
        assertTrue(lines.get(2).startsWith("| lib | mmh lib zstd | 3 | 2 | 5.000 | 100 | 200 | 0.020 | - | - | - | ok |"),
                lines.get(2));
        assertTrue(lines.get(3).contains("**FAILED**: boom, with \\| pipe"), lines.get(3));
        assertTrue(lines.get(3).split("(?<!\\\\)\\|").length == lines.get(1).split("\\|").length,
                "a failed row keeps the column count");
        assertTrue(md.contains("**FAILED:**"));
        assertTrue(md.contains("- a note"));
    }

    @Test
    void jsonParsesAndCarriesMediansSpreadsRunsAndNulls() throws Exception {
        JsonNode root = new ObjectMapper().readTree(JsonReport.toJson(sample()));
        assertEquals(JsonReport.SCHEMA, root.get("schema").asInt());
        assertEquals("2", root.get("machine").get("cores").asText());
        assertEquals(1_000_000, root.get("inputs").get(0).get("bytes").asLong());
        JsonNode gzip = root.get("results").get(0);
        assertEquals("tool", gzip.get("mode").asText());
        assertEquals("ok", gzip.get("status").asText());
        assertEquals(4.0, gzip.get("ratio").asDouble(), 1e-9);
        assertEquals(250_000, gzip.get("compressed_bytes").asLong());
        assertEquals(2.0, gzip.get("compress_mb_per_s").get("median").asDouble(), 1e-9);
        assertEquals(1.0, gzip.get("compress_mb_per_s").get("min").asDouble(), 1e-9);
        assertEquals(4.0, gzip.get("compress_mb_per_s").get("max").asDouble(), 1e-9);
        assertEquals(5.0, gzip.get("decompress_mb_per_s").get("median").asDouble(), 1e-9);
        assertEquals(3, gzip.get("runs").size());
        assertEquals(0.25, gzip.get("runs").get(1).get("compress_s").asDouble(), 1e-12);
        assertEquals(2048, gzip.get("compress_peak_rss_kib").asLong());
        JsonNode lib = root.get("results").get(1);
        assertTrue(lib.get("decompress_cpu_s").get("median").isNull(), "NaN must be written as null");
        JsonNode bad = root.get("results").get(2);
        assertEquals("failed", bad.get("status").asText());
        assertEquals("boom, with | pipe and \"quotes\"", bad.get("error").asText());
        assertTrue(bad.get("ratio").isNull());
        assertEquals(1, root.get("failures").size());
    }

    @Test
    void jsonNumbersReadBackExactly() throws Exception {
        Row r = new Row("in1", 1_000_003, 1, Runner.Mode.TOOL, "gzip", "deflate", 6, 1);
        r.add(new Sample(333_333, new Measure(0.123456789, 0.1, 100), new Measure(0.0314159265, 0.02, 100)));
        Report report = new Report(Map.of(), Map.of(), List.of(), List.of(r), List.of(), List.of());
        JsonNode row = new ObjectMapper().readTree(JsonReport.toJson(report)).get("results").get(0);
        assertEquals(r.ratio(), row.get("ratio").doubleValue(), "ratio to the last bit");
        assertEquals(r.compressSpeed().median(), row.get("compress_mb_per_s").get("median").doubleValue());
        assertEquals(r.decompressSpeed().max(), row.get("decompress_mb_per_s").get("max").doubleValue());
        assertEquals(0.123456789, row.get("runs").get(0).get("compress_s").doubleValue());
        assertEquals(333_333, row.get("compressed_bytes").longValue());
    }

    @Test
    void csvHasTheHeaderAndOneQuotedLinePerRow() {
        String csv = CsvReport.toCsv(sample());
        List<String> lines = csv.lines().toList();
        assertEquals(4, lines.size());
        assertEquals(String.join(",", CsvReport.COLUMNS), lines.get(0));
        List<String> gzip = parseCsvLine(lines.get(1));
        assertEquals(CsvReport.COLUMNS.size(), gzip.size());
        assertEquals("gzip", gzip.get(CsvReport.COLUMNS.indexOf("tool")));
        assertEquals(4.0, Double.parseDouble(gzip.get(CsvReport.COLUMNS.indexOf("ratio"))), 1e-9);
        assertEquals(2.0, Double.parseDouble(gzip.get(CsvReport.COLUMNS.indexOf("compress_mb_s_median"))), 1e-9);
        assertEquals(4.0, Double.parseDouble(gzip.get(CsvReport.COLUMNS.indexOf("compress_mb_s_max"))), 1e-9);
        assertEquals("3", gzip.get(CsvReport.COLUMNS.indexOf("runs")));
        List<String> bad = parseCsvLine(lines.get(3));
        assertEquals(CsvReport.COLUMNS.size(), bad.size());
        assertEquals("failed", bad.get(CsvReport.COLUMNS.indexOf("status")));
        assertEquals("boom, with | pipe and \"quotes\"", bad.get(CsvReport.COLUMNS.indexOf("error")));
        assertEquals("", bad.get(CsvReport.COLUMNS.indexOf("ratio")));
    }

    /** RFC 4180 fields of one line. */
    static List<String> parseCsvLine(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    @Test
    void chartsAreTwoPngsPerInputWithResults(@TempDir Path dir) throws Exception {
        List<Path> files = Charts.write(sample(), dir);
        assertEquals(List.of(dir.resolve("in1-ratio-vs-compress.png"), dir.resolve("in1-ratio-vs-decompress.png")), files);
        for (Path f : files) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertTrue(img.getWidth() >= 800 && img.getHeight() >= 500, "chart too small: " + img.getWidth());
        }
        Report none = new Report(Map.of(), Map.of(), sample().inputs(), List.of(sample().rows().get(2)), List.of(), List.of());
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertTrue(Charts.write(none, empty).isEmpty(), "no chart without a successful row");
    }

    @Test
    void paretoFrontKeepsOnlyPointsNoOtherBeatsOnBothAxes() {
        List<Charts.Point> pts = List.of(new Charts.Point(100, 2), new Charts.Point(50, 3), new Charts.Point(60, 2.5),
                new Charts.Point(10, 2.9), new Charts.Point(200, 1), new Charts.Point(90, 1.5));
        assertEquals(List.of(new Charts.Point(50, 3), new Charts.Point(60, 2.5), new Charts.Point(100, 2),
                new Charts.Point(200, 1)), Charts.paretoFront(pts));
        assertFalse(Charts.paretoFront(pts).contains(new Charts.Point(10, 2.9)));
    }
}
