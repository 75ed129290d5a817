package dev.mmh.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pipeline's order, bound, failure rule, shutdown rule and interrupts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OrderedPipelineTest {
    /** A task of number {@code i} that sleeps a little at random, so that tasks finish out of order. */
    private static OrderedPipeline.Task<Integer> jittery(int i) {
        return w -> {
            sleep((i * 7919) % 5);
            return i;
        };
    }

    private static void sleep(long ms) throws InterruptedIOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    @Test
    void resultsReachTheSinkInSubmissionOrder() throws Exception {
        List<Integer> got = new ArrayList<>();
        try (WorkerPool pool = new WorkerPool(4);
             OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 6, got::add)) {
            for (int i = 0; i < 300; i++) {
                p.submit(jittery(i));
            }
            p.finish();
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            expected.add(i);
        }
        assertEquals(expected, got);
    }

    @Test
    void neverMoreThanMaxInFlightTasksExistAndAtMostParallelismRun() throws Exception {
        AtomicInteger alive = new AtomicInteger();
        AtomicInteger peakAlive = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peakRunning = new AtomicInteger();
        try (WorkerPool pool = new WorkerPool(3);
             OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 5, r -> alive.decrementAndGet())) {
            for (int i = 0; i < 200; i++) {
                int n = i;
                p.submit(w -> {
                    peakRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    sleep(n % 3);
                    running.decrementAndGet();
                    return n;
                });
                // counted after submit returns: submit may only return once a result has left, if the bound was
                // reached
                peakAlive.accumulateAndGet(alive.incrementAndGet(), Math::max);
            }
            p.finish();
        }
        assertEquals(0, alive.get());
        assertEquals(5, peakAlive.get(), "tasks submitted and not yet delivered, at most");
        assertTrue(peakRunning.get() <= 3, "tasks running at once: " + peakRunning.get());
    }

    @Test
    void completedResultsTakeTheirPlaceInTheOrder() throws Exception {
        List<Integer> got = new ArrayList<>();
        try (WorkerPool pool = new WorkerPool(2);
             OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 4, got::add)) {
            for (int i = 0; i < 40; i++) {
                if (i % 3 == 0) {
                    p.submitCompleted(i);
                } else {
                    p.submit(jittery(i));
                }
            }
            p.finish();
        }
        for (int i = 0; i < 40; i++) {
            assertEquals(i, got.get(i));
        }
    }

    @Test
    void withoutASinkResultsAreTakenInOrder() throws Exception {
        try (WorkerPool pool = new WorkerPool(3);
             OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 4, null)) {
            int next = 0;
            for (int i = 0; i < 50; i++) {
                if (p.inFlight() == p.maxInFlight()) {
                    assertEquals(next++, p.next());
                }
                p.submit(jittery(i));
            }
            assertThrows(IllegalStateException.class, () -> p.submit(jittery(99)), "the bound holds without a sink");
            while (p.inFlight() > 0) {
                assertEquals(next++, p.next());
            }
            assertEquals(50, next);
        }
    }

    /**
     * Runs ten tasks on one worker, task 2 failing with {@code failure}; returns what reached the caller. The sink
     * takes its time over result 1, so that the worker has run task 2 and could go on to the next ones before the
     * caller reaches the failure.
     */
    private static Throwable failAtTwo(Throwable failure, List<Integer> delivered, List<Integer> started) {
        try (WorkerPool pool = new WorkerPool(1);
             OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 10, r -> {
                 delivered.add(r);
                 if (r == 1) {
                     sleep(300);
                 }
             })) {
            for (int i = 0; i < 10; i++) {
                int n = i;
                p.submit(w -> {
                    started.add(n);
                    if (n == 2) {
                        sneaky(failure);
                    }
                    return n;
                });
            }
            p.finish();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** Throws {@code t}, checked or not, past the compiler. */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> void sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Test
    void anIOExceptionReachesTheCallerAsThrownAfterTheResultsBeforeIt() {
        IOException boom = new IOException("boom");
        List<Integer> delivered = Collections.synchronizedList(new ArrayList<>());
        List<Integer> started = Collections.synchronizedList(new ArrayList<>());
        assertSame(boom, failAtTwo(boom, delivered, started));
        assertEquals(List.of(0, 1), delivered);
        assertEquals(List.of(0, 1, 2), started, "no task starts after a failure");
    }

    @Test
    void anUncheckedIOExceptionReachesTheCallerAsItsCause() {
        IOException cause = new IOException("disk");
        Throwable t = failAtTwo(new UncheckedIOException(cause), new ArrayList<>(), new ArrayList<>());
        assertSame(cause, t);
    }

    @Test
    void aRuntimeExceptionIsNotDisguisedAsAnIOError() {
        IllegalStateException bug = new IllegalStateException("bug");
        assertSame(bug, failAtTwo(bug, new ArrayList<>(), new ArrayList<>()));
    }

    @Test
    void anErrorReachesTheCallerUnchanged() {
        AssertionError err = new AssertionError("error");
        assertSame(err, failAtTwo(err, new ArrayList<>(), new ArrayList<>()));
    }

    @Test
    void aCheckedExceptionATaskCouldNotDeclareIsWrappedNotLost() {
        Exception odd = new Exception("odd");
        Throwable t = failAtTwo(odd, new ArrayList<>(), new ArrayList<>());
        assertInstanceOf(java.lang.reflect.UndeclaredThrowableException.class, t);
        assertSame(odd, t.getCause());
    }

    @Test
    void theFirstFailureInSubmissionOrderWinsWhateverFinishesFirst() throws Exception {
        IOException first = new IOException("task 3");
        IOException second = new IOException("task 4");
        CountDownLatch fourFailed = new CountDownLatch(1);
        List<Integer> delivered = new ArrayList<>();
        try (WorkerPool pool = new WorkerPool(2);
             OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 8, delivered::add)) {
            for (int i = 0; i < 6; i++) {
                int n = i;
                p.submit(w -> {
                    if (n == 3) {
                        try {
                            fourFailed.await(); // task 4 fails before task 3 does
                        } catch (InterruptedException e) {
                            throw new InterruptedIOException();
                        }
                        throw first;
                    }
                    if (n == 4) {
                        fourFailed.countDown();
                        throw second;
                    }
                    return n;
                });
            }
            assertSame(first, assertThrows(IOException.class, p::finish));
            assertEquals(List.of(0, 1, 2), delivered);
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> p.submit(jittery(9)));
            assertSame(first, refused.getCause(), "a failed pipeline refuses further use");
            assertThrows(IllegalStateException.class, p::finish);
        }
    }

    @Test
    void aSinkFailurePropagatesAsItIsAndStopsLaterTasks() throws Exception {
        IOException full = new IOException("disk full");
        AtomicInteger started = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch sinkFailed = new CountDownLatch(1);
        try (WorkerPool pool = new WorkerPool(1);
             OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 20, r -> {
                 if (r == 1) {
                     sinkFailed.countDown();
                     throw full;
                 }
             })) {
            for (int i = 0; i < 20; i++) {
                int n = i;
                p.submit(w -> {
                    started.incrementAndGet();
                    if (n == 0) {
                        await(go); // no result is ready before the caller is in finish()
                    } else if (n == 2) {
                        await(sinkFailed); // running while the sink fails
                        sleep(100);
                    }
                    return n;
                });
            }
            go.countDown();
            assertSame(full, assertThrows(IOException.class, p::finish));
            Thread.sleep(300); // the worker is free: a task it may start, it starts now
            assertEquals(3, started.get(), "tasks 0 and 1 delivered, 2 running at the failure; none after it");
        }
    }

    private static void await(CountDownLatch l) throws InterruptedIOException {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    @Test
    void closeInterruptsABlockedTaskAndReturnsOnceItHasStopped() throws Exception {
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        AtomicBoolean returned = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch block = new CountDownLatch(1); // opened only by the test's cleanup
        try (WorkerPool pool = new WorkerPool(2)) {
            OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 4, r -> { });
            try {
                p.submit(w -> {
                    started.countDown();
                    try {
                        block.await(); // blocks until interrupted
                    } catch (InterruptedException e) {
                        sawInterrupt.set(true);
                    }
                    sleep(0); // flag now clear: this returns normally
                    returned.set(true);
                    return 0;
                });
                started.await();
                Thread closer = new Thread(p::close);
                closer.start();
                closer.join(20_000);
                assertFalse(closer.isAlive(), "close did not return: the task was not interrupted");
                assertTrue(sawInterrupt.get(), "the blocked task was interrupted");
                assertTrue(returned.get(), "close returned only after the task did");
                assertThrows(IllegalStateException.class, () -> p.submit(jittery(1)), "a closed pipeline refuses use");
            } finally {
                block.countDown();
            }
        }
    }

    @Test
    void aTaskThatIgnoresItsInterruptDelaysCloseUntilItReturns() throws Exception {
        AtomicBoolean release = new AtomicBoolean();
        AtomicBoolean busyReturned = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        try (WorkerPool pool = new WorkerPool(1)) {
            OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 4, r -> { });
            try {
                p.submit(w -> {
                    started.countDown();
                    while (!release.get()) {
                        Thread.onSpinWait(); // a native call: does not look at its interrupt
                    }
                    busyReturned.set(true);
                    return 0;
                });
                started.await();
                Thread closer = new Thread(p::close);
                closer.start();
                closer.join(300);
                assertTrue(closer.isAlive(), "close waits for the running task");
                release.set(true);
                closer.join();
                assertTrue(busyReturned.get());
            } finally {
                release.set(true);
            }
        }
    }

    @Test
    void closeDuringWorkStartsNoQueuedTaskAndLeavesNoneRunning() throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        CountDownLatch twoRunning = new CountDownLatch(2);
        try (WorkerPool pool = new WorkerPool(2)) {
            OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 50, r -> { });
            for (int i = 0; i < 40; i++) {
                p.submit(w -> {
                    started.incrementAndGet();
                    running.incrementAndGet();
                    try {
                        twoRunning.countDown();
                        sleep(10_000);
                        return 0;
                    } finally {
                        running.decrementAndGet();
                    }
                });
            }
            twoRunning.await();
            p.close();
            assertEquals(0, running.get(), "no task of the pipeline runs after close returns");
            Thread.sleep(50);
            assertEquals(2, started.get(), "queued tasks never start");
        }
    }

    @Test
    void anInterruptOfTheWaitingCallerCancelsTheTasksAndKeepsTheFlag() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        AtomicInteger runningWhenThrown = new AtomicInteger(-1);
        CountDownLatch started = new CountDownLatch(1);
        try (WorkerPool pool = new WorkerPool(2)) {
            OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 4, r -> { });
            Thread caller = new Thread(() -> {
                try {
                    p.submit(w -> {
                        running.incrementAndGet();
                        try {
                            started.countDown();
                            sleep(60_000);
                            return 0;
                        } finally {
                            running.decrementAndGet();
                        }
                    });
                    p.finish();
                } catch (Throwable t) {
                    runningWhenThrown.set(running.get());
                    thrown.set(t);
                    flagKept.set(Thread.currentThread().isInterrupted());
                } finally {
                    p.close();
                }
            });
            caller.start();
            started.await();
            waitUntilWaiting(caller);
            caller.interrupt();
            caller.join();
        }
        assertInstanceOf(InterruptedIOException.class, thrown.get());
        assertTrue(flagKept.get(), "the interrupt flag is kept");
        assertEquals(0, runningWhenThrown.get(), "the task was stopped before the caller got the exception");
    }

    /** Waits until {@code t} waits (in the pipeline's wait for a result). */
    private static void waitUntilWaiting(Thread t) throws InterruptedException {
        while (t.getState() != Thread.State.WAITING) {
            Thread.sleep(1);
        }
    }

    @Test
    void anInterruptMeantForOneTaskDoesNotReachTheWorkersNextTask() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        try (WorkerPool pool = new WorkerPool(1)) {
            OrderedPipeline<Integer> a = new OrderedPipeline<>(pool, 2, r -> { });
            a.submit(w -> {
                started.countDown();
                long end = System.nanoTime() + 200_000_000L;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait(); // ignores the interrupt, returns with the flag set
                }
                return 0;
            });
            started.await();
            a.close();
            List<Boolean> interrupted = new ArrayList<>();
            try (OrderedPipeline<Boolean> b = new OrderedPipeline<>(pool, 2, interrupted::add)) {
                b.submit(w -> Thread.currentThread().isInterrupted());
                b.finish();
            }
            assertEquals(List.of(false), interrupted);
        }
    }

    @Test
    void closingThePoolCancelsAWaitingCallersTasks() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        WorkerPool pool = new WorkerPool(1);
        Thread caller = new Thread(() -> {
            try (OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 4, r -> { })) {
                p.submit(w -> {
                    started.countDown();
                    sleep(60_000);
                    return 0;
                });
                p.submit(w -> 1); // queued behind the first: cancelled by the pool's close
                p.finish();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        caller.start();
        started.await();
        waitUntilWaiting(caller);
        pool.close();
        caller.join();
        // the running task was interrupted (InterruptedIOException) or the queued one cancelled, whichever the
        // caller reached first: the first one, in order
        assertInstanceOf(InterruptedIOException.class, thrown.get());
        OrderedPipeline<Integer> late = new OrderedPipeline<>(pool, 1, r -> { });
        assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> late.submit(w -> 0));
    }

    @Test
    void aTaskQueuedWhenThePoolClosesMakesTheCallerGetACancellation() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        List<Integer> delivered = Collections.synchronizedList(new ArrayList<>());
        WorkerPool pool = new WorkerPool(1);
        OrderedPipeline<Integer> other = new OrderedPipeline<>(pool, 4, r -> { });
        other.submit(w -> {
            started.countDown();
            sleep(60_000);
            return 0;
        });
        started.await();
        Thread caller = new Thread(() -> {
            try (OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 4, delivered::add)) {
                p.submit(w -> 1); // queued behind the other pipeline's task
                p.finish();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        caller.start();
        waitUntilWaiting(caller);
        pool.close();
        caller.join();
        other.close();
        assertInstanceOf(CancellationException.class, thrown.get());
        assertEquals(List.of(), delivered);
    }

    @Test
    void closeFromAnotherThreadWakesAWaitingCaller() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (WorkerPool pool = new WorkerPool(1)) {
            OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 4, r -> { });
            Thread caller = new Thread(() -> {
                try {
                    p.submit(w -> {
                        started.countDown();
                        sleep(60_000);
                        return 0;
                    });
                    p.finish();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            caller.start();
            started.await();
            waitUntilWaiting(caller);
            p.close();
            caller.join();
        }
        assertInstanceOf(CancellationException.class, thrown.get());
    }

    @Test
    void aPipelineCannotBeClosedFromItsOwnTask() throws Exception {
        try (WorkerPool pool = new WorkerPool(1)) {
            AtomicReference<OrderedPipeline<Integer>> self = new AtomicReference<>();
            OrderedPipeline<Integer> p = new OrderedPipeline<>(pool, 2, r -> { });
            self.set(p);
            p.submit(w -> {
                self.get().close();
                return 0;
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, p::finish);
            assertTrue(e.getMessage().contains("own tasks"), e.getMessage());
            p.close();
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }
}
