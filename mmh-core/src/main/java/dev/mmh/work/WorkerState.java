package dev.mmh.work;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one worker of a {@link WorkerPool} keeps from task to task: codec contexts, an analyzer, scratch arrays, any
 * resource a {@link ResourceKey} names. A task receives the state of the worker running it and is its only user
 * for the task's duration, so the resources need not be thread-safe; every later task of any pipeline on the same
 * pool may get the same state back, so a run reuses what the runs before it made.
 *
 * <p>At most {@link WorkerPool#parallelism()} states exist per pool. Each keeps at most {@link #MAX_RESOURCES}
 * resources: beyond that, the least recently used ones are closed after the task that went over the bound (never
 * during it, so a task may hold on to everything it asked for). Every resource is closed when the pool closes,
 * after the last task using it has returned. Not thread-safe: used by one task at a time.
 */
public final class WorkerState {
    /** Resources a state keeps beyond the end of a task; the least recently used go first. */
    public static final int MAX_RESOURCES = 16;

    private final LinkedHashMap<ResourceKey<?>, Object> resources = new LinkedHashMap<>(32, 0.75f, true);

    WorkerState() {
    }

    /**
     * The resource {@code key} names, made by {@link ResourceKey#create()} the first time this worker asks for it.
     *
     * @throws IOException what {@code create()} threw (nothing is kept then)
     */
    @SuppressWarnings("unchecked")
    public <T> T get(ResourceKey<T> key) throws IOException {
        Object r = resources.get(key);
        if (r == null) {
            r = Objects.requireNonNull(key.create(), "resource");
            resources.put(key, r);
        }
        return (T) r;
    }

    /** Closes the least recently used resources beyond {@link #MAX_RESOURCES}; called between tasks. */
    void trim() {
        if (resources.size() <= MAX_RESOURCES) {
            return;
        }
        List<Object> evicted = new ArrayList<>();
        for (Iterator<Map.Entry<ResourceKey<?>, Object>> it = resources.entrySet().iterator();
                it.hasNext() && resources.size() > MAX_RESOURCES; ) {
            evicted.add(it.next().getValue());
            it.remove();
        }
        closeAll(evicted);
    }

    /** Closes every resource; called by the pool once no task can use this state any more. */
    void close() {
        List<Object> all = new ArrayList<>(resources.values());
        resources.clear();
        closeAll(all);
    }

    /** How many resources this state holds now. */
    int size() {
        return resources.size();
    }

    static void closeAll(Iterable<Object> resources) {
        for (Object r : resources) {
            if (r instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing frees memory; a failure leaves nothing to undo and no one to tell
                }
            }
        }
    }
}
