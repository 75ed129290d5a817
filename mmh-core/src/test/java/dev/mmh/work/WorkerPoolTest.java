package dev.mmh.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Worker states: reused across runs, bounded, closed exactly once and never under a running task. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerPoolTest {
    /** A resource that counts how often it is closed, and notices being closed while in use. */
    static final class Counted implements AutoCloseable {
        final AtomicInteger closes = new AtomicInteger();
        volatile boolean inUse;
        volatile boolean closedInUse;

        @Override
        public void close() {
            closes.incrementAndGet();
            closedInUse |= inUse;
        }
    }

    /** Makes {@link Counted} resources and remembers each. */
    static final class Maker implements ResourceKey<Counted> {
        final List<Counted> made = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Counted create() {
            Counted c = new Counted();
            made.add(c);
            return c;
        }
    }

    /** A distinct key per number (equal by number alone), all recording into one list. */
    static final class Numbered implements ResourceKey<Counted> {
        final int n;
        final List<Counted> made;

        Numbered(int n, List<Counted> made) {
            this.n = n;
            this.made = made;
        }

        @Override
        public Counted create() {
            Counted c = new Counted();
            made.add(c);
            return c;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Numbered k && k.n == n;
        }

        @Override
        public int hashCode() {
            return n;
        }
    }

    private static Set<Counted> run(WorkerPool pool, Maker key, int tasks) throws IOException {
        Set<Counted> used = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        try (OrderedPipeline<Counted> p = new OrderedPipeline<>(pool, 8, used::add)) {
            for (int i = 0; i < tasks; i++) {
                p.submit(w -> {
                    Counted c = w.get(key);
                    assertSame(c, w.get(key), "one resource per key and worker");
                    pause(1);
                    return c;
                });
            }
            p.finish();
        }
        return used;
    }

    private static void pause(long ms) throws java.io.InterruptedIOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        }
    }

    @Test
    void laterRunsReuseTheResourcesOfEarlierOnesAndPoolCloseClosesEachOnce() throws Exception {
        Maker key = new Maker();
        WorkerPool pool = new WorkerPool(3);
        Set<Counted> first = run(pool, key, 60);
        Set<Counted> second = run(pool, key, 60);
        assertTrue(key.made.size() <= 3, "at most one per worker: " + key.made.size());
        assertFalse(Collections.disjoint(first, second), "the second run used what the first made");
        for (Counted c : key.made) {
            assertEquals(0, c.closes.get(), "nothing is closed while the pool is open");
        }
        assertTrue(pool.states() <= 3);
        pool.close();
        for (Counted c : key.made) {
            assertEquals(1, c.closes.get(), "closed exactly once");
        }
        pool.close();
        for (Counted c : key.made) {
            assertEquals(1, c.closes.get(), "a second close closes nothing again");
        }
        assertEquals(0, pool.states());
    }

    @Test
    void aBusyTaskDelaysPoolCloseAndItsStateIsClosedOnlyAfterItReturns() throws Exception {
        Maker key = new Maker();
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        WorkerPool pool = new WorkerPool(1);
        OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 2, r -> { });
        p.submit(w -> {
            Counted c = w.get(key);
            c.inUse = true;
            started.countDown();
            while (!release.get()) {
                Thread.onSpinWait(); // a native call: does not look at its interrupt
            }
            c.inUse = false;
            return 0;
        });
        try {
            started.await();
            Thread closer = new Thread(pool::close);
            closer.start();
            closer.join(300);
            assertTrue(closer.isAlive(), "the pool's close waits for the running task");
            assertEquals(0, key.made.get(0).closes.get(), "its resources stay open meanwhile");
            release.set(true);
            closer.join();
            assertEquals(1, key.made.get(0).closes.get());
            assertFalse(key.made.get(0).closedInUse, "never closed while the task used it");
        } finally {
            release.set(true);
        }
        p.close();
    }

    @Test
    void resourcesBeyondTheBoundAreClosedAfterTheTaskNeverDuringIt() throws Exception {
        List<Counted> made = Collections.synchronizedList(new ArrayList<>());
        int n = WorkerState.MAX_RESOURCES + 5;
        try (WorkerPool pool = new WorkerPool(1)) {
            List<Integer> closedDuring = new ArrayList<>();
            try (OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 2, closedDuring::add)) {
                p.submit(w -> {
                    for (int i = 0; i < n; i++) {
                        w.get(new Numbered(i, made));
                    }
                    int closed = 0;
                    for (Counted c : made) {
                        closed += c.closes.get();
                    }
                    return closed;
                });
                p.finish();
                // the one worker trims between tasks: once the next task has run, the first one's trim is done
                p.submit(w -> -1);
                p.finish();
            }
            assertEquals(List.of(0, -1), closedDuring, "nothing a task asked for is closed before it returns");
            int closed = 0;
            for (int i = 0; i < n; i++) {
                closed += made.get(i).closes.get();
                assertEquals(i < 5 ? 1 : 0, made.get(i).closes.get(), "resource " + i);
            }
            assertEquals(5, closed, "the least recently used beyond the bound");
        }
        for (Counted c : made) {
            assertEquals(1, c.closes.get(), "pool close closes the rest, each once");
        }
    }

    @Test
    void manyRunsAtOnceShareTheWorkersAndEachKeepsItsOrder() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Maker key = new Maker();
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try (WorkerPool pool = new WorkerPool(3)) {
            List<Future<List<Integer>>> runs = new ArrayList<>();
            for (int r = 0; r < 6; r++) {
                int run = r;
                runs.add(callers.submit(() -> {
                    List<Integer> got = new ArrayList<>();
                    try (OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 4, got::add)) {
                        for (int i = 0; i < 80; i++) {
                            int n = i;
                            p.submit(w -> {
                                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                                w.get(key);
                                try {
                                    pause((n + run) % 3);
                                } finally {
                                    running.decrementAndGet();
                                }
                                return run * 1000 + n;
                            });
                        }
                        p.finish();
                    }
                    return got;
                }));
            }
            for (int r = 0; r < 6; r++) {
                List<Integer> got = runs.get(r).get();
                assertEquals(80, got.size());
                for (int i = 0; i < 80; i++) {
                    assertEquals(r * 1000 + i, got.get(i), "run " + r);
                }
            }
            assertTrue(peak.get() <= 3, "tasks running at once across runs: " + peak.get());
            assertTrue(key.made.size() <= 3, "states: " + key.made.size());
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void onAnExecutorTheWorkersHoldNoThreadWhileIdle() throws Exception {
        ThreadPoolExecutor executor = (ThreadPoolExecutor) Executors.newCachedThreadPool();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Maker key = new Maker();
        try (WorkerPool pool = WorkerPool.on(executor, 2)) {
            for (int round = 0; round < 3; round++) {
                List<Integer> got = new ArrayList<>();
                try (OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 6, got::add)) {
                    for (int i = 0; i < 50; i++) {
                        int n = i;
                        p.submit(w -> {
                            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                            w.get(key);
                            try {
                                pause(n % 2);
                            } finally {
                                running.decrementAndGet();
                            }
                            return n;
                        });
                    }
                    p.finish();
                }
                assertEquals(50, got.size());
                for (int i = 0; i < 50; i++) {
                    assertEquals(i, got.get(i));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (executor.getActiveCount() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertEquals(0, executor.getActiveCount(), "no executor thread held between runs");
            }
            assertTrue(peak.get() <= 2, "at most the parallelism on the executor: " + peak.get());
            assertTrue(key.made.size() <= 2, "states kept across runs: " + key.made.size());
        } finally {
            executor.shutdown();
        }
        for (Counted c : key.made) {
            assertEquals(1, c.closes.get());
        }
    }

    @Test
    void sharedResourcesAreMadeOnceAndClosedWithThePool() throws Exception {
        Maker key = new Maker();
        WorkerPool pool = new WorkerPool(2);
        Counted a = pool.shared(key);
        assertSame(a, pool.shared(key));
        assertEquals(0, a.closes.get());
        pool.close();
        assertEquals(1, a.closes.get());
        assertThrows(IllegalStateException.class, () -> pool.shared(key));
    }

    @Test
    void aPoolCannotBeClosedFromItsOwnTask() throws Exception {
        try (WorkerPool pool = new WorkerPool(1);
             OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 2, r -> { })) {
            p.submit(w -> {
                pool.close();
                return 0;
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, p::finish);
            assertTrue(e.getMessage().contains("own tasks"), e.getMessage());
        }
    }

    @Test
    void aRunOnItsOwnPoolOrASharedOne() throws Exception {
        try (WorkerPool shared = new WorkerPool(2)) {
            try (WorkerPool.Use use = WorkerPool.use(shared, 7)) {
                assertSame(shared, use.pool());
            }
            assertFalse(run(shared, new Maker(), 4).isEmpty(), "a shared pool stays open");
        }
        WorkerPool own;
        try (WorkerPool.Use use = WorkerPool.use(null, 3)) {
            own = use.pool();
            assertEquals(3, own.parallelism());
        }
        assertThrows(IllegalStateException.class, () -> own.shared(new Maker()), "a pool made for the run is closed");
    }
}
