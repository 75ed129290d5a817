package dev.mmh.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.NotMmhFormatException;
import dev.mmh.analysis.Goal;
import dev.mmh.engine.ArchiveProtection;
import dev.mmh.engine.CompressOptions;
import dev.mmh.engine.Summary;
import dev.mmh.hash.ContentHash;
import dev.mmh.testing.TestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MmhStreamsTest {
    private static final int BLOCK = 4096;

    private static CompressOptions.Builder small() {
        return CompressOptions.builder().blockSize(BLOCK).threads(2);
    }

    /** How a test cuts its writes and reads. */
    enum Pattern { WHOLE, SINGLE_BYTES, ODD_SLICES }

    private static byte[] write(byte[] data, CompressOptions o, Pattern p) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (MmhOutputStream out = new MmhOutputStream(sink, o)) {
            switch (p) {
                case WHOLE -> out.write(data);
                case SINGLE_BYTES -> {
                    for (byte b : data) {
                        out.write(b);
                    }
                }
                case ODD_SLICES -> {
                    SplittableRandom r = new SplittableRandom(data.length);
                    for (int i = 0; i < data.length; ) {
                        int n = Math.min(data.length - i, 1 + r.nextInt(7919));
                        out.write(data, i, n);
                        i += n;
                        if (r.nextInt(5) == 0) {
                            out.flush();
                        }
                    }
                }
                default -> throw new AssertionError(p);
            }
        }
        return sink.toByteArray();
    }

    private static byte[] read(byte[] archive, CompressOptions o, Pattern p) throws IOException {
        try (MmhInputStream in = new MmhInputStream(new ByteArrayInputStream(archive), o)) {
            return readAll(in, p);
        }
    }

    private static byte[] readAll(InputStream in, Pattern p) throws IOException {
        switch (p) {
            case WHOLE:
                return in.readAllBytes();
            case SINGLE_BYTES: {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                for (int c; (c = in.read()) != -1; ) {
                    b.write(c);
                }
                return b.toByteArray();
            }
            default: {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                SplittableRandom r = new SplittableRandom(17);
                byte[] buf = new byte[9000];
                while (true) {
                    int want = 1 + r.nextInt(buf.length - 3);
                    int n = in.read(buf, 3, want);
                    if (n < 0) {
                        return b.toByteArray();
                    }
                    assertTrue(n > 0 && n <= want, "read returned " + n + " for " + want);
                    b.write(buf, 3, n);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4096, 4097, 3 * 4096 + 17, 100_000})
    void writesTheEngineBytesAndReadsThemBackForEveryPattern(int n) throws IOException {
        byte[] data = TestData.text(n, n);
        CompressOptions o = small().build();
        byte[] engine = TestData.compress(data, o);
        for (Pattern w : Pattern.values()) {
            byte[] archive = write(data, o, w);
            assertArrayEquals(engine, archive, "write pattern " + w);
            for (Pattern r : Pattern.values()) {
                assertArrayEquals(data, read(archive, o, r), "write " + w + ", read " + r);
            }
        }
        assertArrayEquals(data, TestData.decompress(write(data, o, Pattern.ODD_SLICES), 2));
    }

    @Test
    void sameBytesAsTheEngineForOtherOptions() throws IOException {
        byte[] data = TestData.text(60_000, 3);
        List<CompressOptions> options = List.of(small().goal(Goal.DEFAULT).build(), small().goal(Goal.MAX).build(),
                small().hash(ContentHash.SHA256).build(), small().compact(false).blockSize(1 << 20).build(),
                small().codec("lz4").threads(1).build(), small().level(1).threads(3).build(),
                small().blockSize(1 << 20).build());
        for (CompressOptions o : options) {
            byte[] archive = write(data, o, Pattern.ODD_SLICES);
            assertArrayEquals(TestData.compress(data, o), archive, o.toString());
            assertArrayEquals(data, read(archive, o, Pattern.ODD_SLICES), o.toString());
        }
    }

    @Test
    void readsCompactFullAndProtectedArchivesTheEngineWrote(@TempDir Path dir) throws IOException {
        byte[] data = TestData.text(50_000, 9);
        byte[] compact = TestData.compress(data, small().blockSize(1 << 20).build());
        byte[] full = TestData.compress(data, small().build());
        Path p = dir.resolve("p.mmh");
        Files.write(p, full);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ArchiveProtection.addRecovery(ch, 0.1, 1);
        }
        byte[] protectedArchive = Files.readAllBytes(p);
        assertTrue(protectedArchive.length > full.length + 1000, "a recovery section was added");
        for (byte[] a : List.of(compact, full, protectedArchive)) {
            assertArrayEquals(data, read(a, small().build(), Pattern.WHOLE));
        }
        try (MmhInputStream in = new MmhInputStream(new FileInputStream(p.toFile()))) {
            assertArrayEquals(data, in.readAllBytes());
            Summary s = in.summary();
            assertEquals(data.length, s.rawBytes());
            assertEquals(protectedArchive.length, s.archiveBytes());
            assertEquals(13, s.blocks());
        }
    }

    @Test
    void filesRoundTripThroughTheOneArgumentConstructors(@TempDir Path dir) throws IOException {
        byte[] data = TestData.text(3_000_000, 4);
        Path p = dir.resolve("a.mmh");
        try (OutputStream out = new MmhOutputStream(new FileOutputStream(p.toFile()))) {
            out.write(data);
        }
        // what mmh compress writes without options: the analysis per block for the default goal
        assertArrayEquals(TestData.compress(data, CompressOptions.builder().goal(Goal.DEFAULT).build()),
                Files.readAllBytes(p));
        try (InputStream in = new MmhInputStream(Files.newInputStream(p))) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    @Test
    void runsOnACallersExecutorAndReportsProgress() throws IOException {
        byte[] data = TestData.text(40_000, 8);
        ExecutorService ex = Executors.newFixedThreadPool(3);
        try {
            AtomicLong written = new AtomicLong();
            AtomicLong read = new AtomicLong();
            CompressOptions o = small().executor(ex).progress(written::addAndGet).build();
            byte[] archive = write(data, o, Pattern.ODD_SLICES);
            assertArrayEquals(TestData.compress(data, small().build()), archive);
            assertEquals(data.length, written.get());
            assertArrayEquals(data, read(archive, o.toBuilder().progress(read::addAndGet).build(), Pattern.WHOLE));
            assertEquals(data.length, read.get());
        } finally {
            ex.shutdownNow();
        }
    }

    /** Reads until the stream throws; returns the bytes read before and the exception. */
    private static IOException readUntilFailure(MmhInputStream in, ByteArrayOutputStream got) {
        byte[] buf = new byte[1000];
        try {
            for (int n; (n = in.read(buf)) != -1; ) {
                got.write(buf, 0, n);
            }
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("read the damaged archive to its end");
    }

    private static void everyLaterCallThrows(MmhInputStream in, IOException first) {
        for (IOException e : List.of(assertThrows(IOException.class, in::read),
                assertThrows(IOException.class, () -> in.read(new byte[10])),
                assertThrows(IOException.class, () -> in.skip(5)), assertThrows(IOException.class, in::available))) {
            assertSame(first, e.getCause(), e.toString());
        }
    }

    @Test
    void aTruncatedArchiveFailsAfterTheBytesBeforeTheCutWithItsPlace() throws IOException {
        byte[] data = TestData.text(5 * BLOCK, 2);
        byte[] archive = TestData.compress(data, small().build());
        SplittableRandom r = new SplittableRandom(5);
        List<Integer> cuts = new ArrayList<>(List.of(archive.length - 1, archive.length - 40, 20, 100));
        for (int i = 0; i < 20; i++) {
            cuts.add(r.nextInt(33, archive.length));
        }
        for (int cut : cuts) {
            byte[] t = Arrays.copyOf(archive, cut);
            IOException e;
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            MmhInputStream in;
            try {
                in = new MmhInputStream(new ByteArrayInputStream(t), small().build());
            } catch (CorruptDataException ce) {
                assertTrue(cut < 40, "header fails only when cut inside it: " + cut);
                continue;
            }
            e = readUntilFailure(in, got);
            CorruptDataException c = assertInstanceOf(CorruptDataException.class, e, "cut " + cut);
            assertTrue(c.getMessage().contains("truncated"), c.getMessage());
            assertTrue(c.offset() >= 0 && c.offset() <= cut, c.getMessage());
            byte[] before = got.toByteArray();
            assertArrayEquals(Arrays.copyOf(data, before.length), before, "cut " + cut);
            if (c.block() >= 0) {
                assertEquals(c.block() * BLOCK, before.length, "every block before the cut was returned: " + c);
            }
            everyLaterCallThrows(in, e);
            in.close();
        }
    }

    @Test
    void aDamagedBlockFailsWithItsNumberAndNothingOfItIsReturned() throws IOException {
        byte[] data = TestData.text(5 * BLOCK, 6);
        byte[] archive = TestData.compress(data, small().build());
        int damagedOffsets = 0;
        int tried = 0;
        for (int at = 40; at < archive.length; at += 7) {
            tried++;
            byte[] d = archive.clone();
            d[at] ^= 0x10;
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            MmhInputStream in = new MmhInputStream(new ByteArrayInputStream(d), small().build());
            IOException e = readUntilFailure(in, got);
            assertInstanceOf(dev.mmh.MmhException.class, e, "at " + at);
            byte[] before = got.toByteArray();
            assertArrayEquals(Arrays.copyOf(data, before.length), before, "at " + at);
            if (e instanceof CorruptDataException c && c.block() >= 0) {
                assertEquals(c.block() * BLOCK, before.length, e.getMessage());
                damagedOffsets++;
            }
            everyLaterCallThrows(in, e);
        }
        assertTrue(damagedOffsets > tried / 2, "damage inside blocks found: " + damagedOffsets + " of " + tried);
    }

    @Test
    void aFlippedPayloadByteIsAChecksumMismatchOfThatBlock() throws IOException {
        byte[] data = TestData.text(5 * BLOCK, 6);
        byte[] archive = TestData.compress(data, small().build());
        long block2;
        Path tmp = Files.createTempFile("mmh", ".mmh");
        try {
            Files.write(tmp, archive);
            try (dev.mmh.format.SeekableArchive a = dev.mmh.format.SeekableArchive.open(tmp)) {
                block2 = a.index().entries().get(2).offset();
            }
        } finally {
            Files.delete(tmp);
        }
        archive[(int) block2 + 100] ^= 1;
        MmhInputStream in = new MmhInputStream(new ByteArrayInputStream(archive), small().build());
        IOException e = readUntilFailure(in, new ByteArrayOutputStream());
        ChecksumMismatchException c = assertInstanceOf(ChecksumMismatchException.class, e);
        assertEquals(2, c.block());
        assertTrue(c.getMessage().startsWith("block 2 at offset "), c.getMessage());
    }

    @Test
    void foreignInputAndDataAfterTheArchiveAreRefused() throws IOException {
        assertThrows(NotMmhFormatException.class,
                () -> new MmhInputStream(new ByteArrayInputStream(TestData.text(1000, 1))));
        byte[] archive = TestData.compress(TestData.text(3 * BLOCK, 1), small().build());
        byte[] more = Arrays.copyOf(archive, archive.length + 1);
        MmhInputStream in = new MmhInputStream(new ByteArrayInputStream(more));
        IOException e = readUntilFailure(in, new ByteArrayOutputStream());
        assertTrue(e.getMessage().contains("data after the end of the archive"), e.getMessage());
    }

    @Test
    void aMemoryLimitBelowTwoBlocksIsRefusedWhenOpening() throws IOException {
        byte[] archive = TestData.compress(TestData.text(3 * BLOCK, 1), small().blockSize(1 << 20).build());
        assertThrows(LimitExceededException.class, () -> new MmhInputStream(new ByteArrayInputStream(archive),
                small().memoryLimit(3 << 20).build()));
        assertThrows(LimitExceededException.class, () -> new MmhOutputStream(new ByteArrayOutputStream(),
                small().blockSize(1 << 20).memoryLimit(3 << 20).build()));
    }

    /** An output stream that fails once {@code limit} bytes were written to it. */
    private static final class FailingSink extends OutputStream {
        private final int limit;
        private int written;
        boolean closed;

        FailingSink(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written + len > limit) {
                throw new IOException("disk full");
            }
            written += len;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aFailingUnderlyingStreamFailsTheStreamForGood() throws IOException {
        byte[] data = TestData.random(20 * BLOCK, 3);
        for (int limit : new int[] {0, 100, 5 * BLOCK, 19 * BLOCK, 20 * BLOCK + 200}) {
            FailingSink sink = new FailingSink(limit);
            MmhOutputStream out = new MmhOutputStream(sink, small().build());
            IOException first = null;
            try {
                for (int i = 0; i < data.length; i += 1000) {
                    out.write(data, i, Math.min(1000, data.length - i));
                }
                out.flush();
            } catch (IOException e) {
                first = e;
            }
            if (first == null) {
                first = assertThrows(IOException.class, out::close, "limit " + limit);
                assertEquals("disk full", first.getMessage());
                assertTrue(sink.closed);
                IOException again = assertThrows(IOException.class, out::close);
                assertSame(first, again.getCause());
                continue;
            }
            assertEquals("disk full", first.getMessage(), "limit " + limit);
            IOException w = assertThrows(IOException.class, () -> out.write(1));
            assertSame(first, w.getCause());
            assertSame(first, assertThrows(IOException.class, () -> out.write(data, 0, 10)).getCause());
            assertSame(first, assertThrows(IOException.class, out::flush).getCause());
            assertSame(first, assertThrows(IOException.class, out::finish).getCause());
            assertSame(first, assertThrows(IOException.class, out::close).getCause());
            assertTrue(sink.closed, "close closes the underlying stream after a failure too");
        }
    }

    @Test
    void closeIsIdempotentAndWritesAfterItThrow() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        MmhOutputStream out = new MmhOutputStream(sink, small().build());
        out.write(TestData.text(10_000, 1));
        out.close();
        int length = sink.size();
        out.close();
        assertEquals(length, sink.size());
        assertThrows(IOException.class, () -> out.write(1));
        MmhInputStream in = new MmhInputStream(new ByteArrayInputStream(sink.toByteArray()));
        in.close();
        in.close();
        assertThrows(IOException.class, in::read);
    }

    @Test
    void finishLeavesTheUnderlyingStreamOpenAndSummarises() throws IOException {
        byte[] data = TestData.text(10_000, 1);
        FailingSink sink = new FailingSink(Integer.MAX_VALUE);
        MmhOutputStream out = new MmhOutputStream(sink, small().build());
        out.write(data);
        Summary s = out.finish();
        assertEquals(data.length, s.rawBytes());
        assertEquals(TestData.compress(data, small().build()).length, s.archiveBytes());
        assertEquals(3, s.blocks());
        assertTrue(!sink.closed);
        out.close();
        assertTrue(sink.closed);
    }

    /**
     * A stream of far more bytes than the heap holds goes through both streams: a child JVM with a 64 MiB heap
     * writes 320 MiB through MmhOutputStream and reads them back through MmhInputStream.
     */
    @Test
    void memoryStaysBoundedWhateverTheInputLength(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                BoundedChild.class.getName(), dir.resolve("big.mmh").toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("ok 335544320"), output);
    }

    /** Writes and reads back 320 MiB of generated text in 1 MiB blocks; prints "ok BYTES". */
    public static final class BoundedChild {
        public static void main(String[] args) throws IOException {
            Path file = Path.of(args[0]);
            byte[] piece = TestData.text(1 << 20, 1);
            int pieces = 320;
            CompressOptions o = CompressOptions.builder().blockSize(1 << 20).threads(2).level(1).build();
            try (OutputStream out = new MmhOutputStream(new FileOutputStream(file.toFile()), o)) {
                for (int i = 0; i < pieces; i++) {
                    piece[i] = (byte) i; // every piece differs a little
                    out.write(piece);
                }
            }
            long total = 0;
            byte[] got = new byte[1 << 20];
            piece = TestData.text(1 << 20, 1);
            try (InputStream in = new MmhInputStream(new FileInputStream(file.toFile()), o)) {
                for (int i = 0; i < pieces; i++) {
                    piece[i] = (byte) i;
                    if (in.readNBytes(got, 0, got.length) != got.length || !Arrays.equals(got, piece)) {
                        throw new AssertionError("piece " + i + " differs");
                    }
                    total += got.length;
                }
                if (in.read() != -1) {
                    throw new AssertionError("more bytes than written");
                }
            }
            System.out.println("ok " + total);
        }
    }
}
