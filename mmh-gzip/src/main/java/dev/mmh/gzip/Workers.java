package dev.mmh.gzip;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A stream's worker threads and the per-thread codec objects they reuse. Codec objects are pooled rather than
 * held in thread-locals so that {@link #close()} frees every one of them.
 */
final class Workers<T extends AutoCloseable> implements AutoCloseable {
    private static final AtomicInteger POOL_IDS = new AtomicInteger();
    private final ExecutorService executor;
    private final ConcurrentLinkedQueue<T> idle = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<T> all = new ConcurrentLinkedQueue<>();
    private final Supplier<T> factory;

    Workers(int threads, String role, Supplier<T> factory) {
        this.factory = factory;
        int id = POOL_IDS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "mmh-" + role + "-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A task that uses one codec object, borrowed for the call. */
    interface Task<T, R> {
        R run(T codec) throws IOException;
    }

    <R> Future<R> submit(Task<T, R> task) {
        return executor.submit(() -> {
            T codec = idle.poll();
            if (codec == null) {
                codec = factory.get();
                all.add(codec);
            }
            try {
                return task.run(codec);
            } finally {
                idle.add(codec);
            }
        });
    }

    /** Waits for a task, turning its failure back into the IOException it threw. */
    static <R> R await(Future<R> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a gzip worker");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }

    /** Stops the threads (waiting up to a minute for running tasks) and frees every codec object. */
    @Override
    public void close() {
        executor.shutdownNow();
        boolean stopped;
        try {
            stopped = executor.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = false;
        }
        if (!stopped) {
            // a native call may still be running on a codec object: leaking it is safe, freeing it is not
            return;
        }
        T c;
        while ((c = all.poll()) != null) {
            try {
                c.close();
            } catch (Exception e) {
                // freeing native memory does not fail in practice; nothing useful to do here
            }
        }
        idle.clear();
    }
}
