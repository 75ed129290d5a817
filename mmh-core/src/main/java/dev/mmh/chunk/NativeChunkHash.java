package dev.mmh.chunk;

import dev.mmh.io.NativeLibraries;

/**
 * FastCDC and chunk IDs in one C call ({@code src/main/c/crypto/mmhchunkid.c} in {@code libmmhcrypto.so}, over the
 * system's OpenSSL libcrypto), for {@link Chunker}s that compute IDs: one JNI crossing per MiB of input instead of
 * one per chunk, and each chunk hashed while it is still in the cache. A handle holds the parameters, the ID key
 * and the message of the chunk in progress; one thread at a time; freed by {@link #close}.
 */
final class NativeChunkHash {
    /** Set to {@code false} to hash chunk IDs with the JDK (tests, or a broken libcrypto). */
    static final String DISABLE_PROPERTY = "mmh.crypto.native";
    /** The most bytes one call scans and hashes: the array stays pinned during the call. */
    static final int SLICE = 1 << 20;
    /** Algorithm ids (as in mmhcrypto.h). */
    static final int ALG_SHA256 = 1;
    static final int ALG_HMAC_SHA256 = 2;

    private static final String LOAD_ERROR = NativeLibraries.load(NativeChunkHash.class, NativeLibraries.CRYPTO,
            DISABLE_PROPERTY, () -> version() == 1);
    /** Whether the native library is in use. */
    static final boolean AVAILABLE = LOAD_ERROR == null;

    private NativeChunkHash() {
    }

    /** Null when the native library is loaded, else the reason it is not. */
    static String loadError() {
        return LOAD_ERROR;
    }

    static native int version();

    /** A context for these parameters and ID function ({@code key} null for SHA-256), or 0 (bad arguments, memory). */
    static native long open(long[] gear, int min, int avg, int max, int alg, byte[] key);

    static native void close(long handle);

    /**
     * Scans and hashes {@code b[off, off+len)} ({@code len <= SLICE}) as the next bytes of the open chunk (see
     * {@link FastCdc#scan} for {@code state}). For the n-th chunk that ends in the range: its end (an offset from
     * {@code off}, exclusive) to {@code cuts[n]}, its ID to {@code ids[32n, 32n+32)}; both hold at least
     * {@code len / min + 1} entries.
     *
     * @return the number of cuts, or a negative error code (then the handle is only good for {@link #close})
     */
    static native int scan(long handle, byte[] b, int off, int len, long[] state, int[] cuts, byte[] ids);

    /** Ends the chunk in progress (it has at least one byte): its ID to {@code id[0, 32)}. 0 or an error code. */
    static native int finish(long handle, byte[] id);
}
