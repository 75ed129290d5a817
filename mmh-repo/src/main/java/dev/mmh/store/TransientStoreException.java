package dev.mmh.store;

import java.time.Duration;

/**
 * A failure that may pass: throttling (HTTP 503 SlowDown, 429), a server error (500, 502, 504), a connection reset
 * or dropped mid-body, a response cut short, a timeout. {@link Retry} retries it with backoff; it reaches the caller
 * only when the attempts ran out.
 */
public final class TransientStoreException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public TransientStoreException(String store, String objectName, String message, Throwable cause) {
        this(store, objectName, message, cause, null);
    }

    /** @param retryAfter how long the server asked to wait (its {@code Retry-After}), or {@code null} */
    public TransientStoreException(String store, String objectName, String message, Throwable cause,
            Duration retryAfter) {
        super(store, objectName, message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked the client to wait before the next attempt, or {@code null} if it did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
