package dev.mmh.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a {@link Report}: for each input, ratio against compression speed and ratio against decompression
 * speed (log scale, MB/s = 10^6 bytes/s), one point per tool and level (labelled with the level, and the thread
 * count when above 1), one colour per tool, and the Pareto front (no other point is both faster and smaller) drawn
 * as a dashed line.
 */
public final class Charts {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 760;
    /** One colour per codec family, so a family's tools and mmh's rows read as a group. */
    private static final Map<String, Color> FAMILY_COLORS = Map.of("zstd", new Color(0x1f77b4), "lz4",
            new Color(0xff7f0e), "deflate", new Color(0x2ca02c), "xz", new Color(0x8c564b), "brotli",
            new Color(0x9467bd), "bzip2", new Color(0xe377c2));
    /**
     * Markers: mmh in-process a circle, mmh CLI a diamond (mmh's gzip engine: a trapezoid and a cross in a darker
     * shade), system tools squares and triangles.
     */
    private static final Marker[] TOOL_MARKERS = {SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP,
        SeriesMarkers.TRIANGLE_DOWN};

    private Charts() {
    }

    /** A point: speed (MB/s) and ratio of one row. */
    record Point(double speed, double ratio) {
    }

    /** Writes the two charts of every input with results into {@code dir}; returns the files written. */
    public static List<Path> write(Report report, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (BenchInput in : report.inputs()) {
            List<Row> rows = new ArrayList<>();
            for (Row r : report.rows()) {
                if (r.input().equals(in.name()) && r.ok()) {
                    rows.add(r);
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            String base = fileName(in.name());
            files.add(chart(in, rows, "compression", r -> r.compressSpeed().median(),
                    dir.resolve(base + "-ratio-vs-compress.png")));
            files.add(chart(in, rows, "decompression", r -> r.decompressSpeed().median(),
                    dir.resolve(base + "-ratio-vs-decompress.png")));
        }
        return files;
    }

    static String fileName(String inputName) {
        return inputName.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    private static Path chart(BenchInput in, List<Row> rows, String what, Function<Row, Double> speed, Path file)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(in.name() + " (" + Sizes.label(in.totalBytes()) + "B, " + in.files().size() + " file"
                        + (in.files().size() == 1 ? "" : "s") + "): ratio vs " + what + " speed")
                .xAxisTitle(capitalised(what) + " speed, MB/s (10^6 bytes of input per second, log scale)")
                .yAxisTitle("Ratio (uncompressed / compressed)").build();
        var st = chart.getStyler();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisLogarithmicDecadeOnly(false);
        st.setXAxisTickLabelsFormattingFunction(Charts::logTickLabel);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setMarkerSize(10);
        chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        st.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        chart.getStyler().setYAxisDecimalPattern("0.00");

        Map<String, List<Row>> bySeries = new LinkedHashMap<>();
        List<Row> plotted = new ArrayList<>();
        for (Row r : rows) {
            double s = speed.apply(r);
            if (s > 0 && Double.isFinite(s) && Double.isFinite(r.ratio())) {
                bySeries.computeIfAbsent(r.seriesName(), k -> new ArrayList<>()).add(r);
                plotted.add(r);
            }
        }
        Map<String, Integer> toolsPerFamily = new java.util.HashMap<>();
        for (Map.Entry<String, List<Row>> e : bySeries.entrySet()) {
            List<Row> rs = e.getValue();
            Row first = rs.get(0);
            double[] x = rs.stream().mapToDouble(speed::apply).toArray();
            double[] y = rs.stream().mapToDouble(Row::ratio).toArray();
            XYSeries series = chart.addSeries(e.getKey(), x, y);
            Color color = FAMILY_COLORS.getOrDefault(first.family(), Color.GRAY);
            boolean gzipEngine = first.tool().equals(Runner.MMH_GZIP);
            series.setMarkerColor(gzipEngine ? color.darker().darker() : color);
            switch (first.mode()) {
                case LIB:
                    series.setMarker(gzipEngine ? SeriesMarkers.TRAPEZOID : SeriesMarkers.CIRCLE);
                    break;
                case CLI:
                    series.setMarker(gzipEngine ? SeriesMarkers.CROSS : SeriesMarkers.DIAMOND);
                    break;
                default:
                    int n = toolsPerFamily.merge(first.family(), 1, Integer::sum) - 1;
                    series.setMarker(TOOL_MARKERS[n % TOOL_MARKERS.length]);
            }
            for (Row r : rs) {
                String label = " " + r.level() + (r.threads() > 1 ? "/T" + r.threads() : "");
                chart.addAnnotation(new AnnotationText(label, speed.apply(r) * 1.08, r.ratio(), false));
            }
        }
        if (!plotted.isEmpty()) {
            double minX = plotted.stream().mapToDouble(speed::apply).min().getAsDouble();
            double maxX = plotted.stream().mapToDouble(speed::apply).max().getAsDouble();
            double minY = plotted.stream().mapToDouble(Row::ratio).min().getAsDouble();
            double maxY = plotted.stream().mapToDouble(Row::ratio).max().getAsDouble();
            double padY = Math.max((maxY - minY) * 0.06, 0.05);
            st.setXAxisMin(minX / 1.6);
            st.setXAxisMax(maxX * 1.6);
            st.setYAxisMin(Math.max(0, minY - padY));
            st.setYAxisMax(maxY + padY);
        }
        List<Point> front = paretoFront(plotted.stream().map(r -> new Point(speed.apply(r), r.ratio())).toList());
        if (front.size() > 1) {
            XYSeries f = chart.addSeries("Pareto front", front.stream().mapToDouble(Point::speed).toArray(),
                    front.stream().mapToDouble(Point::ratio).toArray());
            f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            f.setMarker(SeriesMarkers.NONE);
            f.setLineColor(Color.DARK_GRAY);
            f.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
        ReportFile.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        return file;
    }

    /**
     * The points that no other point beats on both speed and ratio (ties count as not beaten), ordered by speed.
     */
    static List<Point> paretoFront(List<Point> points) {
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(Point::speed).reversed().thenComparing(Comparator.comparingDouble(Point::ratio).reversed()));
        List<Point> front = new ArrayList<>();
        double bestRatio = Double.NEGATIVE_INFINITY;
        for (Point p : sorted) {
            if (p.ratio() > bestRatio) {
                front.add(p);
                bestRatio = p.ratio();
            }
        }
        front.sort(Comparator.comparingDouble(Point::speed));
        return front;
    }

    /** Labels 1, 2 and 5 times a power of ten; the other log ticks stay unlabelled so labels never collide. */
    static String logTickLabel(double v) {
        double decade = Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
        long mantissa = Math.round(v / decade);
        if (mantissa != 1 && mantissa != 2 && mantissa != 5) {
            return "";
        }
        return v >= 1 ? String.format(java.util.Locale.ROOT, "%.0f", v) : String.format(java.util.Locale.ROOT, "%s", (float) v);
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
