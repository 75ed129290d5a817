package dev.mmh.crypto.age;

import dev.mmh.AuthenticationFailedException;
import dev.mmh.crypto.CryptoContext;
import dev.mmh.crypto.Hkdf;
import dev.mmh.work.OrderedPipeline;
import dev.mmh.work.ResourceKey;
import dev.mmh.work.WorkerPool;
import dev.mmh.work.WorkerState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;

/**
 * age's STREAM payload: 64 KiB chunks, each sealed with ChaCha20-Poly1305 under the payload key (HKDF of the file key
 * with the 16-byte payload nonce as salt, info "payload") and the 12-byte nonce of an 11-byte big-endian chunk
 * counter and a last-chunk flag byte. Chunks are independent, so batches of {@link #BATCH} chunks are sealed or
 * opened on worker threads, each batch in one native call ({@link CryptoContext#streamChunks}), and written in order
 * by the calling thread; the output is the same bytes for any thread count.
 *
 * <p>The batches run on the shared work pipeline ({@code dev.mmh.work}: a {@link WorkerPool} of {@code threads}
 * workers made for the run, an {@link OrderedPipeline} with at most {@code 2 * threads + 2} batches in flight), each
 * worker on its own {@link CryptoContext} (OpenSSL where it loads, working on direct buffers without copies in Java).
 * A file channel is read by the workers themselves, each batch at its offset (so the copy out of the page cache runs
 * on every core); any other channel by the calling thread, in order. Memory: two direct buffers of about
 * {@code BATCH * 64} KiB per batch in flight, reused; small enough for a batch's input and output to stay in a core's
 * L2 cache between the read and the cipher.
 */
public final class AgeStream {
    /** Plaintext bytes per chunk. */
    public static final int CHUNK = 64 * 1024;
    /** Bytes per sealed full chunk. */
    public static final int SEALED_CHUNK = CHUNK + CryptoContext.AEAD_TAG_LENGTH;
    /** Bytes of the payload nonce that follows the header. */
    public static final int NONCE_SIZE = 16;
    /** Chunks per batch handed to a worker. */
    static final int BATCH = 4;

    private AgeStream() {
    }

    /** The payload key: HKDF-SHA-256(ikm = file key, salt = payload nonce, info = "payload"). */
    public static byte[] payloadKey(byte[] fileKey, byte[] nonce) {
        return Hkdf.sha256(fileKey, nonce, "payload", 32);
    }

    /** Writes chunk {@code counter}'s 12-byte nonce to {@code out}: 11 bytes big-endian counter, then 1 if last. */
    public static void chunkNonce(long counter, boolean last, byte[] out) {
        CryptoContext.streamNonce(counter, last, out);
    }

    /** Encrypts all of {@code in} to {@code out} (the payload after the nonce) under {@code key}. */
    static void encrypt(byte[] key, ReadableByteChannel in, WritableByteChannel out, int threads) throws IOException {
        try (Engine e = new Engine(key, threads, out)) {
            Input src = Input.of(in, BATCH * CHUNK);
            long counter = 0;
            while (true) {
                ByteBuffer buf = src.next(e);
                int n = buf.remaining();
                boolean more = src.more();
                int chunks = Math.max(1, (n + CHUNK - 1) / CHUNK);
                e.submit(new Batch(buf, src.source(), e.take(), counter, chunks, !more, true, -1, null));
                counter += chunks;
                if (!more) {
                    break;
                }
            }
            e.drain();
            src.finish();
        }
    }

    /**
     * Decrypts the payload in {@code in} (after the nonce) to {@code out}: every chunk before the first that fails is
     * written, then the failure is thrown.
     *
     * @param payloadOffset the payload's offset in the file, for messages
     * @throws AgeAuthException a chunk does not authenticate, the payload is truncated, has no final chunk, an empty
     *     final chunk after others, or data after the final chunk
     */
    static void decrypt(byte[] key, ReadableByteChannel in, WritableByteChannel out, int threads, long payloadOffset)
            throws IOException {
        try (Engine e = new Engine(key, threads, out)) {
            Input src = Input.of(in, BATCH * SEALED_CHUNK);
            long counter = 0;
            while (true) {
                ByteBuffer buf = src.next(e);
                int n = buf.remaining();
                boolean more = src.more();
                if (n == 0) {
                    e.drain();
                    throw new AgeAuthException(AgeAuthException.Kind.PAYLOAD, "age payload at offset "
                            + payloadOffset + ": no chunks (truncated)");
                }
                int chunks = (n + SEALED_CHUNK - 1) / SEALED_CHUNK;
                String failure = null;
                if (!more) {
                    int lastLength = n - (chunks - 1) * SEALED_CHUNK;
                    long lastIndex = counter + chunks - 1;
                    if (lastLength < CryptoContext.AEAD_TAG_LENGTH) {
                        failure = "truncated (a final chunk of " + lastLength + " bytes)";
                    } else if (lastLength == CryptoContext.AEAD_TAG_LENGTH && lastIndex > 0) {
                        failure = "an empty final chunk after others";
                    }
                }
                e.submit(new Batch(buf, src.source(), e.take(), counter, chunks, !more, false, payloadOffset,
                        failure));
                counter += chunks;
                if (!more) {
                    break;
                }
            }
            e.drain();
            src.finish();
        }
    }

    /**
     * Where the batches come from. (Not a memory map of a file, though it would save a copy: a file cut short by
     * another process while OpenSSL reads the map would kill the JVM with SIGBUS instead of failing the run.)
     */
    private abstract static class Input {
        final int batch;

        Input(int batch) {
            this.batch = batch;
        }

        /**
         * A file's rest read by the workers themselves, each batch at its offset ({@link Positional}), where
         * {@code in} is a file channel with bytes after its position; any other channel read in order by the caller
         * ({@link Streamed}).
         */
        static Input of(ReadableByteChannel in, int batch) {
            if (in instanceof FileChannel f) {
                try {
                    long position = f.position();
                    long size = f.size();
                    if (size > position) {
                        return new Positional(f, position, size, batch);
                    }
                } catch (IOException e) {
                    // not seekable (a pipe): read in order
                }
            }
            return new Streamed(in, batch);
        }

        /**
         * The next batch's buffer: holding its bytes from position to limit ({@code batch} bytes unless the input
         * ends), or, when {@link #source()} gives a read for it, empty with its limit at the bytes that read brings.
         */
        abstract ByteBuffer next(Engine e) throws IOException;

        /** Whether more bytes follow the batch {@link #next} gave. */
        abstract boolean more() throws IOException;

        /** The read a worker makes into the buffer {@link #next} gave, or null when it holds its bytes already. */
        abstract Source source();

        /** After the last batch was written: leaves the channel after what was read. */
        void finish() throws IOException {
        }
    }

    /** Any channel, read into the engine's buffers; one byte read ahead tells whether more follows. */
    private static final class Streamed extends Input {
        private final ReadableByteChannel in;
        private final ByteBuffer one = ByteBuffer.allocate(1);
        private boolean pending;

        Streamed(ReadableByteChannel in, int batch) {
            super(batch);
            this.in = in;
        }

        @Override
        ByteBuffer next(Engine e) throws IOException {
            ByteBuffer b = e.take();
            b.limit(batch);
            if (pending) {
                one.flip();
                b.put(one);
                one.clear();
                pending = false;
            }
            while (b.hasRemaining()) {
                if (in.read(b) < 0) {
                    break;
                }
            }
            return b.flip();
        }

        @Override
        boolean more() throws IOException {
            if (!pending) {
                int r;
                do {
                    r = in.read(one);
                } while (r == 0);
                pending = r > 0;
            }
            return pending;
        }

        @Override
        Source source() {
            return null;
        }
    }

    /**
     * A file from its position to the size it had when the run began, each batch read by the worker that seals or
     * opens it (positional reads, which the JDK makes with pread): the copy out of the page cache, a third of the
     * work, runs on every core instead of the caller's alone. A file that shrinks meanwhile fails the run; bytes it
     * gains are not read.
     */
    private static final class Positional extends Input {
        private final FileChannel in;
        private final long end;
        private long position;
        private Source last;

        Positional(FileChannel in, long position, long end, int batch) {
            super(batch);
            this.in = in;
            this.position = position;
            this.end = end;
        }

        @Override
        ByteBuffer next(Engine e) {
            int n = (int) Math.min(batch, end - position);
            last = new Source(in, position, end);
            position += n;
            ByteBuffer b = e.take();
            b.limit(n);
            return b;
        }

        @Override
        boolean more() {
            return position < end;
        }

        @Override
        Source source() {
            return last;
        }

        @Override
        void finish() throws IOException {
            in.position(end);
        }
    }

    /** A positional read of a batch's bytes from {@code in} at {@code position}, the file then {@code end} long. */
    private record Source(FileChannel in, long position, long end) {
        /** Fills {@code b} from its position to its limit, then flips it. */
        void read(ByteBuffer b) throws IOException {
            long at = position;
            while (b.hasRemaining()) {
                int r = in.read(b, at);
                if (r < 0) {
                    throw new IOException("the input ends at byte " + at + ", not " + end + ": it was cut short while"
                            + " it was read");
                }
                at += r;
            }
            b.flip();
        }
    }

    /**
     * Chunks {@code first}..{@code first + chunks - 1} of the stream in {@code in} (position to limit, or read there
     * first from {@code source}); the result goes to {@code out}.
     */
    private static final class Batch {
        final ByteBuffer in;
        final Source source;
        final ByteBuffer out;
        final long first;
        final int chunks;
        final boolean endsStream;
        final boolean seal;
        final long payloadOffset;
        /** A structural failure of the batch's last chunk found while reading, or null. */
        final String lastFailure;
        /** Why the stream fails in this batch, after what {@code out} holds; or null. */
        String failure;

        Batch(ByteBuffer in, Source source, ByteBuffer out, long first, int chunks, boolean endsStream, boolean seal,
                long payloadOffset, String lastFailure) {
            this.in = in;
            this.source = source;
            this.out = out;
            this.first = first;
            this.chunks = chunks;
            this.endsStream = endsStream;
            this.seal = seal;
            this.payloadOffset = payloadOffset;
            this.lastFailure = lastFailure;
        }

        void run(CryptoContext c, byte[] key) throws IOException {
            if (source != null) {
                source.read(in);
            }
            out.clear();
            if (seal) {
                c.streamChunks(true, key, CHUNK, first, endsStream, in, out);
            } else {
                open(c, key);
            }
            out.flip();
        }

        /**
         * Opens the chunks as age's reader does: all in one run where they authenticate as they should (the middle
         * ones as middle chunks, the stream's last as the final one); where one does not, that one as {@link #open(
         * CryptoContext, byte[], int, ByteBuffer, int, boolean)} says, which names what is wrong.
         */
        private void open(CryptoContext c, byte[] key) {
            int base = in.position();
            int end = in.limit();
            int usable = lastFailure != null ? chunks - 1 : chunks;
            int i = 0;
            while (i < usable) {
                in.limit(usable == chunks ? end : base + usable * SEALED_CHUNK).position(base + i * SEALED_CHUNK);
                i += c.streamChunks(false, key, CHUNK, first + i, endsStream && usable == chunks, in, out);
                if (i == usable) {
                    break;
                }
                int off = base + i * SEALED_CHUNK;
                int len = Math.min(SEALED_CHUNK, end - off);
                in.limit(off + len).position(off);
                if (!open(c, key, i, in, len, endsStream && i == chunks - 1)) {
                    return;
                }
                i++;
            }
            if (lastFailure != null) {
                fail(chunks - 1, lastFailure);
            }
        }

        /**
         * Opens chunk {@code i} alone as age's reader does: a full chunk as a middle one first, then as the final one;
         * a short one (only at the end) as the final one. False when the stream fails here (after the chunk's
         * plaintext was kept if it authenticated).
         */
        private boolean open(CryptoContext c, byte[] key, int i, ByteBuffer in, int len, boolean endOfStream) {
            if (len == SEALED_CHUNK && tryOpen(c, key, nonce(i, false), in)) {
                if (endOfStream) {
                    fail(i + 1, "truncated: the payload ends without a final chunk");
                    return false;
                }
                return true;
            }
            if (!tryOpen(c, key, nonce(i, true), in)) {
                fail(i, endOfStream ? "does not authenticate (altered or truncated)"
                        : "does not authenticate (altered or reordered data)");
                return false;
            }
            if (!endOfStream) {
                fail(i + 1, "data after the final chunk");
                return false;
            }
            return true;
        }

        private boolean tryOpen(CryptoContext c, byte[] key, byte[] nonce, ByteBuffer in) {
            try {
                c.open(CryptoContext.Aead.CHACHA20_POLY1305, key, nonce, null, 0, 0, in.duplicate(), out);
                return true;
            } catch (AuthenticationFailedException e) {
                return false;
            }
        }

        private byte[] nonce(int i, boolean last) {
            byte[] nonce = new byte[CryptoContext.AEAD_NONCE_LENGTH];
            chunkNonce(first + i, last, nonce);
            return nonce;
        }

        private void fail(int i, String why) {
            failure = "age payload chunk " + (first + i) + " at offset " + (payloadOffset + (first + i)
                    * SEALED_CHUNK) + ": " + why;
        }
    }

    /**
     * The ordered executor: batches run on the workers of a {@link WorkerPool} made for the run, through an
     * {@link OrderedPipeline} whose sink (the caller's thread) writes them in order; each worker keeps one
     * {@link CryptoContext} in its {@link WorkerState}. One thread runs everything on the caller. The direct buffers
     * (a pair per batch in flight) are reused from batch to batch; only the caller's thread takes and returns them.
     */
    private static final class Engine implements AutoCloseable {
        /** A worker's AEAD context, closed with the pool. */
        private static final ResourceKey<CryptoContext> CONTEXT = CryptoContext::open;

        private final byte[] key;
        private final WorkerPool.Use use;
        private final OrderedPipeline<Batch> pipeline;
        private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
        private final CryptoContext inline;
        private final WritableByteChannel out;

        Engine(byte[] key, int threads, WritableByteChannel out) {
            this.key = key.clone();
            this.out = out;
            int t = Math.max(1, threads);
            if (t == 1) {
                use = null;
                pipeline = null;
                inline = CryptoContext.open();
            } else {
                inline = null;
                use = WorkerPool.use(null, t);
                pipeline = new OrderedPipeline<>(use.pool(), 2 * t + 2, this::write);
            }
        }

        /** A free direct buffer of a batch's size, cleared. */
        ByteBuffer take() {
            ByteBuffer b = free.pollLast(); // the one given back last: the likeliest still in a cache
            return (b != null ? b : ByteBuffer.allocateDirect(BATCH * SEALED_CHUNK)).clear();
        }

        void submit(Batch b) throws IOException {
            if (pipeline == null) {
                b.run(inline, key);
                write(b);
                return;
            }
            pipeline.submit(worker -> {
                b.run(worker.get(CONTEXT), key);
                return b;
            });
        }

        void drain() throws IOException {
            if (pipeline != null) {
                pipeline.finish();
            }
        }

        private void write(Batch b) throws IOException {
            // on a failure, the chunks before it authenticated: they are released, as age's reader does
            ByteBuffer o = b.out;
            while (o.hasRemaining()) {
                out.write(o);
            }
            free.add(o);
            free.add(b.in);
            if (b.failure != null) {
                throw new AgeAuthException(AgeAuthException.Kind.PAYLOAD, b.failure);
            }
        }

        /** Stops the workers (a batch already in native code finishes first), then frees the contexts. */
        @Override
        public void close() {
            try {
                if (pipeline != null) {
                    pipeline.close();
                    use.close();
                } else {
                    inline.close();
                }
            } finally {
                java.util.Arrays.fill(key, (byte) 0);
            }
        }
    }
}
