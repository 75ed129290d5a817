package dev.mmh.io;

/**
 * Marks short stretches of work that must not be cut off by a JVM shutdown (Ctrl-C, SIGTERM): the in-place
 * writes that turn one valid file into another. While any section is open, a shutdown waits for it to close
 * (for at most {@link #MAX_WAIT_MILLIS}) before the JVM exits. It cannot help against a crash or power loss;
 * callers order their writes so that a cut-off leaves something repairable.
 *
 * <pre>{@code
 * try (CriticalSection ignored = CriticalSection.enter()) {
 *     ... positional writes ...
 * }
 * }</pre>
 */
public final class CriticalSection implements AutoCloseable {
    /** Longest a shutdown waits for open sections. */
    public static final long MAX_WAIT_MILLIS = 30_000;
    private static final Object LOCK = new Object();
    private static int open;
    private static boolean hooked;

    private boolean closed;

    private CriticalSection() {
    }

    /** Opens a section; close it (try-with-resources) when the writes are done. */
    public static CriticalSection enter() {
        synchronized (LOCK) {
            if (!hooked) {
                Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                    @Override
                    public void run() {
                        awaitQuiet(MAX_WAIT_MILLIS);
                    }
                }, "mmh-critical-writes"));
                hooked = true;
            }
            open++;
        }
        return new CriticalSection();
    }

    /** Number of sections open now. */
    public static int openSections() {
        synchronized (LOCK) {
            return open;
        }
    }

    /** Waits until no section is open or {@code millis} have passed; returns whether none is open. */
    static boolean awaitQuiet(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (LOCK) {
            while (open > 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                try {
                    LOCK.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public void close() {
        synchronized (LOCK) {
            if (!closed) {
                closed = true;
                open--;
                LOCK.notifyAll();
            }
        }
    }
}
