package dev.mmh.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {
    private static TransientStoreException transientFailure() {
        return new TransientStoreException("s", "n", "503", null);
    }

    @Test
    void retriesTransientFailuresUntilSuccess() throws Exception {
        StoreMetrics m = new StoreMetrics();
        AtomicInteger calls = new AtomicInteger();
        String r = Retry.of(5, Duration.ofMillis(1), Duration.ofMillis(2)).call(m, a -> {
            assertEquals(calls.incrementAndGet(), a);
            if (a < 4) {
                throw transientFailure();
            }
            return "ok";
        });
        assertEquals("ok", r);
        assertEquals(4, calls.get());
        assertEquals(3, m.retries());
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastFailure() {
        AtomicInteger calls = new AtomicInteger();
        List<TransientStoreException> thrown = new ArrayList<>();
        TransientStoreException e = assertThrows(TransientStoreException.class,
                () -> Retry.of(3, Duration.ZERO, Duration.ZERO).call(null, a -> {
                    calls.incrementAndGet();
                    TransientStoreException t = transientFailure();
                    thrown.add(t);
                    throw t;
                }));
        assertEquals(3, calls.get());
        assertSame(thrown.get(2), e);
        assertTrue(e.getSuppressed().length >= 1);
    }

    @Test
    void doesNotRetryWhatCannotPass() {
        for (StoreException x : new StoreException[] {new ObjectNotFoundException("s", "n"),
            new ObjectExistsException("s", "n"), new PermanentStoreException("s", "n", "403", null)}) {
            AtomicInteger calls = new AtomicInteger();
            StoreException e = assertThrows(StoreException.class, () -> Retry.DEFAULT.call(null, a -> {
                calls.incrementAndGet();
                throw x;
            }));
            assertSame(x, e);
            assertEquals(1, calls.get(), x.toString());
        }
    }

    @Test
    void integrityFailuresAreRetriedOnlyAFewTimes() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(IntegrityException.class, () -> Retry.of(8, Duration.ZERO, Duration.ZERO)
                .withMaxIntegrityAttempts(2).call(null, a -> {
                    calls.incrementAndGet();
                    throw new IntegrityException("s", "n", "crc", "1", "2");
                }));
        assertEquals(2, calls.get());
    }

    @Test
    void backoffGrowsExponentiallyUpToTheCapWithFullJitter() {
        Retry max = Retry.of(10, Duration.ofMillis(100), Duration.ofSeconds(2)).withJitter(bound -> bound);
        assertEquals(100_000_000L, max.delayNanos(1, null));
        assertEquals(200_000_000L, max.delayNanos(2, null));
        assertEquals(800_000_000L, max.delayNanos(4, null));
        assertEquals(2_000_000_000L, max.delayNanos(6, null));
        assertEquals(2_000_000_000L, max.delayNanos(60, null));
        Retry zero = Retry.of(10, Duration.ofMillis(100), Duration.ofSeconds(2)).withJitter(bound -> 0);
        assertEquals(0, zero.delayNanos(3, null));
        // the server's Retry-After is honoured, within the cap
        assertEquals(1_000_000_000L, zero.delayNanos(3, Duration.ofSeconds(1)));
        assertEquals(2_000_000_000L, zero.delayNanos(3, Duration.ofSeconds(30)));
        Retry random = Retry.of(10, Duration.ofMillis(100), Duration.ofSeconds(2));
        for (int i = 0; i < 1000; i++) {
            long d = random.delayNanos(3, null);
            assertTrue(d >= 0 && d <= 400_000_000L, Long.toString(d));
        }
    }

    @Test
    void anInterruptStopsTheWaitAndKeepsTheFlag() {
        Thread.currentThread().interrupt();
        AtomicInteger calls = new AtomicInteger();
        assertThrows(TransientStoreException.class, () -> Retry.of(5, Duration.ofSeconds(10), Duration.ofSeconds(10))
                .call(null, a -> {
                    calls.incrementAndGet();
                    throw transientFailure();
                }));
        assertTrue(Thread.interrupted());
        assertEquals(1, calls.get());
    }
}
