package dev.mmh.engine;

import dev.mmh.UnsupportedFormatException;
import dev.mmh.analysis.Analyzer;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The per-thread state of one engine run: codec contexts (one compressor per codec, level and flags; one
 * decompressor per codec), an analyzer, and scratch buffers; made on first use, reused for every block the
 * thread handles, and all closed together.
 */
final class Contexts implements AutoCloseable {
    private final CodecParams params;
    private final ConcurrentLinkedQueue<AutoCloseable> made = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<PerThread> local = ThreadLocal.withInitial(PerThread::new);

    /** State owned by one worker thread. */
    final class PerThread {
        private final Map<Long, Compressor> compressors = new HashMap<>();
        private final Decompressor[] decompressors = new Decompressor[256];
        private Analyzer analyzer;
        private byte[] scratch = new byte[0];
        private byte[] trial = new byte[0];

        Compressor compressor(int codecId, int level, int flags) throws UnsupportedFormatException {
            long key = (long) codecId << 40 | (long) (flags & 0xff) << 32 | (level & 0xffffffffL);
            Compressor c = compressors.get(key);
            if (c == null) {
                c = Codecs.byId(codecId).newCompressor(new CodecParams(level, params.windowLog(),
                        flags | (params.flags() & CodecParams.LONG)));
                made.add(c);
                compressors.put(key, c);
            }
            return c;
        }

        Decompressor decompressor(int codecId) throws UnsupportedFormatException {
            Decompressor d = decompressors[codecId];
            if (d == null) {
                d = Codecs.byId(codecId).newDecompressor(params);
                made.add(d);
                decompressors[codecId] = d;
            }
            return d;
        }

        Analyzer analyzer() {
            if (analyzer == null) {
                analyzer = new Analyzer();
                made.add(analyzer);
            }
            return analyzer;
        }

        /** A reusable buffer of at least {@code n} bytes for transformed data. */
        byte[] scratch(long n) {
            if (scratch.length < n) {
                scratch = new byte[Math.toIntExact(n)];
            }
            return scratch;
        }

        /** A second reusable buffer, for trial compressions. */
        byte[] trial(long n) {
            if (trial.length < n) {
                trial = new byte[Math.toIntExact(n)];
            }
            return trial;
        }
    }

    /** @param params the run's codec parameters: window and long mode apply to every zstd context */
    Contexts(CodecParams params) {
        this.params = params;
    }

    PerThread get() {
        return local.get();
    }

    @Override
    public void close() {
        // the calling thread outlives the run (it decodes itself in Verifier's scan, and callers decode blocks of
        // archive after archive on one thread): its entry would keep this run's contexts and scratch reachable
        local.remove();
        for (AutoCloseable c; (c = made.poll()) != null; ) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing frees native memory; nothing useful can be done if it fails
            }
        }
    }
}
