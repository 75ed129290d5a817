package dev.mmh.work;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed number of workers that run the tasks of any number of {@link OrderedPipeline}s (and
 * {@link IndexedTasks}) at once: a command that handles file after file, or a server compressing many request
 * bodies, keeps every core busy across the boundaries between runs, while at most {@link #parallelism()} tasks run
 * at any moment. Tasks start in the order they were submitted, whichever pipeline they belong to.
 *
 * <p><b>Threads.</b> {@link #WorkerPool(int)} makes its own daemon threads ({@code mmh-worker-P-N}) as tasks
 * arrive, up to the parallelism, and keeps them until {@link #close()}. {@link #on(Executor, int)} runs the
 * workers on a caller's executor instead (a server's own pool, virtual threads): a worker is handed to the
 * executor when tasks are waiting and returns as soon as none is left, so it holds none of the executor's threads
 * while idle.
 *
 * <p><b>Worker state.</b> Each running task gets the {@link WorkerState} of its worker: codec contexts, scratch
 * arrays and other resources named by {@link ResourceKey}s, made on first use and reused by every later task on
 * this pool, whichever pipeline it belongs to. At most {@link #parallelism()} states exist. Resources that all
 * workers share (thread-safe ones, such as a pool of block buffers) are kept once per pool ({@link #shared}).
 *
 * <p><b>Tasks must be interruptible or bounded in time</b> (a codec call on one block is bounded): closing a
 * pipeline or the pool interrupts its running tasks and waits for them to return, for as long as that takes,
 * because a resource can only be closed once no task is using it. Note that interrupting a thread inside an
 * interruptible channel operation (a {@code FileChannel} read) closes that channel.
 *
 * <p><b>Shutdown rule.</b> {@link #close()} refuses new tasks ({@link RejectedExecutionException}), cancels the
 * queued ones (their pipelines' callers get a {@link java.util.concurrent.CancellationException}), interrupts the
 * running ones, returns once none is running any more, and then closes every worker state and shared resource.
 * Nothing is leaked on a timeout: there is none.
 *
 * <p>Thread-safe. Closing the pool from one of its own tasks is refused ({@link IllegalStateException}): it would
 * wait for itself.
 */
public final class WorkerPool implements AutoCloseable {
    /** What the pool runs: one task of a pipeline. */
    interface Job {
        /** Runs the task with the worker's state; never throws (the task's failure is recorded). */
        void run(WorkerState state);

        /** The pool closed before the task started. */
        void cancel();

        /** The pool is closing while the task runs. */
        void interrupt();
    }

    private static final AtomicInteger POOLS = new AtomicInteger();
    private final int parallelism;
    /** Where the workers run, or {@code null} for the pool's own threads. */
    private final Executor executor;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a task is queued for an idle own thread, and when the pool closes. */
    private final Condition work = lock.newCondition();
    /** Signalled when a worker gives back its state. */
    private final Condition returned = lock.newCondition();
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final ArrayDeque<WorkerState> idleStates = new ArrayDeque<>();
    private final List<WorkerState> states = new ArrayList<>();
    private final List<Job> running = new ArrayList<>();
    private final List<Thread> workerThreads = new ArrayList<>();
    private final Map<ResourceKey<?>, Object> shared = new HashMap<>();
    /** Workers started (or handed to the executor) that have not ended. */
    private int workers;
    /** Workers holding a state. */
    private int active;
    /** Own threads waiting for a task. */
    private int idle;
    /** Signals given to waiting threads that none of them has taken yet. */
    private int wakeups;
    private int threadsMade;
    private boolean closed;

    /**
     * A pool with threads of its own, made as tasks arrive.
     *
     * @param parallelism how many tasks run at once (1 or more)
     */
    public WorkerPool(int parallelism) {
        this(null, parallelism);
    }

    private WorkerPool(Executor executor, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism " + parallelism);
        }
        this.parallelism = parallelism;
        this.executor = executor;
        this.name = "mmh-worker-" + POOLS.incrementAndGet() + "-";
    }

    /**
     * A pool whose workers run on {@code executor}: at most {@code parallelism} of them at once, each for as long
     * as tasks are waiting. The executor must run what it is given eventually (a bounded queue that rejects fails
     * the pipeline's {@code submit} with {@link RejectedExecutionException} when no worker of this pool is
     * running); it is not shut down by {@link #close()}.
     */
    public static WorkerPool on(Executor executor, int parallelism) {
        return new WorkerPool(Objects.requireNonNull(executor, "executor"), parallelism);
    }

    /**
     * The pool for one run: {@code shared} when there is one (left open), else a pool of {@code threads} threads
     * made for the run, which {@link Use#close()} closes. For library entry points whose options carry "threads or
     * a shared pool".
     */
    public static Use use(WorkerPool shared, int threads) {
        return use(shared, null, threads);
    }

    /**
     * As {@link #use(WorkerPool, int)}, with the run's own pool on {@code executor} ({@link #on}) when it is not
     * {@code null}.
     */
    public static Use use(WorkerPool shared, Executor executor, int threads) {
        if (shared != null) {
            return new Use(shared, false);
        }
        return new Use(executor != null ? on(executor, threads) : new WorkerPool(threads), true);
    }

    /** A pool shared with the caller or made for one run; see {@link #use}. Not thread-safe. */
    public static final class Use implements AutoCloseable {
        private final WorkerPool pool;
        private final boolean own;

        private Use(WorkerPool pool, boolean own) {
            this.pool = pool;
            this.own = own;
        }

        /** The pool to run on. */
        public WorkerPool pool() {
            return pool;
        }

        /** Closes the pool if it was made for the run; a shared one is left as it is. */
        @Override
        public void close() {
            if (own) {
                pool.close();
            }
        }
    }

    /** How many tasks run at once at most. */
    public int parallelism() {
        return parallelism;
    }

    /**
     * The pool-wide resource {@code key} names, made on first use (under the pool's lock) and closed when the pool
     * closes. It is used by every worker and caller at once, so it must be thread-safe.
     *
     * @throws IllegalStateException if the pool is closed
     */
    @SuppressWarnings("unchecked")
    public <T> T shared(ResourceKey<T> key) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("worker pool closed");
            }
            Object r = shared.get(key);
            if (r == null) {
                r = Objects.requireNonNull(key.create(), "resource");
                shared.put(key, r);
            }
            return (T) r;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a task; a worker runs it when one is free.
     *
     * @throws RejectedExecutionException if the pool is closed, or no worker could be started to run the task
     */
    void execute(Job job) {
        boolean start = false;
        lock.lock();
        try {
            if (closed) {
                throw new RejectedExecutionException("worker pool closed");
            }
            queue.addLast(job);
            if (idle > wakeups) {
                wakeups++;
                work.signal();
            } else if (workers < parallelism) {
                workers++;
                start = true;
            }
        } finally {
            lock.unlock();
        }
        if (start) {
            startWorker(job);
        }
    }

    private void startWorker(Job job) {
        try {
            if (executor == null) {
                String threadName;
                lock.lock();
                try {
                    threadName = name + ++threadsMade;
                } finally {
                    lock.unlock();
                }
                Thread t = new Thread(new Worker(), threadName);
                t.setDaemon(true);
                t.start();
            } else {
                executor.execute(new Worker());
            }
        } catch (RuntimeException | Error e) {
            lock.lock();
            try {
                workers--;
                if (workers > 0 || !queue.remove(job)) {
                    return; // a running worker takes the task
                }
            } finally {
                lock.unlock();
            }
            throw e instanceof RejectedExecutionException r ? r : new RejectedExecutionException(e);
        }
    }

    /** One worker: takes tasks until none is left (on an executor) or the pool closes (own threads). */
    private final class Worker implements Runnable {
        @Override
        public void run() {
            Thread self = Thread.currentThread();
            WorkerState state = null;
            Job job = null;
            lock.lock();
            try {
                job = next(null);
                if (job == null) {
                    workers--;
                    return;
                }
                if (idleStates.isEmpty()) {
                    state = new WorkerState(); // at most parallelism: a state is made only when none is free
                    states.add(state);
                } else {
                    state = idleStates.pop();
                }
                active++;
                workerThreads.add(self);
            } finally {
                lock.unlock();
            }
            try {
                while (job != null) {
                    job.run(state);
                    state.trim();
                    lock.lock();
                    try {
                        running.remove(job);
                        job = null;
                        job = next(state);
                    } finally {
                        lock.unlock();
                    }
                }
            } finally {
                lock.lock();
                try {
                    if (job != null) {
                        running.remove(job); // only when a job's bookkeeping itself failed (an Error)
                    }
                    workerThreads.remove(self);
                    idleStates.push(state);
                    active--;
                    workers--;
                    returned.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }

        /**
         * The next task, or {@code null} when this worker ends: the pool closed, or (on an executor) no task is
         * waiting. Called with the lock held; own threads wait here for work.
         */
        private Job next(WorkerState state) {
            while (true) {
                if (closed) {
                    return null;
                }
                Job j = queue.pollFirst();
                if (j != null) {
                    running.add(j);
                    return j;
                }
                if (executor != null) {
                    return null;
                }
                idle++;
                try {
                    while (wakeups == 0 && !closed) {
                        work.awaitUninterruptibly();
                    }
                } finally {
                    idle--;
                }
                if (wakeups > 0) {
                    wakeups--;
                }
            }
        }
    }

    /**
     * Refuses new tasks, cancels the queued ones, interrupts the running ones and waits until none is running;
     * then closes every worker state and shared resource. Returns only once that is done, however long a task
     * that does not respond to its interrupt takes. A second call waits the same way and does nothing more.
     *
     * @throws IllegalStateException if called from a task of this pool
     */
    @Override
    public void close() {
        List<Job> cancelled = List.of();
        List<Job> interrupted = List.of();
        lock.lock();
        try {
            if (workerThreads.contains(Thread.currentThread())) {
                throw new IllegalStateException("a worker pool cannot be closed from one of its own tasks");
            }
            if (!closed) {
                closed = true;
                cancelled = new ArrayList<>(queue);
                queue.clear();
                interrupted = new ArrayList<>(running);
                work.signalAll();
            }
        } finally {
            lock.unlock();
        }
        for (Job j : cancelled) {
            j.cancel();
        }
        for (Job j : interrupted) {
            j.interrupt();
        }
        List<Object> toClose = new ArrayList<>();
        List<WorkerState> statesToClose;
        lock.lock();
        try {
            while (active > 0) {
                returned.awaitUninterruptibly();
            }
            statesToClose = new ArrayList<>(states);
            states.clear();
            idleStates.clear();
            toClose.addAll(shared.values());
            shared.clear();
        } finally {
            lock.unlock();
        }
        for (WorkerState s : statesToClose) {
            s.close();
        }
        WorkerState.closeAll(toClose);
    }

    /** Worker states made so far and not closed (for tests). */
    int states() {
        lock.lock();
        try {
            return states.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "WorkerPool[" + name + "parallelism " + parallelism + (executor != null ? ", on an executor" : "")
                + (closed ? ", closed" : "") + "]";
    }
}
