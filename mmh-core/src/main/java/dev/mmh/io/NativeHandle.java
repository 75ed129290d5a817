package dev.mmh.io;

import java.lang.ref.Cleaner;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.LongToIntFunction;
import java.util.function.LongUnaryOperator;

/**
 * One native object (a C pointer: a codec context, a liblzma stream, scratch memory) owned by one Java object, with
 * the rules every JNI binding of mmh follows for it:
 * <ul>
 *   <li>A native call {@link #acquire() acquires} the address and {@link #release() releases} it when it returns
 *       ({@link #call} and {@link #callInt} do both around one call); no other code keeps the address.
 *   <li>A handle serves one call at a time: acquiring it while another thread holds it throws {@link
 *       IllegalStateException} (the objects that own handles are not thread-safe; this turns a caller's race into
 *       an exception instead of two threads in one C context).
 *   <li>{@link #close()} frees the native object exactly once. If a call holds the handle at that moment (a pool
 *       closing its contexts while a worker is still in C), the free waits for that call's {@link #release()}: the
 *       memory is never freed under a running call.
 *   <li>After {@code close()}, {@link #acquire()} throws {@link IllegalStateException}: a closed object is never
 *       handed to C, so a use after close is an exception, not a crash.
 *   <li>A {@link Cleaner} frees the native object if the handle becomes unreachable unclosed (a leak is then only
 *       late, never a double free: the Cleaner and {@code close()} run the same action, once).
 * </ul>
 * Thread-safe. Costs one uncontended lock per call, nothing against a call that does a block's work.
 */
public final class NativeHandle implements AutoCloseable {
    /** The Cleaner thread, started with the first handle. */
    private static final class Cleanup {
        static final Cleaner CLEANER = Cleaner.create();
    }

    private final State state;
    private final Cleaner.Cleanable cleanable;

    /**
     * Takes ownership of a native object.
     *
     * @param what what the object is, for messages ("xz decompressor")
     * @param address the native address, not 0
     * @param free frees an address; must not refer to the handle's owner (the Cleaner could then never run)
     */
    public NativeHandle(String what, long address, LongConsumer free) {
        if (address == 0) {
            throw new IllegalArgumentException(what + ": null native address");
        }
        state = new State(what, address, free);
        cleanable = Cleanup.CLEANER.register(this, state);
    }

    /**
     * A handle for the object {@code open} makes, or null when it returns 0 (out of native memory).
     *
     * @see #NativeHandle(String, long, LongConsumer)
     */
    public static NativeHandle open(String what, LongSupplier open, LongConsumer free) {
        long a = open.getAsLong();
        return a == 0 ? null : new NativeHandle(what, a, free);
    }

    /**
     * The address, held for one native call until {@link #release()}; call {@code release()} in a {@code finally}.
     *
     * @throws IllegalStateException if the handle is closed or another thread holds it
     */
    public long acquire() {
        return state.acquire();
    }

    /** Ends the call that {@link #acquire() acquired} the address; frees it if {@link #close()} came meanwhile. */
    public void release() {
        state.release();
    }

    /** One native call on the address, between {@link #acquire()} and {@link #release()}. */
    public long call(LongUnaryOperator nativeCall) {
        long a = acquire();
        try {
            return nativeCall.applyAsLong(a);
        } finally {
            release();
        }
    }

    /** {@link #call(LongUnaryOperator)} for a native call that returns an {@code int}. */
    public int callInt(LongToIntFunction nativeCall) {
        long a = acquire();
        try {
            return nativeCall.applyAsInt(a);
        } finally {
            release();
        }
    }

    /** Whether {@link #close()} has been called (or the Cleaner ran). */
    public boolean isClosed() {
        return state.isClosed();
    }

    /**
     * Frees the native object, now or, if a call holds it, when that call releases it. Idempotent; later
     * {@link #acquire()} calls throw {@link IllegalStateException}.
     */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** The shared state; the Cleaner's action. Holds no reference to the handle or its owner. */
    private static final class State implements Runnable {
        private final String what;
        private final LongConsumer free;
        private long address;
        private boolean busy;
        private boolean closed;

        State(String what, long address, LongConsumer free) {
            this.what = what;
            this.address = address;
            this.free = free;
        }

        synchronized long acquire() {
            if (closed) {
                throw new IllegalStateException(what + " is closed");
            }
            if (busy) {
                throw new IllegalStateException(what + " is in use by another thread (it is not thread-safe)");
            }
            busy = true;
            return address;
        }

        void release() {
            long a = 0;
            synchronized (this) {
                if (!busy) {
                    throw new IllegalStateException(what + ": release() without acquire()");
                }
                busy = false;
                if (closed) {
                    a = address;
                    address = 0;
                }
            }
            if (a != 0) {
                free.accept(a);
            }
        }

        synchronized boolean isClosed() {
            return closed;
        }

        /** close() or the Cleaner: at most once (Cleanable runs it once). */
        @Override
        public void run() {
            long a;
            synchronized (this) {
                closed = true;
                if (busy) {
                    return; // the call that holds it frees it in release()
                }
                a = address;
                address = 0;
            }
            if (a != 0) {
                free.accept(a);
            }
        }
    }
}
