package dev.mmh.recovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs numbered tasks on a few threads, each thread with its own scratch state made once, and stops at the
 * first failure. Results must go to disjoint places (per-task output), which keeps them independent of the
 * thread count.
 *
 * <p>Jobs are classes rather than lambdas on purpose: the first lambda of a JVM costs tens of milliseconds
 * of bootstrap, which a command-line run of {@code mmh protect} would pay on every call.
 */
final class Workers {
    private Workers() {}

    /** The work: scratch state for one worker, and the body of task {@code index}. */
    abstract static class Job<S> {
        abstract S newState();

        abstract void run(int index, S state) throws IOException;
    }

    static <S> void run(int threads, int tasks, Job<S> job) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads);
        }
        int n = Math.min(threads, tasks);
        if (n <= 1) {
            S s = tasks > 0 ? job.newState() : null;
            for (int i = 0; i < tasks; i++) {
                job.run(i, s);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> running = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
            Thread th = new Thread(new Runnable() {
                @Override
                public void run() {
                    try {
                        S s = job.newState();
                        for (int i; failure.get() == null && (i = next.getAndIncrement()) < tasks; ) {
                            job.run(i, s);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
            }, "mmh-recovery-".concat(Integer.toString(t)));
            th.setDaemon(true);
            th.start();
            running.add(th);
        }
        boolean interrupted = false;
        for (Thread th : running) {
            while (true) {
                try {
                    th.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    failure.compareAndSet(null, e);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = failure.get();
        if (f == null) {
            return;
        }
        if (f instanceof IOException io) {
            throw io;
        }
        if (f instanceof UncheckedIOException u) {
            throw u.getCause();
        }
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        throw new IOException("recovery worker interrupted", f);
    }
}
