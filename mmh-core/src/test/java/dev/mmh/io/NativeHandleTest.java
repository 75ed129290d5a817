package dev.mmh.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The handle rules every JNI binding relies on, with a recording "free" in place of C. */
class NativeHandleTest {
    private final List<Long> freed = new CopyOnWriteArrayList<>();

    private NativeHandle handle(long address) {
        return new NativeHandle("test object", address, freed::add);
    }

    @Test
    void closeFreesOnceAndLaterUseThrows() {
        NativeHandle h = handle(42);
        assertEquals(42, h.acquire());
        h.release();
        assertFalse(h.isClosed());
        h.close();
        h.close();
        assertTrue(h.isClosed());
        assertEquals(List.of(42L), freed);
        IllegalStateException e = assertThrows(IllegalStateException.class, h::acquire);
        assertTrue(e.getMessage().contains("test object is closed"), e.getMessage());
        assertEquals(List.of(42L), freed);
    }

    @Test
    void closeDuringACallFreesWhenTheCallReleases() {
        NativeHandle h = handle(7);
        long a = h.acquire();
        h.close();
        assertTrue(freed.isEmpty(), "freed under a running call");
        assertEquals(7, a);
        h.release();
        assertEquals(List.of(7L), freed);
        h.close();
        assertEquals(List.of(7L), freed);
    }

    @Test
    void oneCallAtATime() throws Exception {
        NativeHandle h = handle(9);
        h.acquire();
        Thread other = new Thread(() -> assertThrows(IllegalStateException.class, h::acquire));
        other.start();
        other.join();
        assertThrows(IllegalStateException.class, h::acquire, "the same thread twice");
        h.release();
        assertThrows(IllegalStateException.class, h::release, "release without acquire");
        assertEquals(9, h.acquire());
        h.release();
        h.close();
    }

    @Test
    void zeroAddressIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> handle(0));
    }

    @Test
    void anUnreachableHandleIsFreedByTheCleanerExactlyOnce() throws Exception {
        CountDownLatch done = new CountDownLatch(100);
        List<Long> cleaned = new CopyOnWriteArrayList<>();
        for (long a = 1; a <= 100; a++) {
            new NativeHandle("leaked", a, x -> {
                cleaned.add(x);
                done.countDown();
            });
        }
        for (int i = 0; i < 50 && done.getCount() > 0; i++) {
            System.gc();
            done.await(100, TimeUnit.MILLISECONDS);
        }
        assertEquals(0, done.getCount(), "leaked handles not freed: " + done.getCount());
        assertEquals(100, cleaned.stream().distinct().count());
        assertEquals(100, cleaned.size());
    }

    @Test
    void racingCloseAndCallsNeverFreeTwiceOrUnderACall() throws Exception {
        for (int round = 0; round < 200; round++) {
            long address = 1000 + round;
            boolean[] inCall = new boolean[1];
            List<String> problems = new CopyOnWriteArrayList<>();
            NativeHandle h = new NativeHandle("raced", address, a -> {
                synchronized (inCall) {
                    if (inCall[0]) {
                        problems.add("freed under a call");
                    }
                }
                freed.add(a);
            });
            Thread user = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    try {
                        h.acquire();
                    } catch (IllegalStateException closed) {
                        return;
                    }
                    synchronized (inCall) {
                        inCall[0] = true;
                    }
                    Thread.onSpinWait();
                    synchronized (inCall) {
                        inCall[0] = false;
                    }
                    h.release();
                }
            });
            user.start();
            h.close();
            user.join();
            assertTrue(problems.isEmpty(), problems.toString());
            assertEquals(1, freed.stream().filter(x -> x == address).count(), "round " + round);
        }
    }
}
