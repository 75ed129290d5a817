package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.LimitExceededException;
import dev.mmh.testing.TestData;
import dev.mmh.work.WorkerPool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The run settings that live in the options objects: memory limit, progress, threads or a pool. */
class EngineOptionsTest {
    private static final int BLOCK = 64 << 10;
    /** What one block in flight counts against the memory limit. */
    private static final long PER_BLOCK = 2L * BLOCK + 64 * 1024;

    @Test
    void theMemoryLimitBoundsTheBlocksInFlight() throws IOException {
        assertEquals(10, Mmh.inFlightFor(BLOCK, 4, 0), "2 per thread + 2 within the default limit");
        assertEquals(3, Mmh.inFlightFor(BLOCK, 4, 3 * PER_BLOCK + PER_BLOCK / 2));
        assertEquals(2, Mmh.inFlightFor(BLOCK, 4, 2 * PER_BLOCK));
        assertThrows(LimitExceededException.class, () -> Mmh.inFlightFor(BLOCK, 4, 2 * PER_BLOCK - 1));
    }

    @Test
    void aRunThatCannotHoldTwoBlocksFailsWithALimitAndTheBytesDoNotDependOnTheLimit() throws IOException {
        byte[] data = TestData.text(700_000, 3);
        CompressOptions plain = CompressOptions.builder().blockSize(BLOCK).threads(3).build();
        byte[] archive = TestData.compress(data, plain);
        assertArrayEquals(archive, TestData.compress(data, plain.toBuilder().memoryLimit(2 * PER_BLOCK).build()),
                "two blocks in flight make the same archive");
        assertThrows(LimitExceededException.class,
                () -> TestData.compress(data, plain.toBuilder().memoryLimit(2 * PER_BLOCK - 1).build()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mmh.decompress(new ByteArrayInputStream(archive), out,
                DecompressOptions.builder().threads(3).memoryLimit(2 * PER_BLOCK).build());
        assertArrayEquals(data, out.toByteArray());
        assertThrows(LimitExceededException.class, () -> Mmh.decompress(new ByteArrayInputStream(archive),
                new ByteArrayOutputStream(), DecompressOptions.builder().memoryLimit(2 * PER_BLOCK - 1).build()));
        assertThrows(IllegalArgumentException.class, () -> plain.toBuilder().memoryLimit(-1).build());
    }

    @Test
    void progressCountsEveryRawByteOnTheCallingThread() throws IOException {
        byte[] data = TestData.text(500_000, 4);
        AtomicLong done = new AtomicLong();
        Set<Thread> threads = new HashSet<>();
        CompressOptions o = CompressOptions.builder().blockSize(BLOCK).threads(2).progress(n -> {
            done.addAndGet(n);
            threads.add(Thread.currentThread());
        }).build();
        byte[] archive = TestData.compress(data, o);
        assertEquals(data.length, done.get());
        assertEquals(Set.of(Thread.currentThread()), threads);
        done.set(0);
        threads.clear();
        Mmh.decompress(new ByteArrayInputStream(archive), OutputStream.nullOutputStream(),
                DecompressOptions.builder().threads(2).progress(n -> {
                    done.addAndGet(n);
                    threads.add(Thread.currentThread());
                }).build());
        assertEquals(data.length, done.get());
        assertEquals(Set.of(Thread.currentThread()), threads);
    }

    @Test
    void aPoolSetsTheThreadsRunsTheBlocksAndStaysOpenAfterTheRun() throws IOException {
        byte[] data = TestData.text(300_000, 5);
        AtomicLong workersStarted = new AtomicLong();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
        java.util.concurrent.Executor counting = r -> {
            workersStarted.incrementAndGet();
            threads.execute(r);
        };
        try (WorkerPool pool = WorkerPool.on(counting, 3)) {
            CompressOptions o = CompressOptions.builder().blockSize(BLOCK).threads(1).pool(pool).build();
            assertEquals(3, o.threads(), "the pool's parallelism");
            byte[] a = TestData.compress(data, o);
            byte[] b = TestData.compress(data, o);
            assertArrayEquals(a, b, "a second run on the same pool");
            assertTrue(workersStarted.get() > 0, "the blocks ran on the pool");
            assertArrayEquals(TestData.compress(data, o.toBuilder().pool(null).threads(1).build()), a);
            long before = workersStarted.get();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Mmh.decompress(new ByteArrayInputStream(a), out, DecompressOptions.builder().pool(pool).build());
            assertArrayEquals(data, out.toByteArray());
            assertTrue(workersStarted.get() > before, "decompress ran on the pool too");
            assertEquals(3, DecompressOptions.builder().pool(pool).build().threads());
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void aFailingInputReachesTheCallerAsItWasThrown() {
        IOException broken = new IOException("device gone");
        InputStream in = new InputStream() {
            private int calls;

            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (++calls > 5) {
                    throw broken;
                }
                return len;
            }
        };
        assertSame(broken, assertThrows(IOException.class, () -> Mmh.compress(in, OutputStream.nullOutputStream(),
                CompressOptions.builder().blockSize(BLOCK).threads(2).build())));
    }

    @Test
    void aBugInTheOutputIsNotDisguisedAsAnIoError() {
        IllegalStateException bug = new IllegalStateException("bug in the sink");
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                throw bug;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                throw bug;
            }
        };
        assertSame(bug, assertThrows(IllegalStateException.class, () -> Mmh.compress(
                new ByteArrayInputStream(TestData.text(400_000, 6)), out,
                CompressOptions.builder().blockSize(BLOCK).threads(2).build())));
    }
}
