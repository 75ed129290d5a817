package dev.mmh.engine;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Worker threads that several engine runs share (for {@link Mmh#decompress(java.io.InputStream,
 * java.io.OutputStream, Workers, java.util.function.LongConsumer, Runnable)} and the matching {@code compress}): a
 * run started while another is finishing its last blocks queues its first blocks behind them, so a command that
 * handles file after file keeps every core busy across file boundaries, while at most {@link #threads()} blocks are
 * worked on at once. Each run keeps its own codec contexts and its own output order. Thread-safe; close it after
 * the last run.
 */
public final class Workers implements AutoCloseable {
    private static final AtomicInteger POOL = new AtomicInteger();
    private final int threads;
    private final ExecutorService executor;
    // the block buffers of every run on these workers: file after file reuses the same arrays instead of
    // allocating (zeroing and page-faulting) ~10 MB per block in flight for each file (compress takes its encoded
    // blocks from the stored pool)
    private final BufferPool rawPool = new BufferPool();
    private final BufferPool storedPool = new BufferPool();

    /** Starts nothing yet: threads are made as blocks arrive, up to {@code threads}. */
    public Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads);
        }
        this.threads = threads;
        int pool = POOL.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "mmh-shared-" + pool + "-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** How many blocks decode at once. */
    public int threads() {
        return threads;
    }

    BufferPool rawPool() {
        return rawPool;
    }

    BufferPool storedPool() {
        return storedPool;
    }

    ExecutorService executor() {
        return executor;
    }

    /** Stops the threads once the runs using them have returned (each run waits for its own blocks). */
    @Override
    public void close() {
        executor.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (executor.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
