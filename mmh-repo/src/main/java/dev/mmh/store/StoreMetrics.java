package dev.mmh.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of a store's requests, by kind, with retries and bytes moved: what a repository reports as "requests per
 * GB" and what an S3 bill counts. A folder store counts its operations the same way. Thread-safe.
 */
public final class StoreMetrics {
    /** Request kinds, as S3 bills them (a multipart upload is one create, its parts, one complete). */
    public enum Kind { PUT, GET, HEAD, LIST, DELETE, MULTIPART_CREATE, MULTIPART_PART, MULTIPART_COMPLETE,
        MULTIPART_ABORT }

    private final LongAdder[] counts = new LongAdder[Kind.values().length];
    private final LongAdder retries = new LongAdder();
    private final LongAdder bytesUp = new LongAdder();
    private final LongAdder bytesDown = new LongAdder();

    public StoreMetrics() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one request (each attempt is a request). */
    public void request(Kind kind) {
        counts[kind.ordinal()].increment();
    }

    /** Counts one retry. */
    public void retried() {
        retries.increment();
    }

    /** Counts bytes sent to the store. */
    public void sent(long n) {
        bytesUp.add(n);
    }

    /** Counts bytes received from the store. */
    public void received(long n) {
        bytesDown.add(n);
    }

    /** Requests of one kind so far. */
    public long count(Kind kind) {
        return counts[kind.ordinal()].sum();
    }

    /** Requests of every kind so far. */
    public long requests() {
        long n = 0;
        for (LongAdder a : counts) {
            n += a.sum();
        }
        return n;
    }

    /** Retries so far. */
    public long retries() {
        return retries.sum();
    }

    /** Bytes sent so far (object bytes, every attempt). */
    public long bytesSent() {
        return bytesUp.sum();
    }

    /** Bytes received so far (object bytes, every attempt). */
    public long bytesReceived() {
        return bytesDown.sum();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Kind k : Kind.values()) {
            long n = count(k);
            if (n > 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(k.name().toLowerCase(java.util.Locale.ROOT))
                        .append(' ').append(n);
            }
        }
        return (sb.length() == 0 ? "no requests" : sb) + "; retries " + retries() + "; sent " + bytesSent()
                + " B, received " + bytesReceived() + " B";
    }
}
