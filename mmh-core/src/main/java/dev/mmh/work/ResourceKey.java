package dev.mmh.work;

import java.io.IOException;

/**
 * Names a resource that a {@link WorkerState} (one per worker) or a {@link WorkerPool} (one per pool) keeps and
 * reuses, and makes it when it is first asked for. Two keys that are {@link Object#equals equal} name the same
 * resource, so a key must implement {@code equals} and {@code hashCode} over everything that makes two resources
 * differ (for a codec context: codec, level, window, flags), and nothing that can change while it is in use, or
 * be a singleton compared by identity.
 *
 * <p>A resource that is {@link AutoCloseable} is closed by its holder: a worker state's when it is evicted (beyond
 * {@link WorkerState#MAX_RESOURCES}) or when its pool closes, a pool's when the pool closes; never while a task
 * may be using it.
 *
 * @param <T> the resource's type
 */
public interface ResourceKey<T> {
    /**
     * Makes the resource. Called on the thread that first asks for it; for a {@link WorkerPool#shared pool-wide}
     * resource, under the pool's lock.
     *
     * @return the resource, never {@code null}
     */
    T create() throws IOException;
}
