package dev.mmh.archive.format;

import dev.mmh.chunk.IdFunction;
import dev.mmh.crypto.CryptoContext;

/**
 * Blob IDs made with the archive's ID function ({@link IdFunction}: SHA-256, or HMAC-SHA-256 when encrypted) through
 * one crypto context (OpenSSL where it loaded, else the JDK). Not thread-safe: one per thread; {@link #close()}
 * frees the context.
 */
public final class Ids implements AutoCloseable {
    private final IdFunction function;
    private final CryptoContext ctx = CryptoContext.open();
    private final byte[] out = new byte[BlobId.LENGTH];

    public Ids(IdFunction function) {
        this.function = function;
    }

    public IdFunction function() {
        return function;
    }

    /** The ID of {@code b[off, off + len)}. */
    public BlobId of(byte[] b, int off, int len) {
        function.id(ctx, b, off, len, out, 0);
        return BlobId.of(out);
    }

    public BlobId of(byte[] b) {
        return of(b, 0, b.length);
    }

    @Override
    public void close() {
        ctx.close();
    }
}
