package dev.mmh.engine;

import dev.mmh.analysis.Analyzer;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import dev.mmh.work.ResourceKey;
import dev.mmh.work.WorkerPool;
import dev.mmh.work.WorkerState;
import java.io.IOException;

/**
 * What the engine keeps on a {@link WorkerPool}: per worker, codec contexts (one per codec and parameters), an
 * analyzer and two scratch arrays, reused by every run on the pool and closed with it; per pool, the block buffers,
 * so that file after file on shared workers allocates no new arrays (zeroing and page-faulting ~10 MB per block in
 * flight for each file).
 */
final class EngineResources {
    private EngineResources() {
    }

    /** Raw blocks: read by compress, decoded by decompress. */
    private static final ResourceKey<BufferPool> RAW_BUFFERS = new NewBufferPool();
    /** Stored blocks: encoded by compress, read by decompress. */
    private static final ResourceKey<BufferPool> STORED_BUFFERS = new NewBufferPool();
    /** Transformed data. */
    private static final ResourceKey<Scratch> SCRATCH = new NewScratch();
    /** Trial compressions. */
    private static final ResourceKey<Scratch> TRIAL = new NewScratch();
    /** The worker's AEAD and HMAC context, for encrypted archives. */
    private static final ResourceKey<dev.mmh.crypto.CryptoContext> CRYPTO = dev.mmh.crypto.CryptoContext::open;
    private static final ResourceKey<Analyzer> ANALYZER = new ResourceKey<>() {
        @Override
        public Analyzer create() {
            return new Analyzer();
        }
    };

    /** Keys compared by identity: each instance names its own pool of buffers. */
    private static final class NewBufferPool implements ResourceKey<BufferPool> {
        @Override
        public BufferPool create() {
            return new BufferPool();
        }
    }

    /** Keys compared by identity: each instance names its own array. */
    private static final class NewScratch implements ResourceKey<Scratch> {
        @Override
        public Scratch create() {
            return new Scratch();
        }
    }

    static BufferPool rawBuffers(WorkerPool pool) throws IOException {
        return pool.shared(RAW_BUFFERS);
    }

    static BufferPool storedBuffers(WorkerPool pool) throws IOException {
        return pool.shared(STORED_BUFFERS);
    }

    static Analyzer analyzer(WorkerState w) throws IOException {
        return w.get(ANALYZER);
    }

    /** Worker {@code w}'s crypto context (OpenSSL where it loads), closed with the worker. */
    static dev.mmh.crypto.CryptoContext crypto(WorkerState w) throws IOException {
        return w.get(CRYPTO);
    }

    /** A reusable array of at least {@code n} bytes for transformed data. */
    static byte[] scratch(WorkerState w, long n) throws IOException {
        return w.get(SCRATCH).atLeast(n);
    }

    /** A second reusable array, for trial compressions. */
    static byte[] trial(WorkerState w, long n) throws IOException {
        return w.get(TRIAL).atLeast(n);
    }

    static Compressor compressor(WorkerState w, int codecId, CodecParams params) throws IOException {
        return (Compressor) w.get(new CodecKey(true, codecId, params));
    }

    static Decompressor decompressor(WorkerState w, int codecId, CodecParams params) throws IOException {
        return (Decompressor) w.get(new CodecKey(false, codecId, params));
    }

    /** A growing array. */
    private static final class Scratch {
        private byte[] buf = new byte[0];

        byte[] atLeast(long n) {
            if (buf.length < n) {
                buf = new byte[Math.toIntExact(n)];
            }
            return buf;
        }
    }

    /**
     * Names a compressor or decompressor by codec and every parameter (level, window, flags). Written out rather
     * than a record: a record's equals and hashCode bootstrap through invokedynamic on first use, start-up time
     * that a short command would pay.
     */
    private static final class CodecKey implements ResourceKey<AutoCloseable> {
        private final boolean compress;
        private final int codecId;
        private final CodecParams params;

        CodecKey(boolean compress, int codecId, CodecParams params) {
            this.compress = compress;
            this.codecId = codecId;
            this.params = params;
        }

        @Override
        public AutoCloseable create() throws IOException {
            return compress ? Codecs.byId(codecId).newCompressor(params) : Codecs.byId(codecId).newDecompressor(params);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CodecKey k && k.compress == compress && k.codecId == codecId
                    && k.params.level() == params.level() && k.params.windowLog() == params.windowLog()
                    && k.params.flags() == params.flags();
        }

        @Override
        public int hashCode() {
            return ((codecId * 31 + params.level()) * 31 + params.windowLog()) * 31 + params.flags()
                    + (compress ? 1 << 30 : 0);
        }
    }
}
