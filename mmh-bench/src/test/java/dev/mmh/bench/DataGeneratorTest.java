package dev.mmh.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class DataGeneratorTest {
    private static final int N = 1 << 20;

    static byte[] generate(DataKind kind, long size, long seed) throws IOException {
        try (InputStream in = DataGenerator.open(kind, size, seed)) {
            return in.readAllBytes();
        }
    }

    /** Reads with a fixed chunk size, or one byte at a time when chunk is 1. */
    static byte[] readInChunks(DataKind kind, long size, long seed, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = DataGenerator.open(kind, size, seed)) {
            if (chunk == 1) {
                int b;
                while ((b = in.read()) >= 0) {
                    out.write(b);
                }
            } else {
                byte[] buf = new byte[chunk];
                int n;
                while ((n = in.read(buf, 0, chunk)) > 0) {
                    out.write(buf, 0, n);
                }
            }
        }
        return out.toByteArray();
    }

    @Test
    void splitMixMatchesThePublishedReferenceSequence() {
        // Rosetta Code, "Pseudo-random numbers/Splitmix64": the first five outputs for seed 1234567
        SplitMix64 r = new SplitMix64(1234567);
        String[] expected = {"6457827717110365317", "3203168211198807973", "9817491932198370423",
            "4593380528125082431", "16408922859458223821"};
        for (String e : expected) {
            assertEquals(Long.parseUnsignedLong(e), r.nextLong());
        }
    }

    @ParameterizedTest
    @EnumSource(DataKind.class)
    void sameSeedGivesSameBytesWhateverTheReadSizes(DataKind kind) throws IOException {
        int size = 700_001;
        byte[] whole = generate(kind, size, 42);
        assertEquals(size, whole.length);
        assertArrayEquals(whole, readInChunks(kind, size, 42, 1));
        assertArrayEquals(whole, readInChunks(kind, size, 42, 4093));
        assertArrayEquals(whole, readInChunks(kind, size, 42, 300_000));
    }

    @ParameterizedTest
    @EnumSource(DataKind.class)
    void differentSeedsGiveDifferentBytes(DataKind kind) throws IOException {
        assertFalse(Arrays.equals(generate(kind, 100_000, 1), generate(kind, 100_000, 2)));
    }

    @ParameterizedTest
    @EnumSource(DataKind.class)
    void aShorterSizeIsAPrefixOfALongerOne(DataKind kind) throws IOException {
        byte[] longer = generate(kind, 500_000, 7);
        byte[] shorter = generate(kind, 123_457, 7);
        assertArrayEquals(Arrays.copyOf(longer, shorter.length), shorter);
    }

    @Test
    void kindsDifferFromEachOtherForTheSameSeed() throws IOException {
        // MIX is left out: by design its first segment is the first kind of its order with the same seed
        Map<String, DataKind> seen = new HashMap<>();
        for (DataKind k : java.util.EnumSet.complementOf(java.util.EnumSet.of(DataKind.MIX))) {
            DataKind before = seen.put(Arrays.toString(generate(k, 4096, 3)), k);
            assertEquals(null, before, k + " gave the same bytes as " + before);
        }
    }

    @Test
    void zeroSizeIsEmptyAndNegativeSizeIsRejected() throws IOException {
        assertEquals(0, generate(DataKind.TEXT, 0, 1).length);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DataGenerator.open(DataKind.TEXT, -1, 1));
    }

    @Test
    void randomDataIsIncompressibleByZstd() throws IOException {
        byte[] b = generate(DataKind.RANDOM, N, 5);
        byte[] c = Zstd.compress(b, 19);
        assertTrue(c.length > b.length * 0.999, "zstd -19 shrank random data to " + c.length);
        int[] counts = new int[256];
        for (byte x : b) {
            counts[x & 0xFF]++;
        }
        for (int count : counts) {
            assertTrue(Math.abs(count - N / 256) < 400, "byte frequency " + count + " is far from uniform");
        }
    }

    @Test
    void textIsPrintableWordsWithZipfFrequenciesAndShortLines() throws IOException {
        byte[] b = generate(DataKind.TEXT, N, 9);
        String s = new String(b, StandardCharsets.US_ASCII);
        assertTrue(s.chars().allMatch(c -> c == '\n' || c == ' ' || c == '.' || c == ',' || c == '?'
                || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')), "non-text byte in text data");
        for (String line : s.split("\n")) {
            assertTrue(line.length() <= 72, "line longer than 72: " + line.length());
        }
        Map<String, Integer> freq = new HashMap<>();
        String[] words = s.toLowerCase().split("[^a-z]+");
        for (String w : words) {
            if (!w.isEmpty()) {
                freq.merge(w, 1, Integer::sum);
            }
        }
        int top = freq.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        // Zipf over 4096 words: the first word takes about 1/H(4096) ~ 11% of all words
        assertTrue(top > words.length / 20, "most frequent word is only " + top + " of " + words.length);
        assertTrue(freq.size() > 1000, "vocabulary too small: " + freq.size());
        double ratio = (double) b.length / Zstd.compress(b, 3).length;
        assertTrue(ratio > 2.0 && ratio < 6.0, "text ratio " + ratio + " is not text-like");
    }

    @Test
    void binaryIsFixedSizeRecordsWithSequenceNumbersAndRisingTimestamps() throws IOException {
        byte[] b = generate(DataKind.BINARY, N, 11);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long lastTime = Long.MIN_VALUE;
        for (int i = 0; i + DataGenerator.RECORD_SIZE <= b.length; i += DataGenerator.RECORD_SIZE) {
            assertEquals(i / DataGenerator.RECORD_SIZE, bb.getInt(i), "sequence number of record at " + i);
            long t = bb.getLong(i + 4);
            assertTrue(t >= lastTime, "timestamp went back at " + i);
            lastTime = t;
            assertTrue(b[i + 24] >= 'a' && b[i + 24] <= 'z', "name field at " + i);
        }
        double ratio = (double) b.length / Zstd.compress(b, 3).length;
        assertTrue(ratio > 2.0, "records should compress well, got " + ratio);
    }

    @Test
    void floatIsFiniteNormalishFloat32LikeWeights() throws IOException {
        byte[] b = generate(DataKind.FLOAT, N, 13);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int n = b.length / 4;
        double sum = 0;
        double sumSq = 0;
        int small = 0;
        for (int i = 0; i < n; i++) {
            float f = bb.getFloat(i * 4);
            assertTrue(Float.isFinite(f));
            sum += f;
            sumSq += (double) f * f;
            if (Math.abs(f) < 0.5) {
                small++;
            }
        }
        double mean = sum / n;
        double sd = Math.sqrt(sumSq / n - mean * mean);
        assertTrue(Math.abs(mean) < 0.01, "mean " + mean);
        assertTrue(sd > 0.001 && sd < 0.2, "standard deviation " + sd);
        assertTrue(small > n * 0.99, "values are not weight-sized");
        double ratio = (double) b.length / Zstd.compress(b, 3).length;
        assertTrue(ratio > 1.02 && ratio < 1.6, "float ratio " + ratio + " is not weight-like");
    }

    @Test
    void periodicRepeatsWithItsPeriodAndNotWithOtherLags() throws IOException {
        long seed = 17;
        int p = DataGenerator.period(seed);
        assertTrue(p >= DataGenerator.MIN_PERIOD && p < DataGenerator.MAX_PERIOD);
        byte[] b = generate(DataKind.PERIODIC, 8L * p + 100_000, seed);
        assertTrue(matchFraction(b, p) > 0.98, "lag p matches " + matchFraction(b, p));
        assertTrue(matchFraction(b, 2 * p) > 0.98);
        assertTrue(matchFraction(b, p - 1) < 0.05, "lag p-1 matches " + matchFraction(b, p - 1));
        assertTrue(matchFraction(b, p + 1) < 0.05, "lag p+1 matches " + matchFraction(b, p + 1));
        assertTrue(matchFraction(b, p / 2) < 0.05);
        assertNotEquals(p, DataGenerator.period(seed + 1), "period should depend on the seed");
    }

    private static double matchFraction(byte[] b, int lag) {
        int same = 0;
        for (int i = lag; i < b.length; i++) {
            if (b[i] == b[i - lag]) {
                same++;
            }
        }
        return (double) same / (b.length - lag);
    }

    @Test
    void mixIsSegmentsOfTheOtherKindsInTheSeedsOrder() throws IOException {
        long seed = 23;
        DataKind[] order = DataGenerator.mixOrder(seed);
        assertEquals(5, order.length);
        assertEquals(5, Arrays.stream(order).distinct().count());
        int seg = DataGenerator.MIX_SEGMENT;
        byte[] mix = generate(DataKind.MIX, (long) seg * (order.length + 1), seed);
        // the kinds run in turn; each continues its own stream, so segment i is the first seg bytes of kind i
        // and segment 5 is the second seg bytes of kind 0
        for (int i = 0; i < order.length; i++) {
            byte[] own = generate(order[i], seg, seed);
            assertArrayEquals(own, Arrays.copyOfRange(mix, i * seg, (i + 1) * seg), "segment " + i + " (" + order[i] + ")");
        }
        byte[] first = generate(order[0], 2L * seg, seed);
        assertArrayEquals(Arrays.copyOfRange(first, seg, 2 * seg),
                Arrays.copyOfRange(mix, order.length * seg, (order.length + 1) * seg));
    }

    @Test
    void parsesKindNames() {
        assertEquals(DataKind.FLOAT, DataKind.parse("Float"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DataKind.parse("jpeg"));
    }
}
