package dev.mmh.hadoop;

import static dev.mmh.hadoop.MmhSplitTest.assertSameLines;
import static dev.mmh.hadoop.MmhSplitTest.cutsAt;
import static dev.mmh.hadoop.MmhSplitTest.records;
import static dev.mmh.hadoop.MmhSplitTest.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.CorruptDataException;
import dev.mmh.gzip.GzipOptions;
import dev.mmh.gzip.ParallelGzipOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MmhGzipCodec} under Hadoop's LineRecordReader: mmh's gzip, bgzip's, and plain gzip, split many ways. */
class GzipSplitTest {
    private static final Configuration CONF = new Configuration();

    static {
        CONF.set("io.compression.codecs", MmhGzipCodec.class.getName());
    }

    @TempDir
    static Path dir;
    static byte[] text;
    static List<String> expected;

    @BeforeAll
    static void setUp() throws IOException {
        text = Archives.text(40 * 1024, 1024, 21);
        Path plain = dir.resolve("plain.txt");
        Files.write(plain, text);
        expected = records(plain, new long[] {0, text.length});
    }

    static Path mmhGzip(String name, int level, int blockSize) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream o = new ParallelGzipOutputStream(Files.newOutputStream(f),
                GzipOptions.builder().level(level).blockSize(blockSize).threads(2).build())) {
            o.write(text);
        }
        return f;
    }

    /** Where the members of a file whose members all carry their size start, by walking the sizes. */
    static List<Long> members(Path f) throws IOException {
        byte[] a = Files.readAllBytes(f);
        List<Long> at = new ArrayList<>();
        long p = 0;
        while (p < a.length) {
            at.add(p);
            long size = p == 0 ? GzipSplitInputStream.sizeAt(patchFirst(a), 0)
                    : GzipSplitInputStream.sizeAt(a, (int) p);
            assertTrue(size > 0, "a member with its size at " + p);
            p += size;
        }
        return at;
    }

    private static byte[] patchFirst(byte[] a) {
        byte[] h = java.util.Arrays.copyOf(a, 20);
        h[3] = 4; // the first member may name the file; its size field is where the others have it
        return h;
    }

    void everyLineOnce(Path f) throws IOException {
        long len = Files.size(f);
        for (long size : new long[] {7, 100, 777, 1024, 5000, len / 2, len}) {
            assertSameLines(expected, records(CONF, f, uniform(len, size)), f.getFileName() + " in splits of " + size);
        }
        List<Long> members = members(f);
        assertTrue(members.size() > 10, members.size() + " members");
        for (int d = -1; d <= 1; d++) {
            List<Long> points = new ArrayList<>();
            for (long m : members) {
                points.add(m + d);
            }
            assertSameLines(expected, records(CONF, f, cutsAt(len, points)), f.getFileName() + " cut at members " + d);
        }
    }

    @Test
    void mmhBgzfLayout() throws IOException {
        Path f = mmhGzip("bgzf.gz", 6, 1024);
        assertEquals('B', Files.readAllBytes(f)[12], "BC subfield");
        everyLineOnce(f);
    }

    @Test
    void mmhLargeBlocksWithTheMhSubfield() throws IOException {
        byte[] big = Archives.text(3 << 20, 1 << 16, 5);
        Path f = dir.resolve("mh.gz");
        try (OutputStream o = new ParallelGzipOutputStream(Files.newOutputStream(f),
                GzipOptions.builder().level(6).blockSize(100_000).threads(2).build())) {
            o.write(big);
        }
        assertEquals('M', Files.readAllBytes(f)[12], "MH subfield");
        Path plain = dir.resolve("big.txt");
        Files.write(plain, big);
        List<String> want = records(plain, new long[] {0, big.length});
        long len = Files.size(f);
        List<Long> members = members(f);
        assertTrue(members.size() > 20);
        for (long size : new long[] {50_000, 333_333, len}) {
            assertSameLines(want, records(CONF, f, uniform(len, size)), "splits of " + size);
        }
        assertSameLines(want, records(CONF, f, cutsAt(len, members)), "cut at members");
    }

    @Test
    void bgzipsOwnOutput() throws IOException, InterruptedException {
        Path plain = dir.resolve("for-bgzip.txt");
        // bgzip's blocks are 65,280 bytes: a text of 40 KiB would be one member, so repeat it
        byte[] many = new byte[text.length * 8];
        for (int i = 0; i < 8; i++) {
            System.arraycopy(text, 0, many, i * text.length, text.length);
        }
        Files.write(plain, many);
        Process p = new ProcessBuilder("bgzip", "-f", "-@", "1", plain.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        Path f = dir.resolve("for-bgzip.txt.gz");
        Path unzipped = dir.resolve("many.txt");
        Files.write(unzipped, many);
        List<String> want = records(unzipped, new long[] {0, many.length});
        long len = Files.size(f);
        assertTrue(members(f).size() >= 5);
        for (long size : new long[] {1000, 20_000, 65_536, len}) {
            assertSameLines(want, records(CONF, f, uniform(len, size)), "bgzip's file in splits of " + size);
        }
    }

    @Test
    void plainGzipIsReadWholeByTheFirstSplit() throws IOException {
        Path f = dir.resolve("plain.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
            o.write(text);
        }
        long len = Files.size(f);
        for (long size : new long[] {10, 1000, len}) {
            assertSameLines(expected, records(CONF, f, uniform(len, size)), "plain gzip in splits of " + size);
        }
    }

    @Test
    void damagedMemberFails() throws IOException {
        Path f = mmhGzip("damaged.gz", 6, 1024);
        byte[] a = Files.readAllBytes(f);
        List<Long> members = members(f);
        long m = members.get(9);
        a[(int) m + 40] ^= 0x55;
        Path bad = dir.resolve("bad.gz");
        Files.write(bad, a);
        IOException e = assertThrows(IOException.class,
                () -> records(CONF, bad, new long[] {0, members.get(9), members.get(12), a.length}));
        assertInstanceOf(CorruptDataException.class, e);
        assertTrue(e.getMessage().contains("at offset " + m) || e.getMessage().contains("at offset " + (m + 18)),
                e.getMessage());
    }

    @Test
    void codecIsTheGzReaderWhenNamedAndWritesGzipThatGzipReads() throws IOException, InterruptedException {
        assertInstanceOf(MmhGzipCodec.class,
                new CompressionCodecFactory(CONF).getCodec(new org.apache.hadoop.fs.Path("/x/y.gz")));
        Configuration c = new Configuration(false);
        c.setInt(MmhGzipCodec.BLOCK_SIZE, 4096);
        MmhGzipCodec codec = new MmhGzipCodec();
        codec.setConf(c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream o = codec.createOutputStream(out)) {
            o.write(text);
        }
        Path f = dir.resolve("written.gz");
        Files.write(f, out.toByteArray());
        Process p = new ProcessBuilder("gzip", "-dc", f.toString()).redirectErrorStream(true).start();
        byte[] back = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        assertArrayEquals(text, back);
        assertTrue(members(f).size() > 5, "written in members that carry their size");
        try (var in = codec.createInputStream(new java.io.ByteArrayInputStream(out.toByteArray()))) {
            assertArrayEquals(text, in.readAllBytes());
        }
    }
}
