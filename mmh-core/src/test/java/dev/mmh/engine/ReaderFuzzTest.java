package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mmh.MmhException;
import dev.mmh.analysis.Goal;
import dev.mmh.codec.Codecs;
import dev.mmh.format.BlockHeader;
import dev.mmh.format.FileHeader;
import dev.mmh.format.Footer;
import dev.mmh.format.Format;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.LE;
import dev.mmh.format.SeekableArchive;
import dev.mmh.format.StoredBlock;
import dev.mmh.io.NativeLibraries;
import dev.mmh.testing.TestData;
import dev.mmh.transform.Transforms;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded mutation fuzzing of every reader, over every layout (compact, full, full with recovery data) and every
 * codec's and transform's decoder through the container. Mutations: bit flips, byte runs, truncation, inserted and
 * deleted bytes, splices of two archives, moved and repeated block sections, and, as a hostile writer would,
 * header, index, footer and recovery fields set to extreme values and block payloads damaged with their checksums
 * made valid again (so the codecs' decoders see damaged input). Readers: the stream reader ({@link Mmh#decompress}),
 * the seekable reader ({@link SeekableArchive} and each block read where the index says), {@link Verifier}, and the
 * recovery path ({@link Examination#examine}, {@link CopyRepair} and {@link InPlaceRepair}).
 *
 * <p>The rule for every case: a reader either throws from the {@link MmhException} family (no other exception, no
 * OutOfMemoryError, no hang: each case runs under a timeout) or returns exactly the original bytes. A verify that
 * says OK, or an examination that finds nothing damaged, promises that the archive decodes to the original. A
 * splice may form a valid archive of either input, so either input is an allowed output then, and nothing else.
 *
 * <p>The system property {@value #CASES_PROPERTY} sets the cases per subject and layout (default
 * {@value #DEFAULT_CASES}, a few seconds in all); run longer with {@code -Dmmh.fuzz.cases=5000}. With
 * {@code -Dmmh.bwt.native=false -Dmmh.numeric.native=false -Dmmh.xz.native=false} (the {@code java-decoders}
 * execution in mmh-core's pom) the subjects with a native decoder run again through the Java decoders.
 */
class ReaderFuzzTest {
    private static final long SEED = 0x6d6d68L;
    static final String CASES_PROPERTY = "mmh.fuzz.cases";
    static final int DEFAULT_CASES = 100;
    private static final int CASES = Integer.getInteger(CASES_PROPERTY, DEFAULT_CASES);
    /** Generous: a case takes milliseconds; a hang is what this catches. */
    private static final Duration CASE_TIMEOUT = Duration.ofSeconds(60);
    private static final String[] NATIVE_SWITCHES = {"mmh.bwt.native", "mmh.numeric.native", "mmh.xz.native"};
    /** Whether this JVM was started with the native decoders switched off. */
    private static final boolean JAVA_DECODERS = Stream.of(NATIVE_SWITCHES)
            .anyMatch(p -> "false".equals(System.getProperty(p)));

    enum Layout { COMPACT, FULL, RECOVERY }

    /**
     * An input and how it is compressed.
     *
     * @param hasNative whether a decoder its archives use has a native path that a property switches off
     */
    private record Subject(String name, int blockSize, boolean hasNative, LongFunction<byte[]> data,
            UnaryOperator<CompressOptions.Builder> options) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Subject> SUBJECTS = List.of(
            new Subject("store", 4096, false, seed -> FuzzInputs.random(3 * 4096 + 100, seed), b -> b.codec("store")),
            new Subject("zstd", 4096, false, seed -> FuzzInputs.text(3 * 4096 + 100, seed),
                    b -> b.codec("zstd").level(3)),
            new Subject("lz4", 4096, false, seed -> FuzzInputs.text(3 * 4096 + 100, seed), b -> b.codec("lz4")),
            new Subject("deflate", 4096, false, seed -> FuzzInputs.text(3 * 4096 + 100, seed),
                    b -> b.codec("deflate")),
            new Subject("brotli", 4096, false, seed -> FuzzInputs.text(3 * 4096 + 100, seed),
                    b -> b.codec("brotli")),
            new Subject("xz", 4096, true, seed -> FuzzInputs.text(3 * 4096 + 100, seed), b -> b.codec("xz").level(6)),
            new Subject("bwt", 4096, true, seed -> FuzzInputs.text(3 * 4096 + 100, seed), b -> b.codec("bwt")),
            // blocks of 64 KiB floats take numeric's format 03, the last one of 9000 bytes its format 01: both
            // are the ones that run in C
            new Subject("numeric", 64 << 10, true, seed -> FuzzInputs.floats(2 * (64 << 10) + 9000, seed),
                    b -> b.codec("numeric")),
            new Subject("auto-default", 16 << 10, false, seed -> FuzzInputs.mixed(16 << 10, seed, "periodic",
                    "floats", "samples16", "x86", "text", "random"), b -> b.goal(Goal.DEFAULT)),
            new Subject("auto-max", 16 << 10, true, seed -> FuzzInputs.mixed(16 << 10, seed, "records", "floats",
                    "samples16", "x86", "text", "periodic"), b -> b.goal(Goal.MAX)));

    /** The subjects this JVM runs: all of them, or with the Java decoders only those that have a native one. */
    private static List<Subject> subjects() {
        return SUBJECTS.stream().filter(s -> !JAVA_DECODERS || s.hasNative()).toList();
    }

    static Stream<Arguments> cases() {
        return subjects().stream().flatMap(s -> Stream.of(Layout.values()).map(l -> Arguments.of(s, l)));
    }

    /** An archive and the data it holds. */
    private record Archive(byte[] data, byte[] bytes) {
    }

    private static final Map<String, Archive> ARCHIVES = new ConcurrentHashMap<>();
    @TempDir
    static Path dir;

    private static Archive archive(Subject s, Layout l, long seed) {
        return ARCHIVES.computeIfAbsent(s.name() + "/" + l + "/" + seed, k -> {
            try {
                return make(s, l, seed);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static Archive make(Subject s, Layout l, long seed) throws IOException {
        byte[] all = s.data().apply(seed);
        byte[] data = l == Layout.COMPACT ? Arrays.copyOf(all, s.blockSize()) : all;
        CompressOptions o = s.options().apply(CompressOptions.builder().blockSize(s.blockSize()).threads(2))
                .compact(l != Layout.RECOVERY).build();
        byte[] a = TestData.compress(data, o);
        if (l == Layout.RECOVERY) {
            Path f = Files.createTempFile(dir, s.name(), ".mmh");
            Files.write(f, a);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ArchiveProtection.addRecovery(ch, 0.10, 2);
            }
            a = Files.readAllBytes(f);
        }
        assertEquals(l == Layout.COMPACT ? Format.COMPACT_VERSION : Format.VERSION, LE.get16(a, 8), s + " " + l);
        return new Archive(data, a);
    }

    // ---- where the structures are, so that mutations can hit fields and make checksums valid again ----

    /** A CRC32C over {@code [start, end)} stored at {@code crcAt}. */
    private record Checked(int start, int end, int crcAt) {
        void fix(byte[] b) {
            LE.put32(b, crcAt, Format.crc(b, start, end - start));
        }
    }

    /** A field of {@code width} bytes at {@code at} inside a checked structure. */
    private record Field(String name, Checked in, int at, int width) {
    }

    /** Every field of every structure of a sound archive, and its block payloads, found through the library. */
    private record Structures(List<Field> fields, List<Checked> payloads, List<int[]> blocks) {
    }

    private static Structures structures(byte[] a) throws IOException {
        Path f = Files.createTempFile(dir, "map", ".mmh");
        Files.write(f, a);
        List<Field> fields = new ArrayList<>();
        List<Checked> payloads = new ArrayList<>();
        List<int[]> blocks = new ArrayList<>();
        try (SeekableArchive s = SeekableArchive.open(f)) {
            FileHeader fh = s.header();
            int hashLen = fh.hash().length();
            int hl = BlockHeader.size(hashLen);
            if (fh.compact()) {
                Checked h = new Checked(0, 28, 28);
                addAll(fields, "compact header", h, 0, new int[][] {{8, 2}, {10, 2}, {12, 1}, {13, 1}, {14, 1},
                    {15, 1}, {16, 4}, {20, 4}, {24, 4}});
            } else {
                Checked h = new Checked(0, 36, 36);
                addAll(fields, "header", h, 0, new int[][] {{8, 2}, {10, 2}, {12, 1}, {13, 1}, {14, 1}, {15, 1},
                    {16, 4}, {20, 4}, {24, 8}, {32, 4}});
            }
            List<IndexEntry> es = s.index().entries();
            for (int i = 0; i < es.size(); i++) {
                int p = (int) es.get(i).offset();
                int stored = (int) es.get(i).storedSize();
                Checked h = new Checked(p, p + hl - 4, p + hl - 4);
                addAll(fields, "block " + i + " header", h, p, new int[][] {{4, 1}, {5, 1}, {6, 1}, {7, 1}, {8, 4},
                    {12, 8}, {20, 8}, {28, 8}, {36, 8}});
                payloads.add(new Checked(p + hl, p + hl + stored, p + hl + stored));
                blocks.add(new int[] {p, p + hl + stored + 4});
            }
            Footer ft = s.footer();
            if (!fh.compact()) {
                int io = (int) ft.indexOffset();
                int il = (int) ft.indexLength();
                Checked ix = new Checked(io, io + il - 4, io + il - 4);
                addAll(fields, "index", ix, io, new int[][] {{4, 4}, {8, 8}, {16, 8}});
                for (int i = 0; i < es.size(); i++) {
                    addAll(fields, "index entry " + i, ix, io + 24 + i * (Format.INDEX_ENTRY_FIXED + hashLen),
                            new int[][] {{0, 8}, {8, 8}, {16, 8}, {24, 8}, {32, 1}, {33, 1}, {34, 1}, {35, 1},
                                {36, 4}});
                }
                fields.add(new Field("index total", ix, io + il - 44, 8));
                int fo = a.length - Format.FOOTER_SIZE;
                addAll(fields, "footer", new Checked(fo, fo + 52, fo + 52), fo, new int[][] {{0, 8}, {8, 8}, {16, 8},
                    {24, 8}, {32, 8}, {40, 8}, {48, 2}, {50, 2}});
            }
            if (ft.recoveryOffset() != 0) {
                int ro = (int) ft.recoveryOffset();
                int rl = (int) ft.recoveryLength();
                addAll(fields, "recovery envelope", new Checked(ro, ro + 16, ro + rl - 4), ro,
                        new int[][] {{4, 4}, {8, 8}});
                int sectionLength = rl - Format.SECTION_ENVELOPE - 4;
                int[][] copy = {{8, 2}, {10, 1}, {11, 1}, {12, 1}, {13, 1}, {14, 2}, {16, 4}, {20, 4}, {24, 8},
                    {32, 8}, {40, 8}, {48, 8}, {56, 8}, {64, 8}, {72, 8}};
                for (int c = 0; c < 2; c++) {
                    int at = ro + Format.SECTION_ENVELOPE + (c == 0 ? 0 : sectionLength - 128);
                    addAll(fields, "recovery header copy " + c, new Checked(at, at + 124, at + 124), at, copy);
                }
            }
        }
        Files.delete(f);
        return new Structures(fields, payloads, blocks);
    }

    private static void addAll(List<Field> fields, String what, Checked in, int base, int[][] atWidth) {
        for (int[] f : atWidth) {
            fields.add(new Field(what + " +" + f[0], in, base + f[0], f[1]));
        }
    }

    // ---- mutations ----

    /** A mutated archive, what was done to it, and the data a reader may return for it. */
    private record Mutant(byte[] bytes, String what, List<byte[]> allowed) {
    }

    private static Mutant mutate(Subject s, Layout l, Archive good, Structures map, SplittableRandom r) {
        byte[] b = good.bytes().clone();
        List<byte[]> allowed = List.of(good.data());
        int n = b.length;
        switch (r.nextInt(14)) {
            case 0 -> {
                StringBuilder w = new StringBuilder("bits flipped at");
                for (int i = r.nextInt(1, 9); i > 0; i--) {
                    int at = r.nextInt(n);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                    w.append(' ').append(at);
                }
                return new Mutant(b, w.toString(), allowed);
            }
            case 1 -> {
                int at = r.nextInt(n);
                int len = r.nextInt(1, 300);
                int v = r.nextBoolean() ? 0 : r.nextBoolean() ? 0xff : r.nextInt(256);
                Arrays.fill(b, at, Math.min(n, at + len), (byte) v);
                return new Mutant(b, len + " bytes set to " + v + " at " + at, allowed);
            }
            case 2 -> {
                int at = r.nextInt(n);
                int len = Math.min(n - at, r.nextInt(1, 65));
                for (int i = 0; i < len; i++) {
                    b[at + i] = (byte) r.nextInt(256);
                }
                return new Mutant(b, len + " random bytes at " + at, allowed);
            }
            case 3 -> {
                int len = r.nextInt(n);
                return new Mutant(Arrays.copyOf(b, len), "cut to " + len + " bytes", allowed);
            }
            case 4 -> {
                int at = r.nextInt(n + 1);
                byte[] ins = new byte[r.nextInt(1, 65)];
                r.nextBytes(ins);
                if (r.nextBoolean()) {
                    // bytes of the archive itself: a repeated piece looks like structure
                    int from = r.nextInt(n);
                    ins = Arrays.copyOfRange(b, from, Math.min(n, from + ins.length));
                }
                return new Mutant(concat(Arrays.copyOf(b, at), ins, Arrays.copyOfRange(b, at, n)),
                        ins.length + " bytes inserted at " + at, allowed);
            }
            case 5 -> {
                int at = r.nextInt(n);
                int len = Math.min(n - at, r.nextInt(1, 65));
                return new Mutant(concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + len, n)),
                        len + " bytes deleted at " + at, allowed);
            }
            case 6 -> {
                // the head of this archive and the tail of another: of other data, or of the same in another layout
                Layout other = r.nextBoolean() ? l : Layout.values()[r.nextInt(Layout.values().length)];
                Archive partner = archive(s, other, other == l ? SEED + 1 : SEED);
                byte[] p = partner.bytes();
                int cut = r.nextInt(n + 1);
                int from = r.nextBoolean() ? Math.min(cut, p.length) : r.nextInt(p.length + 1);
                return new Mutant(concat(Arrays.copyOf(b, cut), Arrays.copyOfRange(p, from, p.length)),
                        "first " + cut + " bytes spliced to " + other + " archive"
                        + (other == l ? " of other data" : "") + " from " + from, List.of(good.data(), partner.data()));
            }
            case 7, 8, 9 -> {
                return hostileField(b, map, r, allowed);
            }
            case 10, 11 -> {
                // damaged codec data behind a valid checksum: what only the decoder and the raw hash can catch
                Checked p = map.payloads().get(r.nextInt(map.payloads().size()));
                if (p.end() == p.start()) {
                    return hostileField(b, map, r, allowed);
                }
                StringBuilder w = new StringBuilder("payload damaged, checksum made valid:");
                for (int i = r.nextInt(1, 5); i > 0; i--) {
                    int at = r.nextInt(p.start(), p.end());
                    if (r.nextBoolean()) {
                        b[at] ^= (byte) (1 << r.nextInt(8));
                    } else {
                        b[at] = (byte) (r.nextBoolean() ? 0 : r.nextInt(256));
                    }
                    w.append(' ').append(at);
                }
                p.fix(b);
                return new Mutant(b, w.toString(), allowed);
            }
            case 12 -> {
                List<int[]> blocks = map.blocks();
                int[] x = blocks.get(r.nextInt(blocks.size()));
                int[] y = blocks.get(r.nextInt(blocks.size()));
                byte[] bx = Arrays.copyOfRange(b, x[0], x[1]);
                if (r.nextBoolean() || x == y) {
                    // a block section repeated right after itself
                    return new Mutant(concat(Arrays.copyOf(b, x[1]), bx, Arrays.copyOfRange(b, x[1], n)),
                            "block section at " + x[0] + " repeated", allowed);
                }
                int[] lo = x[0] < y[0] ? x : y;
                int[] hi = x[0] < y[0] ? y : x;
                return new Mutant(concat(Arrays.copyOf(b, lo[0]), Arrays.copyOfRange(b, hi[0], hi[1]),
                        Arrays.copyOfRange(b, lo[1], hi[0]), Arrays.copyOfRange(b, lo[0], lo[1]),
                        Arrays.copyOfRange(b, hi[1], n)), "block sections at " + lo[0] + " and " + hi[0] + " swapped",
                        allowed);
            }
            default -> {
                byte[] tail = r.nextBoolean() ? good.bytes() : new byte[r.nextInt(1, 100)];
                return new Mutant(concat(b, tail), tail.length + " bytes appended", allowed);
            }
        }
    }

    /** A field set to an extreme value (in both recovery header copies, sometimes), its checksum made valid. */
    private static Mutant hostileField(byte[] b, Structures map, SplittableRandom r, List<byte[]> allowed) {
        Field f = map.fields().get(r.nextInt(map.fields().size()));
        long old = get(b, f.at(), f.width());
        long n = b.length;
        long[] values = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, 1L << 31, 1L << 32, 1L << 40,
            1L << 62, Format.MAX_BLOCKS, Format.MAX_BLOCKS + 1, Format.MAX_BLOCK_SIZE, Format.MAX_BLOCK_SIZE + 1L,
            n, n - 1, n + 1, old + 1, old - 1, old * 2, old / 2, old + 64, old - 64,
            old ^ 1L << r.nextInt(8 * f.width())};
        long v = values[r.nextInt(values.length)];
        put(b, f.at(), f.width(), v);
        f.in().fix(b);
        String what = f.name() + " set to " + v + " (was " + old + ")";
        if (f.name().startsWith("recovery header copy 0") && r.nextBoolean()) {
            // the same change in copy 1: a consistent hostile header, not one damaged copy
            for (Field g : map.fields()) {
                if (g.name().equals(f.name().replace("copy 0", "copy 1"))) {
                    put(b, g.at(), g.width(), v);
                    g.in().fix(b);
                    what += ", in both copies";
                }
            }
        }
        return new Mutant(b, what, allowed);
    }

    private static long get(byte[] b, int at, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }

    private static void put(byte[] b, int at, int width, long v) {
        for (int i = 0; i < width; i++) {
            b[at + i] = (byte) (v >>> 8 * i);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    // ---- the readers ----

    /** The seekable reader: the archive opened from its footer, each block read where the index says, decoded. */
    private static byte[] seekable(Path f) throws IOException {
        try (SeekableArchive a = SeekableArchive.open(f); dev.mmh.work.WorkerPool pool = new dev.mmh.work.WorkerPool(1);
             dev.mmh.work.OrderedPipeline<Mmh.Decoded> pipe = new dev.mmh.work.OrderedPipeline<>(pool, 1, null)) {
            FileHeader fh = a.header();
            int hl = BlockHeader.size(fh.hash().length());
            BufferPool buffers = new BufferPool();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<IndexEntry> es = a.index().entries();
            for (int i = 0; i < es.size(); i++) {
                IndexEntry e = es.get(i);
                BlockHeader h = Verifier.header(a, fh, e, i, new byte[hl]);
                int n = (int) h.storedSize();
                byte[] payload = new byte[n + 4];
                if (a.read(payload, e.offset() + hl, n + 4) < n + 4) {
                    throw new dev.mmh.CorruptDataException("stored data is cut off", e.offset() + hl, i);
                }
                StoredBlock sb = new StoredBlock(h, e.offset(), payload, LE.get32(payload, n));
                // decoded on a worker, with the per-worker codec contexts the engine uses
                pipe.submit(t -> Mmh.decode(t, fh, sb, buffers, buffers, null));
                Mmh.Decoded d = pipe.next();
                out.write(d.raw(), 0, d.len());
            }
            return out.toByteArray();
        }
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    /** What {@code reader} made of the case: its result, or {@code null} when it failed as documented. */
    private static <T> T documented(String label, String reader, Call<T> c) {
        try {
            return c.run();
        } catch (MmhException expected) {
            return null;
        } catch (Throwable t) {
            throw new AssertionError(label + ": " + reader + " failed outside the MmhException family: " + t, t);
        }
    }

    private static void assertAllowed(String label, String reader, byte[] out, List<byte[]> allowed) {
        if (out != null && allowed.stream().noneMatch(a -> Arrays.equals(a, out))) {
            fail(label + ": " + reader + " returned " + out.length + " bytes that are not the original ("
                    + allowed.get(0).length + " bytes)");
        }
    }

    private static byte[] decompress(byte[] archive) throws IOException {
        return TestData.decompress(archive, 2);
    }

    /** Every reader on one mutated archive, holding each to the rule in the class comment. */
    private static void check(String label, Mutant m, Path work) throws IOException {
        Path f = work.resolve("case.mmh");
        Files.write(f, m.bytes());
        byte[] streamed = documented(label, "decompress", () -> decompress(m.bytes()));
        assertAllowed(label, "decompress", streamed, m.allowed());
        byte[] seeked = documented(label, "the seekable reader", () -> seekable(f));
        assertAllowed(label, "the seekable reader", seeked, m.allowed());
        Verifier.Report r = documented(label, "verify", () -> Verifier.verify(f, dev.mmh.testing.TestData.threads(2)));
        if (r != null && r.ok()) {
            assertTrue(streamed != null && seeked != null, label + ": verify says OK, but "
                    + (streamed == null ? "decompress" : "the seekable reader") + " fails");
        }
        Examination e = documented(label, "examine", () -> {
            try (FileChannel ch = FileChannel.open(f)) {
                return Examination.examine(ch, 2);
            }
        });
        if (e == null || !e.hasRecovery()) {
            return;
        }
        if (e.clean()) {
            assertTrue(streamed != null, label + ": examine finds nothing damaged, but decompress fails");
        }
        if (!e.repairable()) {
            return;
        }
        Path copy = work.resolve("repaired.mmh");
        Files.deleteIfExists(copy);
        byte[] repaired = documented(label, "repair into a copy", () -> {
            try (FileChannel in = FileChannel.open(f);
                 FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                         StandardOpenOption.WRITE)) {
                CopyRepair.repair(in, e, out, 2);
            }
            return decompress(Files.readAllBytes(copy));
        });
        assertAllowed(label, "decompress after a repair into a copy", repaired, m.allowed());
        Path inPlace = work.resolve("in-place.mmh");
        Files.write(inPlace, m.bytes());
        InPlaceRepair.Outcome done = documented(label, "repair in place", () -> {
            try (FileChannel ch = FileChannel.open(inPlace, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                return InPlaceRepair.repair(ch, Examination.examine(ch, 2), 2);
            }
        });
        if (done != null) {
            byte[] after = documented(label, "decompress after a repair in place",
                    () -> decompress(Files.readAllBytes(inPlace)));
            assertTrue(after != null, label + ": repair in place reported success, but the archive does not decode");
            assertAllowed(label, "decompress after a repair in place", after, m.allowed());
        }
    }

    // ---- the tests ----

    @ParameterizedTest(name = "{0}, {1} layout")
    @MethodSource("cases")
    void readersFailOnlyAsDocumentedOrReturnTheOriginal(Subject s, Layout l, @TempDir Path work) throws Exception {
        Archive good = archive(s, l, SEED);
        Structures map = structures(good.bytes());
        assertArrayEquals(good.data(), decompress(good.bytes()), s + " " + l + ": the sound archive");
        long seed = SEED ^ (s.name().hashCode() * 31L + l.ordinal());
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < CASES; i++) {
            Mutant m = mutate(s, l, good, map, r);
            String label = s + " " + l + " case " + i + " (seed " + seed + "): " + m.what();
            assertTimeoutPreemptively(CASE_TIMEOUT, () -> check(label, m, work),
                    () -> label + ": no answer within " + CASE_TIMEOUT);
        }
    }

    /**
     * The archives the fuzzing starts from use every codec and every transform (numeric with both of its formats
     * that run in C), and the decoders run native or in Java as this JVM was asked: a change to the analysis or
     * to the build must not quietly take a decoder out of the fuzzing.
     */
    @Test
    void everyCodecAndTransformIsFuzzedNativeAndJava() throws IOException {
        Set<String> codecs = new TreeSet<>();
        Set<String> transforms = new TreeSet<>();
        Set<Integer> numericFormats = new TreeSet<>();
        for (Subject s : subjects()) {
            byte[] a = archive(s, Layout.FULL, SEED).bytes();
            Path f = Files.createTempFile(dir, "cover", ".mmh");
            Files.write(f, a);
            try (SeekableArchive sa = SeekableArchive.open(f)) {
                int hl = BlockHeader.size(sa.header().hash().length());
                for (IndexEntry e : sa.index().entries()) {
                    codecs.add(Codecs.byId(e.codecId()).name());
                    transforms.add(Transforms.byId(e.transformId()).name());
                    if (e.codecId() == Codecs.NUMERIC) {
                        numericFormats.add(a[(int) e.offset() + hl] & 0xff);
                    }
                }
            }
        }
        Set<String> nativeOnes = Set.of("xz", "bwt", "numeric");
        Set<String> want = new TreeSet<>();
        Codecs.all().stream().map(c -> c.name()).filter(c -> !JAVA_DECODERS || nativeOnes.contains(c))
                .forEach(want::add);
        assertTrue(codecs.containsAll(want), "codecs fuzzed: " + codecs + ", wanted " + want);
        assertTrue(numericFormats.containsAll(Set.of(1, 3)), "numeric formats: " + numericFormats);
        if (!JAVA_DECODERS) {
            Set<String> all = new TreeSet<>();
            Transforms.all().forEach(t -> all.add(t.name()));
            assertEquals(all, transforms, "transforms fuzzed");
        }
        for (String name : nativeOnes) {
            boolean built = ReaderFuzzTest.class.getResource(name.equals("xz") ? NativeLibraries.XZ
                    : NativeLibraries.CORE) != null;
            boolean isNative = Codecs.byName(name).isNative();
            if (JAVA_DECODERS) {
                assertFalse(isNative, name + " decodes natively although switched off");
            } else if (built) {
                assertTrue(isNative, name + "'s native decoder was built but is not in use");
            }
        }
    }
}
