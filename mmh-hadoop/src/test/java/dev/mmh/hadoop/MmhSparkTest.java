package dev.mmh.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.format.BlockHeader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark in {@code local[2]} reading and writing {@code .mmh} through the codec; one SparkContext for all. */
class MmhSparkTest {
    private static final int BLOCK = 64 * 1024;

    @TempDir
    static Path dir;
    static JavaSparkContext sc;
    static byte[] text;
    static Path plain;
    static Path archive;

    @BeforeAll
    static void start() throws IOException {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("mmh-hadoop-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1").set("spark.task.maxFailures", "1"));
        text = Archives.text(3 << 20, BLOCK, 11);
        plain = dir.resolve("text.txt");
        Files.write(plain, text);
        archive = dir.resolve("text.mmh");
        Archives.write(archive, text, "zstd", BLOCK);
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void textFileHasOnePartitionPerSplitAndEveryLineOnce() throws IOException {
        List<String> want = sc.textFile(plain.toString(), 1).collect();
        JobConf job = new JobConf(sc.hadoopConfiguration());
        FileInputFormat.setInputPaths(job, new org.apache.hadoop.fs.Path(archive.toUri()));
        TextInputFormat f = new TextInputFormat();
        f.configure(job);
        int splits = f.getSplits(job, 7).length;
        assertTrue(splits >= 7, splits + " splits");
        assertTrue(Archives.blockOffsets(archive).size() > 3 * splits, "several blocks per split");
        JavaRDD<String> lines = sc.textFile(archive.toString(), 7);
        assertEquals(splits, lines.getNumPartitions());
        assertEquals(want.size(), lines.count());
        MmhSplitTest.assertSameLines(want, lines.collect(), "textFile over 7 splits");
        // every partition has work: the splits found their blocks
        List<Integer> sizes = lines.mapPartitions(it -> {
            int n = 0;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            return List.of(n).iterator();
        }).collect();
        assertTrue(sizes.stream().allMatch(n -> n > 0), sizes.toString());
    }

    @Test
    void mmhGzipIsReadInParallelWhenTheCodecIsNamed() throws IOException {
        Path gz = dir.resolve("text.gz");
        try (var o = new dev.mmh.gzip.ParallelGzipOutputStream(Files.newOutputStream(gz),
                dev.mmh.gzip.GzipOptions.builder().level(1).threads(2).build())) {
            o.write(text);
        }
        List<String> want = sc.textFile(plain.toString(), 1).collect();
        org.apache.hadoop.conf.Configuration c = sc.hadoopConfiguration();
        String before = c.get("io.compression.codecs");
        c.set("io.compression.codecs", MmhGzipCodec.class.getName());
        try {
            JavaRDD<String> lines = sc.textFile(gz.toString(), 4);
            assertTrue(lines.getNumPartitions() >= 4, lines.getNumPartitions() + " partitions");
            MmhSplitTest.assertSameLines(want, lines.collect(), "mmh's gzip over " + lines.getNumPartitions()
                    + " splits");
        } finally {
            if (before == null) {
                c.unset("io.compression.codecs");
            } else {
                c.set("io.compression.codecs", before);
            }
        }
        // without it, Hadoop's GzipCodec reads the file as one split
        assertEquals(1, sc.textFile(gz.toString(), 4).getNumPartitions());
    }

    @Test
    void emptyArchiveHasNoLines() throws IOException {
        Path empty = dir.resolve("empty.mmh");
        Archives.write(empty, new byte[0], "zstd", BLOCK);
        assertEquals(0, sc.textFile(empty.toString(), 3).count());
    }

    @Test
    void damagedBlockFailsTheJobWithMmhsError() throws IOException {
        byte[] a = Files.readAllBytes(archive);
        long block = Archives.blockOffsets(archive).get(20);
        a[(int) block + BlockHeader.size(8) + 1000] ^= 0x40;
        Path bad = dir.resolve("bad.mmh");
        Files.write(bad, a);
        String mmh = MmhSplitTest.engineError(bad);
        SparkException e = assertThrows(SparkException.class, () -> sc.textFile(bad.toString(), 5).count());
        assertTrue(e.getMessage().contains(mmh), e.getMessage());
    }

    @Test
    void saveAsTextFileWritesArchivesTheEngineReads() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            lines.add("record " + i + " " + Integer.toHexString(i * 2654435761L > 0 ? i * 7919 : i));
        }
        Path out = dir.resolve("saved");
        sc.parallelize(lines, 3).saveAsTextFile(out.toString(), MmhCodec.class);
        List<Path> parts;
        try (Stream<Path> s = Files.list(out)) {
            parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        assertEquals(3, parts.size());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path p : parts) {
            assertTrue(p.getFileName().toString().endsWith(".mmh"), p.toString());
            all.write(Archives.decode(Files.readAllBytes(p)));
        }
        assertArrayEquals((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), all.toByteArray());
        assertEquals(lines, sc.textFile(out.toString()).collect());
    }
}
