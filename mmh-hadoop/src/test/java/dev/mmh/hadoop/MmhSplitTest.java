package dev.mmh.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.format.BlockHeader;
import dev.mmh.format.Format;
import dev.mmh.format.LE;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.LineRecordReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hadoop's own {@code LineRecordReader} (the one Spark's {@code textFile} uses) over {@code FileSplit}s of
 * {@code .mmh} archives cut in many ways: the records of all splits, in split order, must be exactly the records of
 * the uncompressed text read as one split.
 */
class MmhSplitTest {
    private static final int BLOCK = 1024;
    private static final Configuration CONF = new Configuration();

    @TempDir
    static Path dir;
    static byte[] text;
    static Path plain;
    static Path zstd;
    static long zstdLength;
    static List<String> expected;

    @BeforeAll
    static void setUp() throws IOException {
        text = Archives.text(48 * 1024, BLOCK, 18);
        plain = dir.resolve("plain.txt");
        Files.write(plain, text);
        expected = records(plain, new long[] {0, text.length});
        zstd = dir.resolve("text.mmh");
        Archives.write(zstd, text, "zstd", BLOCK);
        zstdLength = Files.size(zstd);
        assertTrue(expected.size() > 300, "a text of many lines");
    }

    /** The records of the splits {@code [cuts[i], cuts[i+1])} of {@code file}, in order. */
    static List<String> records(Path file, long[] cuts) throws IOException {
        return records(CONF, file, cuts);
    }

    /** As {@link #records(Path, long[])}, with the codecs {@code conf} gives. */
    static List<String> records(Configuration conf, Path file, long[] cuts) throws IOException {
        List<String> out = new ArrayList<>();
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file.toUri());
        for (int i = 0; i + 1 < cuts.length; i++) {
            FileSplit split = new FileSplit(p, cuts[i], cuts[i + 1] - cuts[i], (String[]) null);
            LineRecordReader r = new LineRecordReader(conf, split);
            try {
                LongWritable k = r.createKey();
                Text v = r.createValue();
                while (r.next(k, v)) {
                    out.add(v.toString());
                }
            } finally {
                r.close();
            }
        }
        return out;
    }

    /** Like assertEquals on the lists, with a short message: the counts and the first record that differs. */
    static void assertSameLines(List<String> want, List<String> got, String what) {
        if (want.equals(got)) {
            return;
        }
        int i = 0;
        while (i < Math.min(want.size(), got.size()) && want.get(i).equals(got.get(i))) {
            i++;
        }
        String w = i < want.size() ? want.get(i) : "(none)";
        String g = i < got.size() ? got.get(i) : "(none)";
        org.junit.jupiter.api.Assertions.fail(what + ": " + got.size() + " records instead of " + want.size()
                + "; record " + i + " is \"" + g.substring(0, Math.min(60, g.length())) + "\" instead of \""
                + w.substring(0, Math.min(60, w.length())) + "\"");
    }

    static long[] uniform(long length, long size) {
        int n = (int) ((length + size - 1) / size);
        long[] cuts = new long[n + 1];
        for (int i = 0; i < n; i++) {
            cuts[i] = i * size;
        }
        cuts[n] = length;
        return cuts;
    }

    /** Cuts at the given points (those inside the file), plus 0 and the end. */
    static long[] cutsAt(long length, Iterable<Long> points) {
        TreeSet<Long> s = new TreeSet<>();
        s.add(0L);
        s.add(length);
        for (long p : points) {
            if (p > 0 && p < length) {
                s.add(p);
            }
        }
        return s.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void everyLineOnceForUniformSplitSizes() throws IOException {
        assertTrue(Archives.blockOffsets(zstd).size() >= 40, "a multi-block archive");
        for (long size : new long[] {31, 100, 255, 1000, 1500, 2048, 4096, 9999, zstdLength / 3, zstdLength - 1,
                zstdLength, zstdLength + 1000}) {
            assertSameLines(expected, records(zstd, uniform(zstdLength, size)), "splits of " + size + " bytes");
        }
    }

    @Test
    void everyLineOnceForSplitsFromOneByte() throws IOException {
        byte[] t = Archives.text(5000, BLOCK, 7);
        Path p = dir.resolve("nine.txt");
        Files.write(p, t);
        List<String> want = records(p, new long[] {0, t.length});
        Path f = dir.resolve("nine.mmh");
        Archives.write(f, t, "zstd", BLOCK);
        long len = Files.size(f);
        assertTrue(Archives.blockOffsets(f).size() >= 5, "blocks: " + Archives.blockOffsets(f).size());
        for (long size : new long[] {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377}) {
            assertSameLines(want, records(f, uniform(len, size)), "splits of " + size + " bytes");
        }
    }

    @Test
    void everyLineOnceForSplitsAroundBlockBoundaries() throws IOException {
        List<Long> blocks = Archives.blockOffsets(zstd);
        for (int every = 1; every <= 3; every++) {
            for (int d = -2; d <= 2; d++) {
                List<Long> points = new ArrayList<>();
                for (int i = 1; i < blocks.size(); i += every) {
                    points.add(blocks.get(i) + d);
                }
                assertSameLines(expected, records(zstd, cutsAt(zstdLength, points)),
                        "splits every " + every + " blocks, " + d + " bytes from the boundary");
            }
        }
    }

    @Test
    void everyLineOnceWhenTheSecondSplitStartsInTheHeaderOrTheFirstBlock() throws IOException {
        long first = Archives.blockOffsets(zstd).get(1);
        for (long c = 1; c <= first + 2; c += c < 50 ? 1 : 97) {
            assertSameLines(expected, records(zstd, new long[] {0, c, zstdLength}), "cut at " + c);
        }
    }

    @Test
    void storedBlocksAndOtherCodecs() throws IOException {
        for (String codec : new String[] {"store", "lz4", "bwt"}) {
            Path f = dir.resolve(codec + ".mmh");
            Archives.write(f, text, codec, BLOCK);
            long len = Files.size(f);
            for (long size : new long[] {97, 1024, 3000, len}) {
                assertSameLines(expected, records(f, uniform(len, size)), codec + ", splits of " + size + " bytes");
            }
        }
    }

    @Test
    void compactArchiveIsReadWholeByTheFirstSplit() throws IOException {
        byte[] small = java.util.Arrays.copyOf(text, 3000);
        Path p = dir.resolve("small.txt");
        Files.write(p, small);
        List<String> want = records(p, new long[] {0, small.length});
        Path f = dir.resolve("small.mmh");
        Archives.write(f, small, "zstd", 4096);
        assertEquals(Format.COMPACT_VERSION, LE.get16(Files.readAllBytes(f), 8), "the compact layout");
        long len = Files.size(f);
        for (long size : new long[] {1, 10, 33, len / 2, len}) {
            assertSameLines(want, records(f, uniform(len, size)), "splits of " + size + " bytes");
        }
    }

    @Test
    void emptyArchiveHasNoRecords() throws IOException {
        Path f = dir.resolve("empty.mmh");
        Archives.write(f, new byte[0], "zstd", BLOCK);
        long len = Files.size(f);
        assertTrue(len > 0);
        for (long size : new long[] {1, 7, 100, len}) {
            assertEquals(List.of(), records(f, uniform(len, size)), "splits of " + size + " bytes");
        }
    }

    /** The message {@code mmh decompress}'s engine gives for an archive. */
    static String engineError(Path f) {
        IOException e = assertThrows(IOException.class, () -> Archives.decode(Files.readAllBytes(f)));
        return e.getMessage();
    }

    @Test
    void damagedBlockFailsWithMmhsError() throws IOException {
        byte[] a = Files.readAllBytes(zstd);
        List<Long> blocks = Archives.blockOffsets(zstd);
        long at = blocks.get(7) + BlockHeader.size(8) + 5;
        a[(int) at] ^= 0x10;
        Path f = dir.resolve("damaged.mmh");
        Files.write(f, a);
        String want = engineError(f);
        assertTrue(want.startsWith("block 7 at offset "), want);
        // the split that owns block 7, and one that starts before it and reads on into it
        for (long[] cuts : new long[][] {{0, blocks.get(7), blocks.get(8), a.length}, {0, a.length}}) {
            IOException e = assertThrows(IOException.class, () -> records(f, cuts));
            assertInstanceOf(ChecksumMismatchException.class, e);
            assertEquals(want, e.getMessage());
        }
        // the splits before it do not read it
        assertEquals(records(zstd, new long[] {0, blocks.get(3)}), records(f, new long[] {0, blocks.get(3)}));
    }

    @Test
    void decodedDataIsCheckedAgainstTheBlocksHash() throws IOException {
        Path stored = dir.resolve("stored.mmh");
        Archives.write(stored, text, "store", BLOCK);
        byte[] a = Files.readAllBytes(stored);
        List<Long> blocks = Archives.blockOffsets(stored);
        int hl = BlockHeader.size(8);
        int b = (int) (long) blocks.get(4);
        a[b + hl + 100] ^= 0x01;
        LE.put32(a, b + hl + BLOCK, Format.crc(a, b + hl, BLOCK)); // an intact stored-data CRC of the changed bytes
        Path f = dir.resolve("hash.mmh");
        Files.write(f, a);
        String want = engineError(f);
        assertTrue(want.contains("decoded data hash"), want);
        IOException e = assertThrows(IOException.class, () -> records(f, new long[] {0, blocks.get(3), a.length}));
        assertEquals(want, e.getMessage());
    }
}
