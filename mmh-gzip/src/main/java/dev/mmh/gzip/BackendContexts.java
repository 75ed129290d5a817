package dev.mmh.gzip;

import dev.mmh.work.ResourceKey;
import dev.mmh.work.WorkerState;
import java.io.IOException;

/**
 * The deflaters and inflaters of a {@link DeflateBackend}, kept in the worker states of a
 * {@link dev.mmh.work.WorkerPool}: one per worker, backend and level, made on first use, reused by every stream on
 * the pool and freed when the pool closes (never while a worker is inside one of their native calls).
 */
final class BackendContexts implements ResourceKey<AutoCloseable> {
    /** The level of a deflater; {@link #INFLATER} for an inflater. */
    private static final int INFLATER = Integer.MIN_VALUE;
    private final DeflateBackend backend;
    private final int level;

    private BackendContexts(DeflateBackend backend, int level) {
        this.backend = backend;
        this.level = level;
    }

    /** The key of {@code backend}'s deflater at {@code level}. */
    static BackendContexts deflater(DeflateBackend backend, int level) {
        return new BackendContexts(backend, level);
    }

    /** The key of {@code backend}'s inflater. */
    static BackendContexts inflater(DeflateBackend backend) {
        return new BackendContexts(backend, INFLATER);
    }

    DeflateBackend.BlockDeflater deflater(WorkerState w) throws IOException {
        return (DeflateBackend.BlockDeflater) w.get(this);
    }

    DeflateBackend.BlockInflater inflater(WorkerState w) throws IOException {
        return (DeflateBackend.BlockInflater) w.get(this);
    }

    @Override
    public AutoCloseable create() {
        return level == INFLATER ? backend.inflater() : backend.deflater(level);
    }

    /** Backends hold no state, so two of one kind make the same contexts. */
    @Override
    public boolean equals(Object o) {
        return o instanceof BackendContexts k && k.backend.getClass() == backend.getClass() && k.level == level;
    }

    @Override
    public int hashCode() {
        return backend.getClass().hashCode() * 31 + level;
    }
}
