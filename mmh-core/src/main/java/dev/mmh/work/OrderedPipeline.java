package dev.mmh.work;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * An ordered, bounded work pipeline on a {@link WorkerPool}: the calling thread submits tasks, the pool's workers
 * run several at once, and the results come back to the calling thread in submission order, either to a
 * {@link Sink} (during {@link #submit}, {@link #deliverReady} and {@link #finish}) or, without a sink, one at a time
 * from {@link #next}. The engine's compress, decompress and verify, the gzip streams and {@link IndexedTasks} run
 * on it; so should anything that cuts a stream into pieces, works on them in parallel and writes them in order.
 *
 * <p><b>Bound.</b> At most {@link #maxInFlight()} tasks exist at once: submitted and not yet handed to the sink or
 * taken with {@code next()}. When the bound is reached, {@code submit} first waits for the oldest result and hands
 * it to the sink, so memory held by tasks and their results stays bounded whatever the length of the input.
 *
 * <p><b>Failure rule.</b> A task's failure reaches the caller when the caller reaches that task's result: every
 * task submitted before it is delivered first, so the caller sees what a run of the tasks one after another on its
 * own thread would have shown, whatever the number of workers and their timing. The failure is thrown by
 * {@code submit}, {@code finish}, {@code deliverReady} or {@code next}:
 * <ul>
 *   <li>an {@link IOException} (an {@link dev.mmh.MmhException} included) as the task threw it;
 *   <li>an {@link UncheckedIOException} as its {@code IOException} cause (an I/O failure carried through an
 *       interface that cannot throw one);
 *   <li>any other {@link RuntimeException}, and any {@link Error}, unchanged: a bug is never disguised as an I/O
 *       error.
 * </ul>
 * Once a task has failed, none of the tasks submitted after it starts; those already running finish (they are
 * interrupted only when the pipeline is closed). An exception from the sink propagates as it is, with the same
 * effect on later tasks. After the caller has been given a failure, every method but {@link #close()} refuses
 * further use with an {@link IllegalStateException}. A task that never ran because the pool was closed makes the
 * caller get a {@link CancellationException}.
 *
 * <p><b>Shutdown rule.</b> {@link #close()} cancels this pipeline's queued tasks, interrupts its running ones and
 * returns only when none of them is running any more, so nothing a task uses (codec contexts, the caller's
 * buffers and channels) is freed under it; other pipelines on the same pool go on. Tasks must therefore be
 * interruptible or bounded in time (a codec call on one block is). Results not yet delivered are dropped. Close
 * the pipeline in a {@code finally} (try-with-resources) after every use, failed or not.
 *
 * <p><b>Interrupts.</b> If the calling thread is interrupted while it waits for a result, the pipeline is closed
 * as above, the thread's interrupt flag is set again and the call throws an {@link InterruptedIOException}.
 *
 * <p>One thread, the caller, drives {@code submit}, {@code submitCompleted}, {@code deliverReady}, {@code finish}
 * and {@code next}; the sink runs on it. {@code close()} may also be called from another thread, to abandon the
 * run: a caller waiting for a result then gets a {@link CancellationException}. Closing a pipeline from one of its
 * own tasks is refused ({@link IllegalStateException}).
 *
 * @param <T> the tasks' result
 */
public final class OrderedPipeline<T> implements AutoCloseable {
    /** One piece of work; runs on a worker of the pool. */
    @FunctionalInterface
    public interface Task<T> {
        /**
         * @param worker the state of the worker running the task: its resources are the task's alone until it
         *     returns, and must not be used afterwards
         */
        T run(WorkerState worker) throws IOException;
    }

    /** Receives the results in submission order, on the calling thread. */
    @FunctionalInterface
    public interface Sink<T> {
        void accept(T result) throws IOException;
    }

    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    private static final int FAILED = 3;
    private static final int CANCELLED = 4;

    private final WorkerPool pool;
    private final int maxInFlight;
    private final Sink<T> sink;
    /** Submitted and not yet delivered, oldest first. Guarded by {@code this}, as are the fields below. */
    private final ArrayDeque<Entry<T>> inFlight = new ArrayDeque<>();
    private long submitted;
    /** Tasks inside {@link Task#run} now. */
    private int running;
    /** Tasks numbered above this one do not start: one of this number failed, or the sink did. */
    private long stopAfter = Long.MAX_VALUE;
    private boolean closed;
    /** The failure the caller was given; further use is refused. */
    private Throwable broken;

    /**
     * @param pool the workers that run the tasks; not closed by this pipeline
     * @param maxInFlight most tasks existing at once (1 or more)
     * @param sink receives the results in order, or {@code null} to take them with {@link #next()} instead
     */
    public OrderedPipeline(WorkerPool pool, int maxInFlight, Sink<T> sink) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight " + maxInFlight);
        }
        this.pool = Objects.requireNonNull(pool, "pool");
        this.maxInFlight = maxInFlight;
        this.sink = sink;
    }

    /** Most tasks that exist at once. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** Tasks submitted and not yet delivered. */
    public synchronized int inFlight() {
        return inFlight.size();
    }

    /**
     * Queues a task on the pool, after handing finished results to the sink and, when {@link #maxInFlight()} tasks
     * exist, waiting for the oldest one's. Without a sink, the caller must take results with {@link #next()} before
     * the bound is reached.
     *
     * @throws IOException a failure of an earlier task or of the sink, by the failure rule
     * @throws InterruptedIOException if the calling thread was interrupted while waiting
     * @throws IllegalStateException after a failure or close, or without a sink when the bound is reached
     * @throws java.util.concurrent.RejectedExecutionException if the pool is closed
     */
    public void submit(Task<T> task) throws IOException {
        Objects.requireNonNull(task, "task");
        makeRoom();
        Entry<T> e;
        synchronized (this) {
            usable();
            e = new Entry<>(this, task, submitted++);
            inFlight.addLast(e);
        }
        try {
            pool.execute(e);
        } catch (RuntimeException | Error x) {
            synchronized (this) {
                inFlight.remove(e);
                broken = x;
            }
            throw x;
        }
    }

    /**
     * Adds a result the caller has already computed, to be delivered in its place in the order; it counts towards
     * the bound like a task.
     */
    public void submitCompleted(T result) throws IOException {
        makeRoom();
        synchronized (this) {
            usable();
            Entry<T> e = new Entry<>(this, null, submitted++);
            e.state = DONE;
            e.result = result;
            inFlight.addLast(e);
        }
    }

    private void makeRoom() throws IOException {
        if (sink != null) {
            deliverReady();
        }
        while (inFlight() >= maxInFlight) {
            if (sink == null) {
                throw new IllegalStateException("pipeline full: take a result with next() first");
            }
            deliver(takeOldest());
        }
    }

    /** Hands the results that are ready, in order, to the sink; does not wait. */
    public void deliverReady() throws IOException {
        needSink();
        while (true) {
            synchronized (this) {
                usable();
                Entry<T> head = inFlight.peekFirst();
                if (head == null || head.state <= RUNNING) {
                    return;
                }
            }
            deliver(takeOldest());
        }
    }

    /** Waits for every task submitted so far and hands their results, in order, to the sink. */
    public void finish() throws IOException {
        needSink();
        while (inFlight() > 0) {
            deliver(takeOldest());
        }
    }

    /**
     * Without a sink: the oldest result, once its task has finished.
     *
     * @throws NoSuchElementException if no task is in flight
     */
    public T next() throws IOException {
        if (sink != null) {
            throw new IllegalStateException("this pipeline delivers to its sink");
        }
        return takeOldest();
    }

    private void needSink() {
        if (sink == null) {
            throw new IllegalStateException("this pipeline has no sink: take results with next()");
        }
    }

    private void deliver(T result) throws IOException {
        try {
            sink.accept(result);
        } catch (IOException | RuntimeException | Error e) {
            synchronized (this) {
                broken = e;
                stopAfter = -1;
            }
            throw e;
        }
    }

    /** Waits for the oldest task and removes it, returning its result or throwing its failure. */
    private synchronized T takeOldest() throws IOException {
        usable();
        Entry<T> head = inFlight.peekFirst();
        if (head == null) {
            throw new NoSuchElementException("no task in flight");
        }
        while (true) {
            if (closed) {
                throw new CancellationException("pipeline closed");
            }
            if (head.state > RUNNING) {
                break;
            }
            try {
                wait();
            } catch (InterruptedException ie) {
                close();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a worker");
            }
        }
        inFlight.pollFirst();
        if (head.state == DONE) {
            T r = head.result;
            head.result = null;
            return r;
        }
        stopAfter = -1;
        if (head.state == CANCELLED) {
            CancellationException c = new CancellationException("the worker pool was closed");
            broken = c;
            throw c;
        }
        broken = head.failure;
        throw rethrow(head.failure);
    }

    /**
     * Throws {@code t} by the failure rule: an IOException as it is, an UncheckedIOException's cause, any other
     * RuntimeException or Error unchanged (a checked exception a task could not declare is wrapped in an
     * {@link UndeclaredThrowableException}). Declared to return so that callers can write {@code throw rethrow(t)}.
     */
    static IOException rethrow(Throwable t) throws IOException {
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof UncheckedIOException u) {
            throw u.getCause();
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new UndeclaredThrowableException(t);
    }

    private void usable() {
        if (closed) {
            throw new IllegalStateException("pipeline closed");
        }
        if (broken != null) {
            throw new IllegalStateException("pipeline failed earlier: " + broken, broken);
        }
    }

    /**
     * Cancels the queued tasks, interrupts the running ones and returns when none of them is running any more
     * (however long a task that ignores its interrupt takes); undelivered results are dropped. Keeps the calling
     * thread's interrupt flag. Further calls do nothing more.
     *
     * @throws IllegalStateException if called from one of this pipeline's tasks
     */
    @Override
    public void close() {
        boolean interrupted = false;
        synchronized (this) {
            for (Entry<T> e : inFlight) {
                if (e.state == RUNNING && e.thread == Thread.currentThread()) {
                    throw new IllegalStateException("a pipeline cannot be closed from one of its own tasks");
                }
            }
            closed = true;
            for (Entry<T> e : inFlight) {
                if (e.state == QUEUED) {
                    e.state = CANCELLED;
                    e.task = null;
                } else if (e.state == RUNNING) {
                    e.interruptLocked();
                }
            }
            while (running > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            inFlight.clear();
            notifyAll();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One task and its outcome; its fields are guarded by the pipeline. */
    private static final class Entry<T> implements WorkerPool.Job {
        private final OrderedPipeline<T> pipe;
        private final long number;
        private Task<T> task;
        private int state = QUEUED;
        private T result;
        private Throwable failure;
        /** The worker running the task, while it runs. */
        private Thread thread;
        /** Whether the pipeline interrupted {@link #thread}, so the flag is cleared before the next task. */
        private boolean interrupted;

        Entry(OrderedPipeline<T> pipe, Task<T> task, long number) {
            this.pipe = pipe;
            this.task = task;
            this.number = number;
        }

        @Override
        public void run(WorkerState state) {
            Task<T> t;
            synchronized (pipe) {
                if (this.state != QUEUED) {
                    return; // cancelled while queued
                }
                if (pipe.closed || number > pipe.stopAfter) {
                    this.state = CANCELLED;
                    task = null;
                    pipe.notifyAll();
                    return;
                }
                this.state = RUNNING;
                thread = Thread.currentThread();
                pipe.running++;
                t = task;
                task = null;
            }
            T r = null;
            Throwable f = null;
            try {
                r = t.run(state);
            } catch (Throwable x) {
                f = x;
            }
            synchronized (pipe) {
                thread = null;
                if (interrupted) {
                    Thread.interrupted(); // the interrupt was for this task, not for the worker's next one
                }
                pipe.running--;
                if (f == null) {
                    result = r;
                    this.state = DONE;
                } else {
                    failure = f;
                    this.state = FAILED;
                    pipe.stopAfter = Math.min(pipe.stopAfter, number);
                }
                pipe.notifyAll();
            }
        }

        @Override
        public void cancel() {
            synchronized (pipe) {
                if (state == QUEUED) {
                    state = CANCELLED;
                    task = null;
                    pipe.notifyAll();
                }
            }
        }

        @Override
        public void interrupt() {
            synchronized (pipe) {
                interruptLocked();
            }
        }

        void interruptLocked() {
            if (state == RUNNING && thread != null && !interrupted) {
                interrupted = true;
                thread.interrupt();
            }
        }
    }
}
