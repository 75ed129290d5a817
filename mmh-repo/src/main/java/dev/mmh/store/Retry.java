package dev.mmh.store;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * The one retry policy of the store layer: exponential backoff with full jitter, for {@link StoreException}s that
 * are {@link StoreException#retryable() retryable}. Every store runs each request through it (no request retries
 * on its own, and the S3 SDK's own retries are off), so throttling, server errors, dropped connections and short
 * reads are handled the same everywhere.
 *
 * <p>Attempt {@code n} (from 1) that fails waits a random time in {@code [0, min(maxDelay, baseDelay * 2^(n-1))]}
 * ("full jitter": clients that failed together do not retry together), or the server's {@code Retry-After} if that
 * is longer (capped at {@code maxDelay}), then tries again, up to {@code maxAttempts} attempts in all (fewer for
 * {@link IntegrityException}: {@link #maxIntegrityAttempts()}). Immutable and thread-safe.
 */
public final class Retry {
    /** 8 attempts, 100 ms base, 20 s cap: about 25 s of waiting at most before a failure is final. */
    public static final Retry DEFAULT = new Retry(8, Duration.ofMillis(100), Duration.ofSeconds(20), 3, null);

    /** One attempt, no retries. */
    public static final Retry NONE = new Retry(1, Duration.ZERO, Duration.ZERO, 1, null);

    private final int maxAttempts;
    private final long baseNanos;
    private final long maxNanos;
    private final int maxIntegrityAttempts;
    /** Maps a bound to a random delay in [0, bound]; null: ThreadLocalRandom. */
    private final LongUnaryOperator jitter;

    private Retry(int maxAttempts, Duration base, Duration max, int maxIntegrityAttempts, LongUnaryOperator jitter) {
        if (maxAttempts < 1 || maxIntegrityAttempts < 1 || base.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("attempts must be >= 1 and delays >= 0");
        }
        this.maxAttempts = maxAttempts;
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
        this.maxIntegrityAttempts = Math.min(maxIntegrityAttempts, maxAttempts);
        this.jitter = jitter;
    }

    /**
     * A policy of {@code maxAttempts} attempts (1: no retries), waits growing from {@code baseDelay} and capped at
     * {@code maxDelay}.
     */
    public static Retry of(int maxAttempts, Duration baseDelay, Duration maxDelay) {
        return new Retry(maxAttempts, baseDelay, maxDelay, 3, null);
    }

    /** This policy with {@code n} attempts at most for an {@link IntegrityException} (capped by the total). */
    public Retry withMaxIntegrityAttempts(int n) {
        return new Retry(maxAttempts, Duration.ofNanos(baseNanos), Duration.ofNanos(maxNanos), n, jitter);
    }

    /**
     * This policy with a given jitter function (tests: a fixed or seeded choice); it maps the current bound in
     * nanoseconds to a wait in {@code [0, bound]}.
     */
    public Retry withJitter(LongUnaryOperator jitter) {
        return new Retry(maxAttempts, Duration.ofNanos(baseNanos), Duration.ofNanos(maxNanos), maxIntegrityAttempts,
                jitter);
    }

    /** Attempts in all, the first included. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Attempts in all for an {@link IntegrityException}. */
    public int maxIntegrityAttempts() {
        return maxIntegrityAttempts;
    }

    /** One attempt of an operation; {@code attempt} counts from 1. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run(int attempt) throws StoreException;
    }

    /**
     * Runs {@code op} until it succeeds, fails with an exception that is not retryable, or runs out of attempts;
     * the last exception is thrown, with the first one suppressed when they differ. Counts each retry in
     * {@code metrics} when it is not null.
     *
     * @throws StoreException the last failure; also when interrupted while waiting (the thread's interrupt flag is
     *     set again)
     */
    public <T> T call(StoreMetrics metrics, Attempt<T> op) throws StoreException {
        StoreException first = null;
        for (int attempt = 1; ; attempt++) {
            try {
                return op.run(attempt);
            } catch (StoreException e) {
                int limit = e instanceof IntegrityException ? maxIntegrityAttempts : maxAttempts;
                if (!e.retryable() || attempt >= limit) {
                    if (first != null && first != e) {
                        e.addSuppressed(first);
                    }
                    throw e;
                }
                if (first == null) {
                    first = e;
                }
                if (metrics != null) {
                    metrics.retried();
                }
                long wait = delayNanos(attempt, e instanceof TransientStoreException t ? t.retryAfter() : null);
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    e.addSuppressed(ie);
                    throw e;
                }
            }
        }
    }

    /** The wait after failed attempt {@code attempt} (from 1), in nanoseconds. */
    long delayNanos(int attempt, Duration retryAfter) {
        long bound = baseNanos;
        for (int i = 1; i < attempt && bound < maxNanos; i++) {
            bound = Math.min(maxNanos, bound * 2);
        }
        bound = Math.min(bound, maxNanos);
        long wait = bound <= 0 ? 0 : jitter != null ? jitter.applyAsLong(bound)
                : ThreadLocalRandom.current().nextLong(bound + 1);
        if (retryAfter != null) {
            wait = Math.max(wait, Math.min(retryAfter.toNanos(), maxNanos));
        }
        return wait;
    }
}
