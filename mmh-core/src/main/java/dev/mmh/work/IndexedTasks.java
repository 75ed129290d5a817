package dev.mmh.work;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs numbered tasks {@code 0 .. count-1} on a {@link WorkerPool}, for work whose results go to disjoint places
 * (task {@code i} writes its own part of an output), which keeps them independent of the number of workers: the
 * recovery encoder's code-word runs, the repairer's scans and copies. Each worker taking part makes one scratch
 * state with {@link Body#newScratch()} when it takes its first task and uses it for every task it takes after;
 * tasks are taken in increasing order. With one worker, or one task, everything runs on the calling thread.
 *
 * <p><b>Failure rule.</b> Once a task has failed, no further task starts; those already running finish. Then the
 * failure of the lowest-numbered task that failed is thrown as {@link OrderedPipeline} throws a task's failure
 * (an {@link IOException} as it is, an {@link UncheckedIOException}'s cause, any other exception or error
 * unchanged). An interrupt of the calling thread while it waits stops the tasks as {@link OrderedPipeline#close()}
 * does and throws an {@link InterruptedIOException}, with the thread's interrupt flag kept; an interrupted worker
 * starts no further task and the run fails with an {@code InterruptedIOException}.
 *
 * <p>{@link Body} has two methods, so callers write classes rather than lambdas: the first lambda of a JVM costs
 * tens of milliseconds of bootstrap, which a command-line run of {@code mmh protect} would pay on every call.
 */
public final class IndexedTasks {
    private IndexedTasks() {
    }

    /** The work: a worker's scratch state, and task {@code index}. Called on the workers, concurrently. */
    public interface Body<S> {
        /** Scratch for one worker, made before its first task; not shared between workers. */
        S newScratch() throws IOException;

        /** Task {@code index} with this worker's scratch. */
        void run(int index, S scratch) throws IOException;
    }

    /** Runs the tasks on {@code pool}, at most {@code pool.parallelism()} at once, and returns when all are done. */
    public static <S> void run(WorkerPool pool, int count, Body<S> body) throws IOException {
        int runners = Math.min(pool.parallelism(), count);
        if (runners <= 1) {
            inline(count, body);
            return;
        }
        Tasks tasks = new Tasks(count);
        try (OrderedPipeline<Void> p = new OrderedPipeline<>(pool, runners, new OrderedPipeline.Sink<Void>() {
            @Override
            public void accept(Void result) {
            }
        })) {
            for (int r = 0; r < runners; r++) {
                p.submit(new Runner<>(tasks, body));
            }
            p.finish();
        }
        tasks.throwFailure();
    }

    /**
     * Runs the tasks on {@code threads} threads of a pool made for this call and closed before it returns, or on
     * the calling thread alone when {@code threads} or {@code count} is 1 (no thread is started then).
     */
    public static <S> void run(int threads, int count, Body<S> body) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads);
        }
        int n = Math.min(threads, count);
        if (n <= 1) {
            inline(count, body);
            return;
        }
        try (WorkerPool pool = new WorkerPool(n)) {
            run(pool, count, body);
        }
    }

    private static <S> void inline(int count, Body<S> body) throws IOException {
        try {
            S s = null;
            for (int i = 0; i < count; i++) {
                if (s == null) {
                    s = body.newScratch();
                }
                body.run(i, s);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The next task to take, and the lowest-numbered failure so far. */
    private static final class Tasks {
        private final int count;
        private final AtomicInteger next = new AtomicInteger();
        private volatile boolean stop;
        private int failedTask = Integer.MAX_VALUE;
        private Throwable failure;

        Tasks(int count) {
            this.count = count;
        }

        /** The next task's number, or -1 when none is left or a task failed. */
        int take() {
            if (stop) {
                return -1;
            }
            int i = next.getAndIncrement();
            return i < count ? i : -1;
        }

        synchronized void fail(int task, Throwable t) {
            stop = true;
            if (task < failedTask) {
                failedTask = task;
                failure = t;
            }
        }

        synchronized void throwFailure() throws IOException {
            if (failure != null) {
                throw OrderedPipeline.rethrow(failure);
            }
        }
    }

    /** One worker's share: takes tasks until none is left. */
    private static final class Runner<S> implements OrderedPipeline.Task<Void> {
        private final Tasks tasks;
        private final Body<S> body;

        Runner(Tasks tasks, Body<S> body) {
            this.tasks = tasks;
            this.body = body;
        }

        @Override
        public Void run(WorkerState worker) {
            S scratch = null;
            for (int i; (i = tasks.take()) >= 0; ) {
                if (Thread.currentThread().isInterrupted()) {
                    tasks.fail(i, new InterruptedIOException("interrupted before task " + i));
                    break;
                }
                try {
                    if (scratch == null) {
                        scratch = body.newScratch();
                    }
                    body.run(i, scratch);
                } catch (Throwable t) {
                    tasks.fail(i, t);
                    break;
                }
            }
            return null;
        }
    }
}
