package dev.mmh.chunk;

import dev.mmh.crypto.CryptoContext;
import java.util.Arrays;

/**
 * How a blob's 32-byte ID is computed: SHA-256 of its bytes, or, in an encrypted archive, HMAC-SHA-256 of its bytes
 * under the archive's ID key (so that IDs do not confirm guesses of the content). Immutable and thread-safe; the
 * key is copied in and never handed out.
 */
public final class IdFunction {
    /** Bytes of an ID. */
    public static final int LENGTH = 32;
    /** The manifest's code for SHA-256. */
    public static final int CODE_SHA256 = 1;
    /** The manifest's code for HMAC-SHA-256. */
    public static final int CODE_HMAC_SHA256 = 2;
    /** The longest HMAC key accepted, bytes (an ID key is 32). */
    public static final int MAX_KEY = CryptoContext.MAX_HMAC_KEY;

    /** SHA-256 of the blob's bytes. */
    public static final IdFunction SHA256 = new IdFunction(CODE_SHA256, null);

    private final int code;
    private final byte[] key;

    private IdFunction(int code, byte[] key) {
        this.code = code;
        this.key = key;
    }

    /** HMAC-SHA-256 under {@code key} (1 to {@value #MAX_KEY} bytes, copied). */
    public static IdFunction hmacSha256(byte[] key) {
        if (key.length < 1 || key.length > MAX_KEY) {
            throw new IllegalArgumentException("HMAC key of " + key.length + " bytes: 1 to " + MAX_KEY + " allowed");
        }
        return new IdFunction(CODE_HMAC_SHA256, key.clone());
    }

    /** {@link #CODE_SHA256} or {@link #CODE_HMAC_SHA256}. */
    public int code() {
        return code;
    }

    /** Whether IDs are keyed. */
    public boolean keyed() {
        return key != null;
    }

    /** The key, for the chunker's native context only. */
    byte[] key() {
        return key;
    }

    /**
     * Writes the ID of {@code b[off, off+len)} to {@code out[outOff, outOff+32)} with the caller's context (one per
     * thread; native or JDK).
     */
    public void id(CryptoContext ctx, byte[] b, int off, int len, byte[] out, int outOff) {
        if (key == null) {
            ctx.sha256(b, off, len, out, outOff);
        } else {
            ctx.hmacSha256(key, b, off, len, out, outOff);
        }
    }

    /** The ID of {@code b[off, off+len)}, a new array. */
    public byte[] id(CryptoContext ctx, byte[] b, int off, int len) {
        byte[] out = new byte[LENGTH];
        id(ctx, b, off, len, out, 0);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdFunction f && f.code == code && Arrays.equals(f.key, key);
    }

    @Override
    public int hashCode() {
        return code * 31 + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return key == null ? "SHA-256" : "HMAC-SHA-256";
    }
}
