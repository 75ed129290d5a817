package dev.mmh.hadoop;

import dev.mmh.work.WorkerPool;

/**
 * The workers every mmh stream of this JVM decodes and encodes blocks on: one pool of as many daemon threads as
 * the JVM has processors, made on first use and kept for the JVM's life, so that the tasks of a Spark executor or a
 * Hadoop container, split after split, reuse its threads, codec contexts and block buffers. Thread-safe.
 */
final class Workers {
    private static WorkerPool pool;

    private Workers() {
    }

    /** The shared pool; never closed (its threads are daemons). */
    static synchronized WorkerPool pool() {
        if (pool == null) {
            pool = new WorkerPool(Runtime.getRuntime().availableProcessors());
        }
        return pool;
    }
}
