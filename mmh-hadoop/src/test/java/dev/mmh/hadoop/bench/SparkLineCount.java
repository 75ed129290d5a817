package dev.mmh.hadoop.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The benchmark of docs/BENCHMARKS.md "Spark line count": Spark in {@code local[2]} counts the lines of each file
 * given ({@code sc.textFile(f).count()}), {@code runs} times each in turn, and prints one line per file: partitions,
 * lines, every run's seconds and the best. Not a test: run it with the module's test classpath (the command is in
 * BENCHMARKS.md).
 *
 * <p>Usage: {@code SparkLineCount RUNS FILE...}; {@code -Dmin.partitions=N} passes N to {@code textFile} (default:
 * Spark's own, at most 2).
 */
public final class SparkLineCount {
    private SparkLineCount() {
    }

    public static void main(String[] args) {
        int runs = Integer.parseInt(args[0]);
        int minPartitions = Integer.getInteger("min.partitions", 0);
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]")
                .setAppName("mmh-line-count").set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"))) {
            sc.setLogLevel("WARN");
            // warm-up: the JIT and Spark's first job, on the smallest work
            sc.parallelize(List.of(1, 2, 3), 2).count();
            List<List<Double>> times = new ArrayList<>();
            long[] lines = new long[args.length];
            int[] parts = new int[args.length];
            for (int f = 1; f < args.length; f++) {
                times.add(new ArrayList<>());
            }
            for (int r = 0; r < runs; r++) {
                for (int f = 1; f < args.length; f++) {
                    JavaRDD<String> rdd = minPartitions > 0 ? sc.textFile(args[f], minPartitions)
                            : sc.textFile(args[f]);
                    long t0 = System.nanoTime();
                    lines[f] = rdd.count();
                    times.get(f - 1).add((System.nanoTime() - t0) / 1e9);
                    parts[f] = rdd.getNumPartitions();
                }
            }
            for (int f = 1; f < args.length; f++) {
                List<Double> t = times.get(f - 1);
                double best = t.stream().mapToDouble(Double::doubleValue).min().orElse(0);
                System.out.printf("%s\tpartitions %d\tlines %d\truns %s\tbest %.2f s%n", args[f], parts[f], lines[f],
                        t.stream().map(x -> String.format("%.2f", x)).toList(), best);
            }
        }
    }
}
