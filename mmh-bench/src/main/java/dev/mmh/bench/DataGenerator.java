package dev.mmh.bench;

import java.io.InputStream;
import java.util.Objects;

/**
 * Deterministic benchmark data, streamed: the same kind, size and seed give the same bytes on every machine and
 * JVM (only {@link SplitMix64} and IEEE arithmetic are used), whatever the sizes of the caller's reads. Memory use
 * is a fixed buffer per stream plus, for text, a small vocabulary, so sizes far beyond the heap are fine.
 *
 * <p>The data is built from units (a word, a record, a float, a stretch of pattern) written into a 64 KiB buffer;
 * units never depend on where a buffer boundary falls, so the byte sequence is a property of (kind, seed) alone and
 * a shorter size gives a prefix of a longer one.
 */
public final class DataGenerator {
    /** Length of each segment of {@link DataKind#MIX} data, in bytes. */
    public static final int MIX_SEGMENT = 256 * 1024;
    /** Size of the record written by {@link DataKind#BINARY}, in bytes. */
    public static final int RECORD_SIZE = 32;
    /** Shortest period of {@link DataKind#PERIODIC} data, in bytes. */
    public static final int MIN_PERIOD = 512;
    /** Longest period of {@link DataKind#PERIODIC} data, in bytes (exclusive). */
    public static final int MAX_PERIOD = 65536;
    /** Mean distance between changed bytes in {@link DataKind#PERIODIC} data. */
    public static final int PERIODIC_MUTATION_GAP = 256;

    static final int BUFFER = 64 * 1024;
    /** Largest unit any kind writes at once; a kind writes units only while at least this much room is left. */
    static final int MAX_UNIT = 64;

    private DataGenerator() {
    }

    /**
     * A stream of {@code size} bytes of the given kind. The stream is not thread-safe; {@code close()} does nothing.
     *
     * @param size number of bytes, at least 0
     */
    public static InputStream open(DataKind kind, long size, long seed) {
        Objects.requireNonNull(kind, "kind");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        return new GeneratedStream(units(kind, seed), size);
    }

    /** The period, in bytes, of {@link DataKind#PERIODIC} data made from this seed: in [{@link #MIN_PERIOD}, {@link #MAX_PERIOD}). */
    public static int period(long seed) {
        return MIN_PERIOD + new SplitMix64(kindSeed(DataKind.PERIODIC, seed) ^ 0x5DEECE66DL).nextInt(MAX_PERIOD - MIN_PERIOD);
    }

    /** The order in which {@link DataKind#MIX} cycles through the other kinds for this seed. */
    public static DataKind[] mixOrder(long seed) {
        DataKind[] order = {DataKind.TEXT, DataKind.BINARY, DataKind.FLOAT, DataKind.PERIODIC, DataKind.RANDOM};
        SplitMix64 r = new SplitMix64(kindSeed(DataKind.MIX, seed));
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            DataKind t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    static long kindSeed(DataKind kind, long seed) {
        return seed ^ (0x632BE59BD9B4E019L * (kind.ordinal() + 1));
    }

    /** Writes whole units into {@code b[off, off+room)} while room is left; returns bytes written (at least 1). */
    interface Units {
        int fill(byte[] b, int off, int room);
    }

    static Units units(DataKind kind, long seed) {
        long s = kindSeed(kind, seed);
        switch (kind) {
            case TEXT:
                return new TextUnits(s);
            case BINARY:
                return new RecordUnits(s);
            case FLOAT:
                return new FloatUnits(s);
            case PERIODIC:
                return new PeriodicUnits(s, period(seed));
            case RANDOM:
                return new RandomUnits(s);
            case MIX:
                return new MixUnits(seed);
            default:
                throw new AssertionError(kind);
        }
    }

    private static final class GeneratedStream extends InputStream {
        private final Units units;
        private final byte[] buf = new byte[BUFFER];
        private long remaining;
        private int pos;
        private int limit;

        GeneratedStream(Units units, long size) {
            this.units = units;
            this.remaining = size;
        }

        private boolean refill() {
            int n = 0;
            while (BUFFER - n >= MAX_UNIT) {
                n += units.fill(buf, n, BUFFER - n);
            }
            pos = 0;
            limit = n;
            return true;
        }

        @Override
        public int read() {
            if (remaining == 0 || pos == limit && !refill()) {
                return -1;
            }
            remaining--;
            return buf[pos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (remaining == 0 || pos == limit && !refill()) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, limit - pos), remaining);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            remaining -= n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(limit - pos, remaining);
        }
    }

    /** Zipf-distributed words from a made-up vocabulary with English letter frequencies. */
    private static final class TextUnits implements Units {
        private static final String LETTERS = "etaoinshrdlcumwfgypbvkjxqz";
        private static final int[] LETTER_WEIGHT = {
            127, 91, 82, 75, 70, 67, 63, 61, 60, 43, 40, 28, 28, 24, 24, 22, 20, 20, 19, 15, 10, 8, 2, 2, 1, 1};
        private static final int VOCABULARY = 4096;
        private static final int LINE = 72;

        private final SplitMix64 r;
        private final byte[][] words = new byte[VOCABULARY][];
        private final double[] cumulative = new double[VOCABULARY];
        private int column;
        private int wordsLeftInSentence;
        private int sentencesLeftInParagraph;
        private boolean capitalise = true;

        TextUnits(long seed) {
            r = new SplitMix64(seed);
            int totalWeight = 0;
            for (int w : LETTER_WEIGHT) {
                totalWeight += w;
            }
            for (int i = 0; i < VOCABULARY; i++) {
                int len = 1 + r.nextInt(3) + r.nextInt(3) + r.nextInt(4) + (r.nextInt(8) == 0 ? r.nextInt(6) : 0);
                byte[] w = new byte[len];
                for (int j = 0; j < len; j++) {
                    int x = r.nextInt(totalWeight);
                    int k = 0;
                    while (x >= LETTER_WEIGHT[k]) {
                        x -= LETTER_WEIGHT[k++];
                    }
                    w[j] = (byte) LETTERS.charAt(k);
                }
                words[i] = w;
                cumulative[i] = (i == 0 ? 0 : cumulative[i - 1]) + 1.0 / (i + 1);
            }
            startSentence();
            sentencesLeftInParagraph = 3 + r.nextInt(6);
        }

        private void startSentence() {
            wordsLeftInSentence = 4 + r.nextInt(16);
            capitalise = true;
        }

        private byte[] pickWord() {
            double x = r.nextDouble() * cumulative[VOCABULARY - 1];
            int lo = 0;
            int hi = VOCABULARY - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] <= x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return words[lo];
        }

        @Override
        public int fill(byte[] b, int off, int room) {
            int p = off;
            int end = off + room;
            while (end - p >= MAX_UNIT) {
                byte[] w = pickWord();
                if (column > 0 && column + 2 + w.length > LINE) { // room for a space and punctuation
                    b[p++] = '\n';
                    column = 0;
                } else if (column > 0) {
                    b[p++] = ' ';
                    column++;
                }
                System.arraycopy(w, 0, b, p, w.length);
                if (capitalise) {
                    b[p] = (byte) (b[p] - 32);
                    capitalise = false;
                }
                p += w.length;
                column += w.length;
                if (--wordsLeftInSentence == 0) {
                    b[p++] = (byte) (r.nextInt(10) == 0 ? '?' : '.');
                    column++;
                    startSentence();
                    if (--sentencesLeftInParagraph == 0) {
                        b[p++] = '\n';
                        b[p++] = '\n';
                        column = 0;
                        sentencesLeftInParagraph = 3 + r.nextInt(6);
                    }
                } else if (r.nextInt(12) == 0) {
                    b[p++] = ',';
                    column++;
                }
            }
            return p - off;
        }
    }

    /** Fixed-size little-endian records like a log or a database table. */
    private static final class RecordUnits implements Units {
        private static final byte[][] NAMES = names("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel");

        private final SplitMix64 r;
        private int sequence;
        private long timestamp = 1_700_000_000_000L;
        private final float[] level = new float[64];

        RecordUnits(long seed) {
            r = new SplitMix64(seed);
            for (int i = 0; i < level.length; i++) {
                level[i] = 10 + r.nextInt(40);
            }
        }

        @Override
        public int fill(byte[] b, int off, int room) {
            int p = off;
            while (off + room - p >= MAX_UNIT) {
                putInt(b, p, sequence++);
                timestamp += r.nextInt(1000);
                putLong(b, p + 4, timestamp);
                int sensor = r.nextInt(8) == 0 ? r.nextInt(64) : r.nextInt(8);
                b[p + 12] = (byte) sensor;
                b[p + 13] = 0;
                b[p + 14] = (byte) (r.nextInt(50) == 0 ? 1 + r.nextInt(3) : 0);
                b[p + 15] = (byte) r.nextInt(8);
                level[sensor] += (r.nextInt(21) - 10) / 10.0f;
                putInt(b, p + 16, Float.floatToIntBits(Math.round(level[sensor] * 10) / 10.0f));
                putInt(b, p + 20, r.nextInt(1000));
                byte[] name = NAMES[sensor & 7];
                for (int i = 0; i < 8; i++) {
                    b[p + 24 + i] = i < name.length ? name[i] : 0;
                }
                p += RECORD_SIZE;
            }
            return p - off;
        }
    }

    /** float32 values, roughly normal, in tensors whose scale changes from one to the next. */
    private static final class FloatUnits implements Units {
        private final SplitMix64 r;
        private int leftInTensor;
        private double scale;

        FloatUnits(long seed) {
            r = new SplitMix64(seed);
        }

        @Override
        public int fill(byte[] b, int off, int room) {
            int p = off;
            while (off + room - p >= MAX_UNIT) {
                if (leftInTensor == 0) {
                    leftInTensor = 4096 + r.nextInt(256 * 1024);
                    double u = r.nextDouble();
                    scale = 0.005 + 0.1 * u * u;
                }
                leftInTensor--;
                putInt(b, p, Float.floatToIntBits((float) (r.nextNormalish() * scale)));
                p += 4;
            }
            return p - off;
        }
    }

    /** A random pattern repeated, with about one byte in {@link #PERIODIC_MUTATION_GAP} replaced by a random one. */
    private static final class PeriodicUnits implements Units {
        private final SplitMix64 r;
        private final byte[] pattern;
        private int phase;
        private int untilMutation;

        PeriodicUnits(long seed, int period) {
            r = new SplitMix64(seed);
            pattern = new byte[period];
            for (int i = 0; i < period; i++) {
                pattern[i] = (byte) r.nextLong();
            }
            untilMutation = nextGap();
        }

        private int nextGap() {
            return 1 + r.nextInt(2 * PERIODIC_MUTATION_GAP - 1);
        }

        @Override
        public int fill(byte[] b, int off, int room) {
            for (int i = 0; i < room; i++) {
                byte v = pattern[phase];
                if (++phase == pattern.length) {
                    phase = 0;
                }
                if (--untilMutation == 0) {
                    v = (byte) r.nextLong();
                    untilMutation = nextGap();
                }
                b[off + i] = v;
            }
            return room;
        }
    }

    private static final class RandomUnits implements Units {
        private final SplitMix64 r;

        RandomUnits(long seed) {
            r = new SplitMix64(seed);
        }

        @Override
        public int fill(byte[] b, int off, int room) {
            int n = room & ~7;
            for (int i = 0; i < n; i += 8) {
                putLong(b, off + i, r.nextLong());
            }
            return n;
        }
    }

    /** The other kinds in turn, each continuing its own stream where its last segment stopped. */
    private static final class MixUnits implements Units {
        private final DataKind[] order;
        private final GeneratedStream[] streams;
        private int current;
        private int leftInSegment = MIX_SEGMENT;

        MixUnits(long seed) {
            order = mixOrder(seed);
            streams = new GeneratedStream[order.length];
            for (int i = 0; i < order.length; i++) {
                streams[i] = new GeneratedStream(units(order[i], seed), Long.MAX_VALUE);
            }
        }

        @Override
        public int fill(byte[] b, int off, int room) {
            int n = Math.min(room, leftInSegment);
            int done = 0;
            while (done < n) {
                // the sub-streams are unbounded generated streams: they never return -1
                done += streams[current].read(b, off + done, n - done);
            }
            leftInSegment -= n;
            if (leftInSegment == 0) {
                leftInSegment = MIX_SEGMENT;
                current = (current + 1) % order.length;
            }
            return n;
        }
    }

    private static byte[][] names(String... names) {
        byte[][] b = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            b[i] = names[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return b;
    }

    static void putInt(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) (v >>> 16);
        b[p + 3] = (byte) (v >>> 24);
    }

    static void putLong(byte[] b, int p, long v) {
        putInt(b, p, (int) v);
        putInt(b, p + 4, (int) (v >>> 32));
    }
}
