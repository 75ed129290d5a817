package dev.mmh.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Numbered tasks with per-worker scratch: each runs once, the first failure stops them, interrupts end them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IndexedTasksTest {
    /** Writes {@code index * 3} into its own slot, counting scratch objects and the threads that ran. */
    private static final class Fill implements IndexedTasks.Body<int[]> {
        final int[] out;
        final AtomicInteger scratches = new AtomicInteger();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        Fill(int count) {
            out = new int[count];
        }

        @Override
        public int[] newScratch() {
            scratches.incrementAndGet();
            return new int[1];
        }

        @Override
        public void run(int index, int[] scratch) {
            threads.add(Thread.currentThread());
            scratch[0]++;
            out[index] += index * 3;
        }
    }

    @Test
    void everyTaskRunsOnceWithOneScratchPerWorker() throws Exception {
        Fill f = new Fill(5000);
        try (WorkerPool pool = new WorkerPool(3)) {
            IndexedTasks.run(pool, f.out.length, f);
        }
        for (int i = 0; i < f.out.length; i++) {
            assertEquals(i * 3, f.out[i], "task " + i);
        }
        assertTrue(f.scratches.get() >= 1 && f.scratches.get() <= 3, "scratches: " + f.scratches.get());
        assertTrue(!f.threads.contains(Thread.currentThread()), "on the pool's workers");
    }

    @Test
    void oneThreadRunsOnTheCallerWithoutAPool() throws Exception {
        Fill f = new Fill(100);
        IndexedTasks.run(1, f.out.length, f);
        assertEquals(Set.of(Thread.currentThread()), f.threads);
        assertEquals(1, f.scratches.get());
        assertEquals(297, f.out[99]);
        Fill none = new Fill(0);
        IndexedTasks.run(4, 0, none);
        assertEquals(0, none.scratches.get(), "no task, no scratch");
    }

    /** Fails at task {@code at} with {@code failure}; every task takes a millisecond. */
    private static Throwable failAt(int at, Throwable failure, AtomicInteger started) {
        try {
            IndexedTasks.run(3, 2000, new IndexedTasks.Body<Object>() {
                @Override
                public Object newScratch() {
                    return new Object();
                }

                @Override
                public void run(int index, Object scratch) throws IOException {
                    started.incrementAndGet();
                    if (index == at) {
                        OrderedPipelineTest.sneaky(failure);
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException();
                    }
                }
            });
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @Test
    void theFirstFailureStopsTheTasksAndReachesTheCallerByThePipelinesRule() {
        AtomicInteger started = new AtomicInteger();
        IOException io = new IOException("shard");
        assertSame(io, failAt(20, io, started));
        assertTrue(started.get() < 200, "tasks started after the failure: " + started.get());

        IOException cause = new IOException("cause");
        assertSame(cause, failAt(5, new UncheckedIOException(cause), new AtomicInteger()));
        IllegalArgumentException bug = new IllegalArgumentException("bug");
        assertSame(bug, failAt(5, bug, new AtomicInteger()));
        AssertionError err = new AssertionError("err");
        assertSame(err, failAt(5, err, new AtomicInteger()));
    }

    @Test
    void theLowestNumberedFailureWins() {
        IOException low = new IOException("low");
        IOException high = new IOException("high");
        CountDownLatch highFailed = new CountDownLatch(1);
        Throwable t;
        try {
            IndexedTasks.run(2, 2, new IndexedTasks.Body<Object>() {
                @Override
                public Object newScratch() {
                    return "";
                }

                @Override
                public void run(int index, Object scratch) throws IOException {
                    if (index == 1) {
                        highFailed.countDown();
                        throw high;
                    }
                    try {
                        highFailed.await();
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException();
                    }
                    throw low;
                }
            });
            t = null;
        } catch (Throwable x) {
            t = x;
        }
        assertSame(low, t);
    }

    @Test
    void anInterruptOfTheCallerStopsTheTasks() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger runningWhenThrown = new AtomicInteger(-1);
        CountDownLatch started = new CountDownLatch(2);
        Thread caller = new Thread(() -> {
            try {
                IndexedTasks.run(2, 100, new IndexedTasks.Body<Object>() {
                    @Override
                    public Object newScratch() {
                        return "";
                    }

                    @Override
                    public void run(int index, Object scratch) throws IOException {
                        running.incrementAndGet();
                        try {
                            started.countDown();
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            throw new InterruptedIOException();
                        } finally {
                            running.decrementAndGet();
                        }
                    }
                });
            } catch (Throwable t) {
                runningWhenThrown.set(running.get());
                thrown.set(t);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        started.await();
        while (caller.getState() != Thread.State.WAITING) {
            Thread.sleep(1);
        }
        caller.interrupt();
        caller.join();
        assertInstanceOf(InterruptedIOException.class, thrown.get());
        assertTrue(flagKept.get());
        assertEquals(0, runningWhenThrown.get());
    }

    @Test
    void rejectsNoThreads() {
        assertThrows(IllegalArgumentException.class, () -> IndexedTasks.run(0, 3, new Fill(3)));
    }
}
