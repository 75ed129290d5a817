package dev.mmh.gzip;

import static dev.mmh.gzip.GzipTestSupport.assumeTool;
import static dev.mmh.gzip.GzipTestSupport.concat;
import static dev.mmh.gzip.GzipTestSupport.corpusFile;
import static dev.mmh.gzip.GzipTestSupport.gunzip;
import static dev.mmh.gzip.GzipTestSupport.gzip;
import static dev.mmh.gzip.GzipTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Files made by other gzip writers, multi-member files and concatenations. */
class ForeignInputTest {
    private final GzipOptions opts = GzipOptions.builder().threads(2).build();

    @Test
    void readsWhatGzipMakesAtEveryLevelWithAndWithoutName() throws Exception {
        assumeTool("gzip");
        byte[] data = corpusFile("canterbury/lcet10.txt");
        for (String level : new String[] {"-1", "-6", "-9"}) {
            assertArrayEquals(data, gunzip(run(data, "gzip", "-c", level), opts), "gzip " + level);
        }
        // gzip -N on stdin stores no name but sets MTIME; a header with FNAME comes from a file
        java.nio.file.Path f = java.nio.file.Files.createTempFile("mmh-foreign", ".txt");
        try {
            java.nio.file.Files.write(f, data);
            byte[] gz = run(new byte[0], "gzip", "-cN", f.toString());
            try (ParallelGzipInputStream in = new ParallelGzipInputStream(new java.io.ByteArrayInputStream(gz), opts)) {
                assertEquals(f.getFileName().toString(), in.firstName());
                assertArrayEquals(data, in.readAllBytes());
            }
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
    }

    @Test
    void readsWhatPigzMakesIncludingIndependentAndZlibFormsItCanDecode() throws Exception {
        assumeTool("pigz");
        byte[] data = corpusFile("canterbury/kennedy.xls");
        assertArrayEquals(data, gunzip(run(data, "pigz", "-c", "-6", "-b", "32"), opts), "pigz dictionary blocks");
        assertArrayEquals(data, gunzip(run(data, "pigz", "-c", "-9", "-i", "-b", "32"), opts), "pigz -i");
        byte[] small = corpusFile("canterbury/grammar.lsp");
        assertArrayEquals(small, gunzip(run(small, "pigz", "-c", "-11"), opts), "pigz -11 (zopfli)");
    }

    @Test
    void readsWhatJavaAndBgzipMake() throws Exception {
        byte[] data = corpusFile("canterbury/alice29.txt");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        assertArrayEquals(data, gunzip(b.toByteArray(), opts), "GZIPOutputStream");
        assumeTool("bgzip");
        assertArrayEquals(data, gunzip(run(data, "bgzip", "-c"), opts), "bgzip");
    }

    @Test
    void decodesEveryMemberOfMixedConcatenations() throws Exception {
        byte[] a = corpusFile("canterbury/alice29.txt");
        byte[] b = corpusFile("canterbury/cp.html");
        byte[] c = GzipTestSupport.text(200_000, 11);
        byte[] ours = gzip(a, GzipOptions.builder().level(6).threads(2).blockSize(20 << 10).build());
        byte[] oursBgzf = gzip(c, GzipOptions.builder().level(1).threads(2).build());
        ByteArrayOutputStream jdk = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(jdk)) {
            g.write(b);
        }
        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        new GZIPOutputStream(empty).close();
        byte[] all = concat(ours, jdk.toByteArray(), empty.toByteArray(), oursBgzf, ours);
        assertArrayEquals(concat(a, b, c, a), gunzip(all, opts));
        assertArrayEquals(concat(a, b, c, a), gunzip(all, GzipOptions.builder().threads(1).build()));
    }

    @Test
    void oneByteAtATimeSourceDecodesTheSame() throws Exception {
        byte[] a = GzipTestSupport.text(150_000, 5);
        byte[] ours = gzip(a, GzipOptions.builder().level(6).threads(2).blockSize(16 << 10).build());
        ByteArrayOutputStream jdk = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(jdk)) {
            g.write(a);
        }
        byte[] both = concat(ours, jdk.toByteArray());
        try (ParallelGzipInputStream in = new ParallelGzipInputStream(GzipTestSupport.oneByteAtATime(both), opts)) {
            assertArrayEquals(concat(a, a), in.readAllBytes());
        }
    }

    @Test
    void singleByteReadsMatchBulkReads() throws Exception {
        byte[] a = GzipTestSupport.text(40_000, 9);
        byte[] gz = gzip(a, GzipOptions.builder().level(6).threads(2).blockSize(8 << 10).build());
        try (ParallelGzipInputStream in = new ParallelGzipInputStream(new java.io.ByteArrayInputStream(gz), opts)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                out.write(c);
            }
            assertArrayEquals(a, out.toByteArray());
            assertEquals(6, in.members(), "5 data members of 8 KiB and the empty BGZF end marker");
        }
    }
}
