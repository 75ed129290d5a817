package dev.mmh.engine;

import dev.mmh.UnsupportedFormatException;
import dev.mmh.codec.Codec;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The codec contexts of one engine run: one compressor and one decompressor per codec per worker thread, made on
 * first use and reused for every block that thread handles, then all closed together.
 */
final class Contexts implements AutoCloseable {
    private final CodecParams params;
    private final Codec codec;
    private final ConcurrentLinkedQueue<AutoCloseable> made = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Compressor> compressor = new ThreadLocal<>();
    private final ThreadLocal<Decompressor[]> decompressors = ThreadLocal.withInitial(() -> new Decompressor[256]);

    Contexts(Codec codec, CodecParams params) {
        this.codec = codec;
        this.params = params;
    }

    Compressor compressor() {
        Compressor c = compressor.get();
        if (c == null) {
            c = codec.newCompressor(params);
            made.add(c);
            compressor.set(c);
        }
        return c;
    }

    Decompressor decompressor(int codecId) throws UnsupportedFormatException {
        Decompressor[] byId = decompressors.get();
        Decompressor d = byId[codecId];
        if (d == null) {
            d = Codecs.byId(codecId).newDecompressor(params);
            made.add(d);
            byId[codecId] = d;
        }
        return d;
    }

    @Override
    public void close() {
        for (AutoCloseable c; (c = made.poll()) != null; ) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing frees native memory; nothing useful can be done if it fails
            }
        }
    }
}
