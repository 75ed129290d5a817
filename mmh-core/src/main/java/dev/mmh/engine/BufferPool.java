package dev.mmh.engine;

import java.util.ArrayDeque;

/**
 * Recycles the byte arrays of blocks in flight so that a long run allocates a fixed number of them. A buffer is
 * allocated only when the pool has none large enough; the pipeline bounds how many are out at once.
 * Thread-safe.
 */
final class BufferPool {
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();

    synchronized byte[] get(int size) {
        for (int i = free.size(); i > 0; i--) {
            byte[] b = free.pollFirst();
            if (b.length >= size) {
                return b;
            }
            free.addLast(b);
        }
        if (!free.isEmpty()) {
            free.pollFirst(); // too small: let it go, so the pool does not grow past its bound
        }
        return new byte[size];
    }

    synchronized void put(byte[] b) {
        if (b != null) {
            free.addFirst(b);
        }
    }
}
