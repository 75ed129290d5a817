package dev.mmh.chunk;

import dev.mmh.crypto.CryptoContext;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.Objects;

/**
 * Cuts one input at a time (a file) into content-defined chunks with FastCDC ({@code docs/CHUNKING.md}) and,
 * optionally, computes each chunk's ID. Feed the input in buffers of any size with {@link #update}, then call
 * {@link #finish}; the {@link ChunkSink} hears of every chunk, in order, as soon as its last byte has been fed. The
 * cuts depend only on the bytes, the parameters and the forced cuts, never on how the input was split into buffers.
 *
 * <p>Forced cuts ({@link #cutAt}) end a chunk at a given offset, for example at every tensor boundary of a weights
 * file; after one the chunker starts afresh, exactly as at the start of an input, so an unchanged region between
 * two forced cuts gives the same chunks whatever changed around it.
 *
 * <p>The cut search runs in C ({@code libmmhcore.so}) and, when IDs are asked for, cut search and hashing run
 * together in one C call per MiB over OpenSSL ({@code libmmhcrypto.so}); where a library is missing the same work
 * is done in Java with the JDK's digests, giving the same chunks and IDs.
 *
 * <p>One chunker per thread, reused input after input with {@link #reset}; its methods are synchronized only so
 * that a stray call racing {@link #close} fails with an exception instead of touching freed native memory. Arrays
 * passed to {@link #update} are only read, during the call. After an exception (from the sink or otherwise) the
 * chunker refuses further use until {@link #reset}. {@link #close} frees the native context and the hasher; a
 * leaked native context is freed by a Cleaner.
 */
public final class Chunker implements AutoCloseable {
    /** Where the work runs; {@link #open(ChunkerParams, IdFunction)} picks the fastest one that loaded. */
    enum Engine {
        /** Cut search in Java; IDs by the JDK's digests. */
        JAVA,
        /** Cut search in C; IDs (if any) through a {@link CryptoContext} (OpenSSL where loaded, else the JDK). */
        NATIVE,
        /** Cut search and IDs in one C call per slice (needs IDs). */
        NATIVE_HASH
    }

    private static final int SLICE = 1 << 20;

    private final ChunkerParams params;
    private final IdFunction ids;
    private final Engine engine;
    private final long[] gear;
    private final long maskS;
    private final long maskL;
    /** The open chunk: bytes fed so far, gear hash (see FastCdc.scan). */
    private final long[] state = new long[2];
    private final byte[] id;
    /** Cut ends of one native call (offsets in its slice), and for NATIVE_HASH their IDs. */
    private final int[] cuts;
    private final byte[] cutIds;
    /** Hashing for the JAVA and NATIVE engines; null without IDs. */
    private final CryptoContext hasher;
    private final Handle handle;
    private final Cleaner.Cleanable cleanable;
    /** Whether the hasher has a message in progress (the open chunk has bytes). */
    private boolean hashing;

    private long position;
    private long chunkStart;
    /** Pending forced cuts, increasing: forced[forcedHead, forcedHead + forcedCount). */
    private long[] forced = new long[16];
    private int forcedHead;
    private int forcedCount;
    private boolean finished;
    private boolean failed;
    private boolean closed;

    private Chunker(ChunkerParams params, IdFunction ids, Engine engine) {
        this.params = params;
        this.ids = ids;
        this.engine = engine;
        this.gear = Gear.shared(params.seed());
        this.maskS = params.maskSmall();
        this.maskL = params.maskLarge();
        this.id = ids != null ? new byte[IdFunction.LENGTH] : null;
        int most = SLICE / params.min() + 1;
        this.cuts = engine == Engine.JAVA ? null : new int[most];
        this.cutIds = engine == Engine.NATIVE_HASH ? new byte[most * IdFunction.LENGTH] : null;
        if (engine == Engine.NATIVE_HASH) {
            boolean keyed = ids.keyed();
            long h = NativeChunkHash.open(gear, params.min(), params.avg(), params.max(),
                    keyed ? NativeChunkHash.ALG_HMAC_SHA256 : NativeChunkHash.ALG_SHA256, keyed ? ids.key() : null);
            if (h == 0) {
                throw new IllegalStateException("native chunk hashing: out of native memory or OpenSSL has no SHA-256");
            }
            handle = new Handle(h);
            cleanable = Cleanup.CLEANER.register(this, handle);
            hasher = null;
        } else {
            handle = null;
            cleanable = null;
            hasher = ids == null ? null : engine == Engine.JAVA ? CryptoContext.openJdk() : CryptoContext.open();
        }
    }

    /** A chunker that finds cut points only (the sink's {@code id} is null). */
    public static Chunker open(ChunkerParams params) {
        return new Chunker(params, null, NativeCdc.AVAILABLE ? Engine.NATIVE : Engine.JAVA);
    }

    /** A chunker that also computes each chunk's ID with {@code ids}. */
    public static Chunker open(ChunkerParams params, IdFunction ids) {
        Objects.requireNonNull(ids, "ids");
        return new Chunker(params, ids, NativeChunkHash.AVAILABLE ? Engine.NATIVE_HASH
                : NativeCdc.AVAILABLE ? Engine.NATIVE : Engine.JAVA);
    }

    /** A chunker on a given engine (tests and benchmarks); {@code ids} may be null except for NATIVE_HASH. */
    static Chunker open(ChunkerParams params, IdFunction ids, Engine engine) {
        if (engine == Engine.NATIVE && !NativeCdc.AVAILABLE || engine == Engine.NATIVE_HASH
                && (ids == null || !NativeChunkHash.AVAILABLE)) {
            throw new IllegalStateException(engine + " is not available: " + nativeStatus());
        }
        return new Chunker(params, ids, engine);
    }

    /** What runs natively, for {@code mmh --version} and messages: one line. */
    public static String nativeStatus() {
        String cut = NativeCdc.AVAILABLE ? "cut search in C" : "cut search in Java (" + NativeCdc.loadError() + ")";
        String hash = NativeChunkHash.AVAILABLE ? "IDs by " + CryptoContext.opensslVersion()
                : "IDs by the JDK (" + NativeChunkHash.loadError() + ")";
        return cut + ", " + hash;
    }

    /** The parameters. */
    public ChunkerParams params() {
        return params;
    }

    /** The ID function, or null when this chunker finds cut points only. */
    public IdFunction idFunction() {
        return ids;
    }

    /** Bytes fed since the start (or the last {@link #reset}). */
    public synchronized long position() {
        return position;
    }

    /** The engine, for tests. */
    Engine engine() {
        return engine;
    }

    /**
     * Forces a cut at absolute offset {@code offset}: the chunk there ends even if it is shorter than {@code min},
     * and the next one starts afresh. Announce it before the input passes it ({@code offset >= position()}); forced
     * cuts must come in increasing order (the same offset again is ignored). One at offset 0 or at the end of the
     * input changes nothing; one beyond the end is ignored by {@link #finish}.
     */
    public synchronized void cutAt(long offset) {
        ensureUsable();
        if (offset < position) {
            throw new IllegalArgumentException("forced cut at " + offset + " is behind the position " + position);
        }
        if (forcedCount > 0) {
            long last = forced[forcedHead + forcedCount - 1];
            if (offset == last) {
                return;
            }
            if (offset < last) {
                throw new IllegalArgumentException("forced cut at " + offset + " after one at " + last);
            }
        }
        if (forcedHead + forcedCount == forced.length) {
            if (forcedHead > 0) {
                System.arraycopy(forced, forcedHead, forced, 0, forcedCount);
                forcedHead = 0;
            } else {
                forced = Arrays.copyOf(forced, forced.length * 2);
            }
        }
        forced[forcedHead + forcedCount++] = offset;
    }

    /**
     * Feeds the next {@code len} bytes of the input, {@code b[off, off+len)}, and tells {@code sink} of every chunk
     * that ends in them (a chunk ending at the end of this range included).
     */
    public synchronized void update(byte[] b, int off, int len, ChunkSink sink) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureUsable();
        boolean ok = false;
        try {
            applyForced(sink);
            while (len > 0) {
                long room = forcedCount > 0 ? forced[forcedHead] - position : Long.MAX_VALUE;
                int n = (int) Math.min(Math.min(len, SLICE), room);
                switch (engine) {
                    case JAVA -> scanJava(b, off, n, sink);
                    case NATIVE -> scanNative(b, off, n, sink);
                    default -> scanNativeHash(b, off, n, sink);
                }
                off += n;
                len -= n;
                position += n;
                applyForced(sink);
            }
            ok = true;
        } finally {
            failed = !ok;
        }
    }

    /** Ends the input: the last chunk (if it has any bytes) goes to {@code sink}. Then only {@link #reset} remains. */
    public synchronized void finish(ChunkSink sink) throws IOException {
        ensureUsable();
        boolean ok = false;
        try {
            applyForced(sink);
            if (position > chunkStart) {
                endChunk(position, sink);
            }
            forcedCount = 0;
            finished = true;
            ok = true;
        } finally {
            failed = !ok;
        }
    }

    /** Makes the chunker ready for a new input (position 0, no forced cuts), whatever state it was left in. */
    public synchronized void reset() {
        if (closed) {
            throw new IllegalStateException("chunker is closed");
        }
        if (hashing) {
            // drop the message of the abandoned chunk
            if (engine == Engine.NATIVE_HASH) {
                NativeChunkHash.finish(handle.address, id);
                Reference.reachabilityFence(this);
            } else {
                try {
                    hasher.end(id, 0);
                } catch (IllegalStateException e) {
                    // the message already failed and was abandoned: nothing to drop
                }
            }
        }
        hashing = false;
        state[0] = 0;
        state[1] = 0;
        position = 0;
        chunkStart = 0;
        forcedHead = 0;
        forcedCount = 0;
        finished = false;
        failed = false;
    }

    /** Frees the native context and the hasher. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (cleanable != null) {
            cleanable.clean();
        }
        if (hasher != null) {
            hasher.close();
        }
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("chunker is closed");
        }
        if (failed) {
            throw new IllegalStateException("chunker failed earlier: reset() it first");
        }
        if (finished) {
            throw new IllegalStateException("input already finished: reset() it first");
        }
    }

    /** Applies the forced cuts at the current position. */
    private void applyForced(ChunkSink sink) throws IOException {
        while (forcedCount > 0 && forced[forcedHead] == position) {
            forcedHead++;
            forcedCount--;
            if (position > chunkStart) {
                endChunk(position, sink);
            }
        }
    }

    /** Ends the open chunk at {@code end} outside the cut search (forced cut, end of input). */
    private void endChunk(long end, ChunkSink sink) throws IOException {
        state[0] = 0;
        state[1] = 0;
        if (engine == Engine.NATIVE_HASH) {
            hashing = false;
            check(NativeChunkHash.finish(handle.address, id));
            Reference.reachabilityFence(this);
            emit(end, sink);
        } else {
            emitHashed(end, sink);
        }
    }

    private void scanJava(byte[] b, int off, int n, ChunkSink sink) throws IOException {
        int i = off;
        int end = off + n;
        while (i < end) {
            int r = FastCdc.scan(gear, params.min(), params.avg(), params.max(), maskS, maskL, b, i, end - i, state);
            int stop = r < 0 ? end : i + r;
            hash(b, i, stop - i);
            if (r < 0) {
                break;
            }
            emitHashed(position + (stop - off), sink);
            i = stop;
        }
    }

    private void scanNative(byte[] b, int off, int n, ChunkSink sink) throws IOException {
        int count = check(NativeCdc.scan(gear, params.min(), params.avg(), params.max(), b, off, n, state, cuts));
        int from = 0;
        for (int k = 0; k < count; k++) {
            int to = cuts[k];
            hash(b, off + from, to - from);
            emitHashed(position + to, sink);
            from = to;
        }
        hash(b, off + from, n - from);
    }

    private void scanNativeHash(byte[] b, int off, int n, ChunkSink sink) throws IOException {
        hashing = true; // until the call says otherwise, the native context may hold a message
        int count = check(NativeChunkHash.scan(handle.address, b, off, n, state, cuts, cutIds));
        Reference.reachabilityFence(this);
        hashing = state[0] > 0;
        for (int k = 0; k < count; k++) {
            System.arraycopy(cutIds, k * IdFunction.LENGTH, id, 0, IdFunction.LENGTH);
            emit(position + cuts[k], sink);
        }
    }

    /** Adds {@code b[off, off+len)} to the open chunk's ID (JAVA and NATIVE engines). */
    private void hash(byte[] b, int off, int len) {
        if (hasher == null || len == 0) {
            return;
        }
        if (!hashing) {
            if (ids.keyed()) {
                hasher.beginHmacSha256(ids.key());
            } else {
                hasher.beginSha256();
            }
            hashing = true;
        }
        hasher.update(b, off, len);
    }

    /** Ends the open chunk's ID (JAVA and NATIVE engines), then reports the chunk. */
    private void emitHashed(long end, ChunkSink sink) throws IOException {
        if (hasher != null) {
            hashing = false;
            hasher.end(id, 0);
        }
        emit(end, sink);
    }

    private void emit(long end, ChunkSink sink) throws IOException {
        long start = chunkStart;
        chunkStart = end;
        sink.chunk(start, end, id);
    }

    private static int check(int rc) {
        if (rc < 0) {
            throw new IllegalStateException("native chunker failed with code " + rc + " (arguments were checked)");
        }
        return rc;
    }

    /** The native context's address; run once, by close() or the Cleaner. Holds no reference to its chunker. */
    private static final class Handle implements Runnable {
        volatile long address;

        Handle(long address) {
            this.address = address;
        }

        @Override
        public void run() {
            long a = address;
            address = 0;
            if (a != 0) {
                NativeChunkHash.close(a);
            }
        }
    }

    /** The Cleaner thread, started with the first native chunker. */
    private static final class Cleanup {
        static final Cleaner CLEANER = Cleaner.create();
    }
}
