package dev.mmh.engine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ordered, bounded work queue: tasks run on {@code threads} workers (its own, or {@link Workers} shared with
 * other pipelines), results are consumed in submission order by the calling thread, and at most
 * {@code maxInFlight} tasks exist at once, so memory stays bounded whatever the input size. Not thread-safe: one
 * producer/consumer thread drives it.
 */
final class Pipeline<T> implements AutoCloseable {
    /** Consumer of results in order. */
    interface Sink<T> {
        void accept(T result) throws IOException;
    }

    private static final AtomicInteger RUN = new AtomicInteger();
    private final ExecutorService workers;
    /** Whether this pipeline made {@link #workers} (and so shuts them down), or shares them. */
    private final boolean ownWorkers;
    private final ArrayDeque<Future<T>> inFlight = new ArrayDeque<>();
    private final int maxInFlight;
    private final Sink<T> sink;
    /** Guards {@link #closed} and {@link #running}, the tasks of this pipeline inside their code right now. */
    private final Object lock = new Object();
    private boolean closed;
    private int running;

    Pipeline(int threads, int maxInFlight, Sink<T> sink) {
        int run = RUN.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "mmh-" + run + "-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.ownWorkers = true;
        this.maxInFlight = maxInFlight;
        this.sink = sink;
    }

    /** A pipeline on shared workers, which it leaves running when it closes. */
    Pipeline(Workers shared, int maxInFlight, Sink<T> sink) {
        this.workers = shared.executor();
        this.ownWorkers = false;
        this.maxInFlight = maxInFlight;
        this.sink = sink;
    }

    /** Submits a task after handing finished results (and, when full, the oldest result) to the sink. */
    void submit(Callable<T> task) throws IOException {
        drain(false);
        inFlight.addLast(workers.submit(() -> {
            synchronized (lock) {
                if (closed) {
                    throw new java.util.concurrent.CancellationException("pipeline closed");
                }
                running++;
            }
            try {
                return task.call();
            } finally {
                synchronized (lock) {
                    running--;
                    lock.notifyAll();
                }
            }
        }));
    }

    /** Waits for every task and hands all results to the sink. */
    void finish() throws IOException {
        drain(true);
    }

    private void drain(boolean all) throws IOException {
        while (!inFlight.isEmpty() && (all || inFlight.size() >= maxInFlight || inFlight.peekFirst().isDone())) {
            sink.accept(await(inFlight.pollFirst()));
        }
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException("internal error in a worker: " + c, c);
        }
    }

    /**
     * Cancels what is still queued and waits for this pipeline's running tasks to stop, so that the codec contexts
     * closed after this pipeline are never freed while a worker is still inside a native call with them. Shared
     * workers go on with other pipelines' tasks.
     */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true; // a task not yet started now never starts
        }
        for (Future<T> f : inFlight) {
            f.cancel(true);
        }
        inFlight.clear();
        if (ownWorkers) {
            workers.shutdownNow();
        }
        boolean interrupted = false;
        synchronized (lock) {
            while (running > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        while (ownWorkers) {
            try {
                if (workers.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
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
