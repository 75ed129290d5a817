package dev.mmh.crypto;

import dev.mmh.io.NativeLibraries;

/**
 * The JNI functions of {@code libmmhcrypto.so} ({@code src/main/c/crypto/mmhcrypto.c}) over the system's OpenSSL
 * libcrypto 3. Used only through {@link CryptoContext}, which checks every argument before it calls them (the C
 * checks them again and answers {@link #E_ARG}).
 */
final class NativeCrypto {
    /** Set to {@code false} to hash with the JDK (tests, or a broken libcrypto). */
    static final String DISABLE_PROPERTY = "mmh.crypto.native";

    /** Algorithm ids. */
    static final int ALG_SHA256 = 1;
    static final int ALG_HMAC_SHA256 = 2;

    /** Error codes (see mmhcrypto.h). */
    static final int E_ARG = -1;
    static final int E_STATE = -2;
    static final int E_OPENSSL = -3;
    static final int E_JNI = -4;
    static final int E_MEM = -5;
    static final int E_AUTH = -6;

    /** AEAD ids ({@link CryptoContext.Aead}). */
    static final int AEAD_CHACHA20_POLY1305 = 3;
    static final int AEAD_AES_256_GCM = 4;

    /** The most bytes of a Java array one call pins: a pinned array holds up the garbage collector. */
    static final int SLICE = 1 << 20;

    private static final String LOAD_ERROR = NativeLibraries.load(NativeCrypto.class, NativeLibraries.CRYPTO,
            DISABLE_PROPERTY, () -> version() == 3);
    /** Whether the native library is in use. */
    static final boolean AVAILABLE = LOAD_ERROR == null;
    /** OpenSSL's version text, or null when the library is not in use. */
    static final String OPENSSL_VERSION = AVAILABLE ? opensslVersion() : null;

    private NativeCrypto() {
    }

    /** Null when the library is loaded, else the reason it is not. */
    static String loadError() {
        return LOAD_ERROR;
    }

    /** Why a call failed, for an exception's message. */
    static String describe(int rc) {
        return switch (rc) {
            case E_ARG -> "an argument out of range";
            case E_STATE -> "a call out of order";
            case E_OPENSSL -> "an OpenSSL call failed";
            case E_JNI -> "a Java array could not be pinned";
            case E_MEM -> "out of native memory";
            case E_AUTH -> "authentication failed";
            default -> "error " + rc;
        };
    }

    static native int version();

    static native String opensslVersion();

    /** A new context, or 0 when out of memory or OpenSSL has no SHA-256. */
    static native long open();

    static native void close(long handle);

    /** Starts a message: {@code key} null for SHA-256, 1..1024 bytes for HMAC-SHA-256. 0 or {@code E_*}. */
    static native int begin(long handle, int alg, byte[] key);

    /** Adds {@code b[off, off+len)}, {@code len <= SLICE}. 0 or {@code E_*}. */
    static native int update(long handle, byte[] b, int off, int len);

    /** Ends the message: 32 bytes to {@code out[outOff, outOff+32)}. 0 or {@code E_*}. */
    static native int end(long handle, byte[] out, int outOff);

    /** {@link #begin}, {@link #update} and {@link #end} in one call, {@code len <= SLICE}. 0 or {@code E_*}. */
    static native int digest(long handle, int alg, byte[] key, byte[] b, int off, int len, byte[] out, int outOff);

    /**
     * Seals ({@code encrypt}) or opens one AEAD message ({@code alg}: {@code AEAD_*}; key 32 bytes, nonce 12): sealing
     * writes {@code inLen + 16} bytes (ciphertext, tag), opening reads ciphertext and tag and writes
     * {@code inLen - 16}.
     * The bytes written, or {@code E_*} ({@code E_AUTH}: the tag does not match; the output range is then zeroed).
     */
    static native int aead(long handle, int alg, boolean encrypt, byte[] key, byte[] nonce, byte[] aad, int aadOff,
            int aadLen, byte[] in, int inOff, int inLen, byte[] out, int outOff);

    /** {@link #aead} over direct buffers: {@code inLen} bytes at {@code inOff} of {@code in}, output at
     * {@code outOff}. */
    static native int aeadDirect(long handle, int alg, boolean encrypt, byte[] key, byte[] nonce, byte[] aad,
            int aadOff, int aadLen, java.nio.ByteBuffer in, long inOff, int inLen, java.nio.ByteBuffer out,
            long outOff);

    /**
     * A run of STREAM chunks of {@code chunk} plaintext bytes each (the last shorter), ChaCha20-Poly1305, nonces of the
     * counters {@code firstCounter}.. with the last-chunk flag on the run's last chunk when {@code lastFinal}: sealed
     * from {@code inLen} plaintext bytes, or opened from {@code inLen} sealed ones, at {@code inOff} of {@code in} to
     * {@code outOff} of {@code out}, one chunk after the other. The chunks done (all, or the index of the first that
     * does not authenticate, its output zeroed), or {@code E_*}.
     */
    static native int streamDirect(long handle, boolean encrypt, byte[] key, java.nio.ByteBuffer in, long inOff,
            int inLen, java.nio.ByteBuffer out, long outOff, int chunk, long firstCounter, boolean lastFinal);

    /** X25519 of a 32-byte scalar and u-coordinate into {@code out} (32 bytes): 0, or {@code E_*} (also for an
     * all-zero result). */
    static native int x25519(byte[] scalar, byte[] u, byte[] out);

    /** Fills {@code b} from OpenSSL's CSPRNG: 0 or {@code E_*}. */
    static native int random(byte[] b);
}
